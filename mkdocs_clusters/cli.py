"""The `mkdocs-clusters` command: the plugin's pages without a MkDocs build, and a data check.

For sites built by tools that do not run MkDocs plugins (Zensical, or any static-site
generator): `generate` writes the pages and figures into a folder; `check` validates the data.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path

import click
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.structure.files import get_files
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from . import __version__, pipeline, workers
from .cache import ResultCache, write_atomic
from .config import ClustersConfig
from .inject import front_matter
from .model import Problem
from .plugin import build_layout, build_options, cache_folder

#: In the output folder: the files the last `generate` wrote, so the next one may replace or
#: remove them (and never a file of the user's). A dot file: MkDocs leaves it out of the site.
MANIFEST = ".mkdocs-clusters.json"


class ConfigProblem(click.ClickException):
    """The configuration cannot be used (exit status 2, as for a usage error)."""

    exit_code = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mkdocs-clusters")
def cli() -> None:
    """Clusters of similar-sounding tracks, without a MkDocs build.

    The commands read the `clusters` plugin's options from the site's config file, so they
    give what `mkdocs build` gives; the plugin need not be enabled.
    """


@cli.command()
@click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False), default="mkdocs.yml",
    show_default=True, help="The site's config file, with the `clusters` plugin's options.",
)
@click.option(
    "-o", "--out", "out", type=click.Path(file_okay=False), required=True,
    help="The folder to write into (created if missing).",
)
@click.option("-s", "--strict", is_flag=True, help="Exit with status 1 if the data has problems.")
def generate(config_file: str, out: str, strict: bool) -> None:
    """Write the pages and figures the plugin would add to the site into OUT.

    Each file goes to the path it has in the site (`playlists/<slug>/clusters.md` and `.svg`
    by default). When OUT is inside docs_dir (for instance a git-ignored `docs/clusters`),
    the pages are made for that place: their links to artist and label pages still work.
    Files that a previous run wrote and that are no longer generated are removed; other
    files in OUT are never touched.
    """
    config, plugin, project_dir = _load_site(config_file)
    docs_dir = Path(config.docs_dir).resolve()
    target = Path(out).resolve()
    # Inside docs_dir, the pages are rendered at their real place in the site (so that their
    # relative links are right) and written relative to OUT.
    prefix = target.relative_to(docs_dir).as_posix() + "/" if docs_dir in target.parents else ""
    options = dataclasses.replace(
        build_options(plugin, project_dir), page=prefix + plugin.page,
        library_page=prefix + plugin.library_page,
        label_clusters_page=prefix + plugin.label_clusters_page,
        genre_page=prefix + plugin.genre_page,
    )

    start = time.perf_counter()
    folder = _cache_folder(plugin, docs_dir)
    pool = workers.start_pool(plugin.workers)
    try:
        analysis = pipeline.analyse(options, ResultCache(folder) if folder else None, pool=pool)
        warnings = _report(analysis.problems, verbose=False)
        pages = front_matter(get_files(config))
        layout = build_layout(plugin)
        if layout.index_page is not None:
            layout = dataclasses.replace(layout, index_page=prefix + layout.index_page)
        site = pipeline.build_site(analysis, pages, layout)
        warnings += _report(site.problems, verbose=False)
        generated = site.materialize()
    finally:
        workers.stop_pool(pool)
    # Generated artist and label pages go where the site's own would be, outside OUT when OUT
    # is a folder inside docs_dir: they cannot be written there.
    outside = sorted(uri for uri in generated
                     if not uri.startswith(prefix) and uri != pipeline.STYLESHEET)
    if outside:
        click.echo(f"{len(outside)} generated artist/label page(s) belong outside {out} "
                   f"(first: {outside[0]}); left out", err=True)
        generated = {uri: content for uri, content in generated.items() if uri not in outside}
    written, refused = _write_folder(
        target, {uri.removeprefix(prefix): content for uri, content in generated.items()}
    )
    click.echo(
        f"{pipeline.summary(analysis, time.perf_counter() - start, folder is not None)}; "
        f"{written} file(s) written to {out}", err=True,
    )
    if generated:
        click.echo(
            "To build the pages without the plugin, the site's config needs "
            f"'markdown_extensions: [md_in_html]' and "
            f"'extra_css: [{prefix}{pipeline.STYLESHEET}]'.", err=True,
        )
    if refused or (strict and warnings):
        sys.exit(1)


@cli.command()
@click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False),
    help="The site's config file (default: mkdocs.yml), for the plugin's options.",
)
@click.option("-v", "--verbose", is_flag=True, help="Also list expected gaps (tracks without "
              "audio features, playlists too small for a page).")
@click.argument("data_dir", required=False, type=click.Path(file_okay=False, exists=True))
def check(config_file: str | None, verbose: bool, data_dir: str | None) -> None:
    """Check the playlist data and list every problem with its file, row and column.

    Give DATA_DIR to check a folder with the default options, or a config file to check the
    plugin's data folder with the site's options. Exits with status 1 if there is any
    problem (a WARNING in a build), 0 otherwise.
    """
    if data_dir is not None and config_file is not None:
        raise click.UsageError("give a DATA_DIR or a --config-file, not both")
    if data_dir is not None:
        plugin = _plugin_config({"data_dir": data_dir}, None, "the command line")
        project_dir = Path.cwd()
    else:
        _, plugin, project_dir = _load_site(config_file or "mkdocs.yml")
    found = pipeline.survey(build_options(plugin, project_dir))
    warnings = _report(found.problems, verbose=verbose, out=sys.stdout)
    pages = len(found.tables)
    click.echo(
        f"{found.playlists} playlist(s), {found.tracks} track(s), {pages} with enough usable "
        f"tracks for a page: " + (f"{warnings} problem(s)" if warnings else "no problems")
    )
    sys.exit(1 if warnings else 0)


def main() -> None:
    """The console script's entry point."""
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)
    cli(prog_name="mkdocs-clusters")


