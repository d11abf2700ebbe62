"""The `mkdocs-clusters` command: `generate` gives what the plugin gives, `check` lists problems."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner
from conftest import ROOT, THREE_SOUNDS, Site, blob_tracks, playlist_yaml

from mkdocs_clusters.cli import MANIFEST, cli

FAST = {"clusters": 2}


def run(*args: str, cwd: Path | None = None):
    """The command in-process, as its console script runs it (exit status, stdout, stderr)."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), prog_name="mkdocs-clusters")
    finally:
        os.chdir(old)


def library(site: Site, name: str = "Road Trip") -> None:
    tracks = blob_tracks(24, THREE_SOUNDS[:2], artists=["The Hosts"], label="EMI",
                         album="Album One")
    site.write("data/road-trip.yml", playlist_yaml(name, tracks))
    site.write("docs/artists/the_hosts/overview.md", "# The Hosts\n")
    site.write("docs/labels/emi/overview.md", "# EMI\n")


def broken_data(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bad.csv").write_text("track,energy,danceability\nA,0.5,fast\nB,2,0.3\n")
    (folder / "broken.yml").write_text("playlist: X\ntracks:\n  - track: [oops\n")


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_help_names_the_commands_and_their_options() -> None:
    top = run("--help")
    assert top.exit_code == 0
    assert top.output.startswith("Usage: mkdocs-clusters [OPTIONS] COMMAND [ARGS]...")
    assert re.search(r"^  check +Check the playlist data", top.output, re.M)
    assert re.search(r"^  generate +Write the pages and figures", top.output, re.M)
    generate = run("generate", "--help").output
    assert "Usage: mkdocs-clusters generate [OPTIONS]" in generate
    assert "-o, --out DIRECTORY" in generate and "-f, --config-file FILE" in generate
    check = run("check", "--help").output
    assert "Usage: mkdocs-clusters check [OPTIONS] [DATA_DIR]" in check
    assert "Exits with status 1 if there is any problem" in " ".join(check.split())


def test_check_lists_every_problem_with_file_row_and_column(tmp_path: Path) -> None:
    broken_data(tmp_path / "data")
    result = run("check", "data", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "WARNING  data/bad.csv, row 2, column 'danceability': expected a number, got 'fast'",
        "WARNING  data/bad.csv, row 3, column 'energy': expected a number from 0 to 1, got 2",
        "WARNING  data/broken.yml: not valid YML: while parsing a flow sequence",
        "WARNING  data/bad.csv, row 2, column 'speechiness': track 'A' has some audio features "
        "but not speechiness, acousticness, instrumentalness, liveness, valence; left out",
        "WARNING  data/bad.csv, row 3, column 'speechiness': track 'B' has some audio features "
        "but not speechiness, acousticness, instrumentalness, liveness, valence; left out",
        "1 playlist(s), 2 track(s), 0 with enough usable tracks for a page: 5 problem(s)",
    ]


def test_check_passes_good_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/p.yml").write_text(playlist_yaml("P", blob_tracks(12, THREE_SOUNDS)))
    result = run("check", "data", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout == "1 playlist(s), 12 track(s), 1 with enough usable tracks for a " \
        "page: no problems\n"


def test_check_with_the_config_finds_what_a_build_warns_about(site: Site) -> None:
    broken_data(site.data)
    library(site)
    # The site's options count: with two features, track 'A' is no longer incomplete.
    site.configure(plugin={**FAST, "features": ["energy", "danceability"]})
    build = site.build()
    result = run("check", "--config-file", str(site.root / "mkdocs.yml"))
    assert result.exit_code == 1
    listed = [line.removeprefix("WARNING  ") for line in result.stdout.splitlines()[:-1]]
    assert listed == [w.removeprefix("clusters: ") for w in build.warnings]
    assert len(listed) == 3

    # `generate` reports the same problems; only with --strict do they fail it.
    config = str(site.root / "mkdocs.yml")
    lenient = run("generate", "-f", config, "-o", str(site.root / "out"))
    assert lenient.exit_code == 0
    assert [line for line in lenient.stderr.splitlines() if line.startswith("WARNING")] == \
        result.stdout.splitlines()[:-1]
    assert run("generate", "-f", config, "-o", str(site.root / "out"), "--strict").exit_code == 1


def test_check_takes_a_folder_or_a_config_not_both(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = run("check", "-f", "mkdocs.yml", "data", cwd=tmp_path)
    assert result.exit_code == 2
    assert "Error: give a DATA_DIR or a --config-file, not both" in result.stderr


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ("[search]", "mkdocs.yml: no 'clusters' entry under 'plugins:'"),
        ("{clusters: {data_dir: nope}}",
         "mkdocs.yml: Plugin 'clusters' option 'data_dir': The path 'nope' isn't an existing "
         "directory."),
    ],
)
def test_a_config_the_command_cannot_use_is_a_clear_error(
    tmp_path: Path, plugins: str, message: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: S\nplugins: {plugins}\n")
    (tmp_path / "docs").mkdir()
    result = run("generate", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_generate_into_docs_gives_a_plain_build_the_same_site(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    library(site)
    site.configure(plugin=FAST)
    with_plugin = site.build(strict=True, site_dir=tmp_path / "with-plugin")
    assert with_plugin.error is None, with_plugin.warnings

    # The same project, built by "another tool": MkDocs without the plugin, on docs that
    # hold the generated files. md_in_html is what the plugin would have switched on.
    plain = Site(tmp_path / "plain")
    shutil.copytree(site.root, plain.root, ignore=shutil.ignore_patterns("site", ".cache"))
    plain.configure(plugin={**FAST, "enabled": False}, markdown_extensions=["md_in_html"],
                    extra_css=["assets/mkdocs-clusters.css"])
    result = run("generate", "--out", "docs", cwd=plain.root)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "; 3 file(s) written to docs\nTo build the pages without the plugin, the site's config "
        "needs 'markdown_extensions: [md_in_html]' and "
        "'extra_css: [assets/mkdocs-clusters.css]'.\n")
    assert sorted(digest(plain.docs)) == sorted(
        [*digest(site.docs), MANIFEST, "assets/mkdocs-clusters.css",
         "playlists/road_trip/clusters.md", "playlists/road_trip/clusters.svg"])
    without_plugin = plain.build(strict=True, site_dir=tmp_path / "without-plugin")
    assert without_plugin.error is None, without_plugin.warnings

    assert digest(without_plugin.site_dir) == digest(with_plugin.site_dir)


def test_generate_into_a_folder_inside_docs_keeps_the_links_working(site: Site) -> None:
    library(site)
    site.configure(plugin={**FAST, "enabled": False}, markdown_extensions=["md_in_html"])
    result = run("generate", "--out", "docs/clusters", cwd=site.root)
    assert result.exit_code == 0, result.output
    built = site.build(strict=True)  # a link to a missing page would be a warning here
    assert built.error is None, built.warnings
    page_path = "clusters/playlists/road_trip/clusters/index.html"
    page = built.html(page_path)
    hrefs = set(re.findall(r'<a href="(\.\.[^"#]*)"', page))
    assert {h.split("/")[-3] for h in hrefs} >= {"the_hosts", "emi"}
    for href in hrefs:
        assert ((built.site_dir / page_path).parent / href / "index.html").is_file(), href


def test_generate_replaces_its_own_files_and_never_a_users(site: Site, tmp_path: Path) -> None:
    library(site)
    site.configure(plugin=FAST)
    out = tmp_path / "out"
    assert run("generate", "-f", str(site.root / "mkdocs.yml"), "-o", str(out)).exit_code == 0
    assert sorted(digest(out)) == [MANIFEST, "assets/mkdocs-clusters.css",
                                   "playlists/road_trip/clusters.md",
                                   "playlists/road_trip/clusters.svg"]
    # Nothing changed: nothing is written (time stamps stay, watchers stay quiet).
    again = run("generate", "-f", str(site.root / "mkdocs.yml"), "-o", str(out))
    assert f"; 0 file(s) written to {out}\n" in again.stderr

    (out / "notes.md").write_text("mine")
    (out / "playlists/night_drive").mkdir(parents=True)
    (out / "playlists/night_drive/clusters.md").write_text("mine too")
    library(site, name="Night Drive")  # the playlist is renamed: its page moves
    moved = run("generate", "-f", str(site.root / "mkdocs.yml"), "-o", str(out))
    assert moved.exit_code == 1
    assert (f"WARNING  '{out}/playlists/night_drive/clusters.md' is not from mkdocs-clusters: "
            "left as it is\n") in moved.stderr
    assert sorted(digest(out)) == [MANIFEST, "assets/mkdocs-clusters.css", "notes.md",
                                   "playlists/night_drive/clusters.md",
                                   "playlists/night_drive/clusters.svg"]
    assert (out / "notes.md").read_text() == "mine"
    assert (out / "playlists/night_drive/clusters.md").read_text() == "mine too"
    assert not (out / "playlists/road_trip").exists()


def test_python_m_runs_the_command(tmp_path: Path) -> None:
    broken_data(tmp_path / "data")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "mkdocs_clusters", "check", "data"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].endswith(": 5 problem(s)")
    usage = subprocess.run([sys.executable, "-m", "mkdocs_clusters", "--help"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert usage.returncode == 0 and usage.stdout.startswith("Usage: mkdocs-clusters ")


def test_the_console_script_is_declared() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"mkdocs-clusters": "mkdocs_clusters.cli:main"}


def test_generate_reports_pages_two_templates_put_at_one_path(site: Site) -> None:
    library(site, name="Library")
    site.configure(plugin={**FAST, "page": "{slug}/clusters.md", "library": True})
    result = run("generate", "--out", "out", "--strict", cwd=site.root)
    assert result.exit_code == 1
    assert ("WARNING  library/clusters.md: the clusters of 'your library' would be generated at "
            "the same path as the clusters of 'Library'; left out (give the page templates "
            "different paths)\n") in result.stderr
