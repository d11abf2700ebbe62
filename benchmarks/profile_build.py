"""Where a cold build's time goes: MkDocs' own stages and the plugin's, in the main process.

    PYTHONPATH=. python benchmarks/profile_build.py [--tracks 15000] [--playlists 100]
                                                    [--work /tmp/mkdocs-clusters-bench]

Builds the benchmark's plugin site (see `build.py`; the library and site are made there if
missing) with the disk cache off, in this process, as `mkdocs build` does (on_startup, build,
on_shutdown: the worker processes run as in a real build), with a wall-clock timer around each
stage's function (cProfile's overhead, 10x on Markdown's many small calls, would distort the
picture). A stage's time includes what it calls; the plugin's stages run inside MkDocs' own.
"Wait for a worker's result" is time the main process sat idle, waiting.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (label, module, qualified name) of the stages timed, in build order.
STAGES = (
    ("plugin: on_files (read the data, plan the pages)", "mkdocs_clusters.plugin",
     "ClustersPlugin.on_files"),
    ("  read the data folder (survey)", "mkdocs_clusters.pipeline", "survey"),
    ("  cache lookups", "mkdocs_clusters.cache", "ResultCache.get"),
    ("  plan the site's pages (build_site)", "mkdocs_clusters.pipeline", "build_site"),
    ("MkDocs: read and render every page's Markdown", "mkdocs.commands.build", "_populate_page"),
    ("  plugin: wait for a worker's result", "mkdocs_clusters.pipeline", "Outcome.get"),
    ("  plugin: render a clusters page's Markdown", "mkdocs_clusters.pipeline", "render_page"),
    ("MkDocs: copy static files (the figures)", "mkdocs.structure.files",
     "Files.copy_static_files"),
    ("MkDocs: write every page (templates, search)", "mkdocs.commands.build", "_build_page"),
    ("  Material's search plugin (index every page)", "material.plugins.search.plugin",
     "SearchPlugin.on_page_context"),
    ("plugin: on_post_build (summary)", "mkdocs_clusters.plugin",
     "ClustersPlugin.on_post_build"),
)


def timed(totals: dict[str, float], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    depth = [0]  # (a recursive stage counts once)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - start

    return wrapper


def instrument(totals: dict[str, float]) -> None:
    for label, module_name, qualified in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = qualified.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(totals, label, getattr(owner, name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=15000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mkdocs-clusters-bench"))
    args = parser.parse_args()

    from build import PLUGIN_CONFIG, setup

    site = args.work.resolve() / "plugin"
    if not (site / "mkdocs.yml").exists():
        setup(args.work.resolve(), args.tracks, args.playlists)
    (site / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="false"))
    os.chdir(site)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logging.basicConfig(level=logging.WARNING)

    start = time.perf_counter()
    from mkdocs.commands import build as build_module
    from mkdocs.config import load_config

    totals: dict[str, float] = {}
    instrument(totals)
    config = load_config("mkdocs.yml")
    loaded = time.perf_counter() - start
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build_module.build(config)
    finally:
        config.plugins.on_shutdown()
    wall = time.perf_counter() - start

    print(f"cold build (cache off), {args.playlists} playlists: {wall:.2f} s wall-clock, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'MkDocs: import, load the config (theme, plugins)':<56} {loaded:6.2f} s")
    for label, _, _ in STAGES:
        print(f"{label:<56} {totals.get(label, 0.0):6.2f} s")


if __name__ == "__main__":
    main()