def _load_site(config_file: str) -> tuple[MkDocsConfig, ClustersConfig, Path]:
    """The site's config (for docs_dir and its exclusions) and the plugin's options.

    Only MkDocs' own settings are validated, with no theme, plugin or hook loaded: the site
    may be built by another tool, with plugins that are not installed here.
    """
    path = Path(config_file)
    if not path.is_file():
        raise ConfigProblem(f"config file '{config_file}' not found (give one with --config-file)")
    try:
        with path.open("rb") as f:
            raw = yaml_load(f, get_yaml_loader())
        options = _plugin_options(raw, config_file)
        config = load_config(
            str(path), theme="mkdocs", plugins=[], hooks=[], markdown_extensions=[]
        )
    except (ConfigurationError, MkDocsException) as error:
        raise ConfigProblem(f"{config_file}: {error}") from None
    plugin = _plugin_config(options, str(path), config_file)
    return config, plugin, path.resolve().parent


def _plugin_options(raw: dict, config_file: str) -> dict:
    """The `clusters` entry of `plugins:` (a list of names and mappings, or a mapping)."""
    entries = (raw.get("plugins") if isinstance(raw, dict) else None) or []
    items = entries.items() if isinstance(entries, dict) else (
        (e, {}) if isinstance(e, str) else next(iter(e.items()), (None, None))
        for e in entries if isinstance(e, (str, dict))
    )
    for name, options in items:
        if name == "clusters":
            return dict(options or {})
    raise ConfigProblem(f"{config_file}: no 'clusters' entry under 'plugins:'")


def _plugin_config(options: dict, config_file_path: str | None, where: str) -> ClustersConfig:
    plugin = ClustersConfig(config_file_path=config_file_path)
    plugin.load_dict({k: v for k, v in options.items() if k != "enabled"})
    errors, warnings = plugin.validate()
    for name, warning in warnings:
        click.echo(f"WARNING  {where}: Plugin 'clusters' option '{name}': {warning}", err=True)
    if errors:
        name, error = errors[0]
        raise ConfigProblem(f"{where}: Plugin 'clusters' option '{name}': {error}")
    if plugin.data_dir is None:
        raise ConfigProblem(f"{where}: Plugin 'clusters' option 'data_dir': required")
    return plugin


def _cache_folder(plugin: ClustersConfig, docs_dir: Path) -> Path | None:
    try:
        return cache_folder(plugin, docs_dir)
    except MkDocsException as error:
        raise ConfigProblem(str(error)) from None


def _report(problems: tuple[Problem, ...], *, verbose: bool, out=None) -> int:
    """Print the problems (warnings always, expected gaps when verbose); count the warnings."""
    stream = out or sys.stderr
    count = 0
    for problem in problems:
        if problem.level == "info":
            if verbose:
                click.echo(f"INFO     {problem}", file=stream)
        else:
            count += 1
            click.echo(f"WARNING  {problem}", file=stream)
    return count


def _write_folder(folder: Path, files: dict[str, str | bytes]) -> tuple[int, int]:
    """Write the files; remove what the previous run wrote and this one does not.

    Returns (files written, files refused because the user has a file there).
    """
    manifest = folder / MANIFEST
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        previous = set()
    written = refused = 0
    kept: list[str] = []
    for uri, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = folder / uri
        current = path.read_bytes() if path.is_file() else None
        if current is not None and uri not in previous and current != data:
            click.echo(f"WARNING  '{path}' is not from mkdocs-clusters: left as it is", err=True)
            refused += 1
            continue
        if current != data:  # unchanged files keep their time stamp: no needless rebuilds
            write_atomic(path, data)
            written += 1
        kept.append(uri)
    for uri in sorted(previous - set(kept)):
        path = folder / uri
        if folder not in path.resolve().parents:  # a manifest edited by hand
            continue
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == folder or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()
    write_atomic(manifest, (json.dumps(kept, indent=1, ensure_ascii=False) + "\n").encode())
    return written, refused
