"""Where a cold build's time goes: MkDocs' own stages and the plugin's, in the main process.

    PYTHONPATH=. python benchmarks/profile_build.py [--tracks 15000] [--playlists 100]
                                                    [--work /tmp/mkdocs-clusters-bench]

Builds the benchmark's plugin site (see `build.py`; the library and site are made there if
missing) once with the disk cache off, in this process, under cProfile, as `mkdocs build` does
(on_startup, build, on_shutdown: the worker processes run as in a real build). Prints the
wall-clock time and, for each stage, the time the main process spent in it (cumulative, so a
stage includes what it calls; the plugin's stages run inside MkDocs' own). Time the main process
spent waiting for a worker's result is `Outcome.get`'s.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (label, file suffix, function name) of the stages reported, in build order.
STAGES = (
    ("MkDocs: load the config (imports the theme and plugins)", "config/base.py", "load_config"),
    ("plugin: on_files (read the data, plan the pages)", "mkdocs_clusters/plugin.py", "on_files"),
    ("  read the data folder (survey)", "mkdocs_clusters/pipeline.py", "survey"),
    ("  cache lookups", "mkdocs_clusters/cache.py", "get"),
    ("  plan the site's pages (build_site)", "mkdocs_clusters/pipeline.py", "build_site"),
    ("MkDocs: read and render every page's Markdown", "commands/build.py", "_populate_page"),
    ("  plugin: wait for a worker's result", "mkdocs_clusters/pipeline.py", "get"),
    ("  plugin: render a clusters page's Markdown", "mkdocs_clusters/render.py", "render_page"),
    ("  plugin: the index and generated pages", "mkdocs_clusters/pages.py", "render_index"),
    ("MkDocs: copy static files (the figures)", "structure/files.py", "copy_static_files"),
    ("MkDocs: write every page (templates)", "commands/build.py", "_build_page"),
    ("  Material's search plugin (index every page)", "search/plugin.py", "on_page_context"),
    ("MkDocs: on_post_build (search index, plugin summary)", "mkdocs/plugins.py",
     "on_post_build"),
)


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

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config("mkdocs.yml")
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    profile.disable()
    wall = time.perf_counter() - start

    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    print(f"cold build (cache off), {args.playlists} playlists: {wall:.2f} s wall-clock "
          "(under cProfile, which slows the main process about 1.5-2x)")
    for label, suffix, name in STAGES:
        seconds = sum(cumulative for (file, _, function), (_, _, _, cumulative, _) in stats.items()
                      if function == name and file.endswith(suffix))
        print(f"{label:<58} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
