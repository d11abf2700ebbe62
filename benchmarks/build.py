"""The plugin's cost in a real build, as ratios to a plain build of the same pages, in one run.

    PYTHONPATH=. python benchmarks/build.py [--tracks 15000] [--playlists 100] [--runs 3]
                                            [--work /tmp/mkdocs-clusters-bench] [--skip-serve]

Sets up, under --work, a synthetic library (`synth.py`) and two Material sites:

- `plugin/`: the `clusters` plugin reads the library;
- `plain/`: no plugin; the same pages, figures and stylesheet pre-written as ordinary files by
  `python -m mkdocs_clusters generate --out docs`, with `md_in_html` and the stylesheet in the
  config (what the plugin adds): the plugin's true overhead is the ratio of the two.

Every build is a fresh `python -m mkdocs build` process (what a user runs), timed from the
outside; builds alternate between the sites so that the machine's load hits both alike, and
each ratio is the median over --runs. Rows:

1. cold build, empty cache (`cache: false`), against the plain build;
2. cold build, cache on disk from an earlier build (a fresh process: nothing in memory);
3. warm `mkdocs serve` rebuilds (a real `mkdocs serve` process, its "Documentation built in"
   lines): after an edit of a page (nothing the plugin reads changed), and after one playlist
   changed, against the plain site's `mkdocs serve` rebuild after the same page edit;
4. per playlist: the plugin's clustering and figure against the seed's pipeline (see
   `seed_pipeline`), on the same playlists, in this process.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

PLUGIN_CONFIG = """site_name: Bench
theme: material
plugins:
  - search
  - clusters:
      data_dir: data
      cache: {cache}
"""
PLAIN_CONFIG = """site_name: Bench
theme: material
plugins:
  - search
markdown_extensions: [md_in_html]
extra_css: [assets/mkdocs-clusters.css]
"""


def setup(work: Path, tracks: int, playlists: int) -> tuple[Path, Path]:
    from synth import generate

    library = work / f"library-{tracks}-{playlists}"
    if not (library / "data").is_dir():
        generate(library, tracks, playlists)
    plugin, plain = work / "plugin", work / "plain"
    for site in (plugin, plain):
        shutil.rmtree(site, ignore_errors=True)
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "index.md").write_text("# Home\n\nA synthetic library.\n")
        shutil.copytree(library / "data", site / "data")
    (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="false"))
    (plain / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="false"))
    subprocess.run([sys.executable, "-m", "mkdocs_clusters", "generate", "--out", "docs"],
                   cwd=plain, env=ENV, check=True, capture_output=True)
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG)
    shutil.rmtree(plain / "data")
    return plugin, plain


def timed_build(site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site, env=ENV,
                   check=True)
    return time.perf_counter() - start


def builds(plugin: Path, plain: Path, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"plain": [], "cold": [], "disk": []}
    for _ in range(runs):
        times["plain"].append(timed_build(plain))
        (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="false"))
        times["cold"].append(timed_build(plugin))
        (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="true"))
        timed_build(plugin)  # fills the disk cache (not timed)
        times["disk"].append(timed_build(plugin))
        shutil.rmtree(plugin / ".cache", ignore_errors=True)
    return times


class Serve:
    """A `mkdocs serve` process; `rebuild` edits a file and waits for the rebuild's time."""

    BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")

    def __init__(self, site: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site, env=ENV, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        )
        self.first = self._next_build()

    def _next_build(self) -> float:
        assert self.process.stderr is not None
        for line in self.process.stderr:  # (a build that never comes: the caller's timeout)
            if found := self.BUILT.search(line):
                return float(found.group(1))
        raise RuntimeError("mkdocs serve stopped")

    def rebuild(self, edit: Path, text: str) -> float:
        time.sleep(0.3)  # let the watcher settle after the previous build
        with edit.open("a", encoding="utf-8") as f:
            f.write(text)
        return self._next_build()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def serve_rebuilds(plugin: Path, plain: Path, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"plain": [], "nothing": [], "one": []}
    (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(cache="true"))
    shutil.rmtree(plugin / ".cache", ignore_errors=True)
    playlist = sorted((plugin / "data").glob("*.csv"))[0]
    servers = {"plain": Serve(plain), "plugin": Serve(plugin)}
    try:
        for run in range(runs):
            times["plain"].append(servers["plain"].rebuild(plain / "docs/index.md", "\nEdit.\n"))
            times["nothing"].append(
                servers["plugin"].rebuild(plugin / "docs/index.md", "\nEdit.\n"))
            # One more track in the first playlist (a copy of its last row, new id).
            row = playlist.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[1]
            row = re.sub(r"spotify:track:\w{22}", f"spotify:track:Bench{run:017d}", row)
            times["one"].append(servers["plugin"].rebuild(playlist, row + "\n"))
    finally:
        for server in servers.values():
            server.stop()
    return times


def per_playlist(site: Path, count: int) -> tuple[list[float], list[float]]:
    """Seconds per playlist: the plugin's `_compute` and the seed's pipeline, alternating."""
    from mkdocs_clusters import pipeline
    from mkdocs_clusters.model import UNIT_FEATURES

    options = pipeline.Options(data_dir=site / "data", project_dir=site, features=UNIT_FEATURES)
    tables = pipeline.survey(options).tables[:count]
    pipeline._compute(tables[0], options)  # imports, font cache
    seed_pipeline(tables[0].matrix)
    plugin, seed = [], []
    for table in tables:
        start = time.perf_counter()
        pipeline._compute(table, options)
        plugin.append(time.perf_counter() - start)
        start = time.perf_counter()
        seed_pipeline(table.matrix)
        seed.append(time.perf_counter() - start)
    return plugin, seed


def seed_pipeline(matrix: object) -> bytes:
    """The seed site's pipeline (spotify-stats), as the issue describes it: PCA by
    eigendecomposition of the covariance, KMeans retried with fewer clusters while the largest
    cluster is more than 10x the smallest, and a 15x15-inch scatter at 50 dpi as PNG."""
    import io
    import math

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.cluster import KMeans

    data = np.asarray(matrix, dtype=float)
    centred = data - data.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    order = np.argsort(values)[::-1]
    projected = centred @ vectors[:, order[:5]]
    k = min(10, max(3, math.ceil(len(data) / 50)))
    while True:
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(projected)
        sizes = np.bincount(labels, minlength=k)
        if k <= 2 or sizes.max() <= 10 * max(sizes.min(), 1):
            break
        k -= 1
    figure = Figure(figsize=(15, 15), dpi=50)
    axes = figure.add_subplot()
    axes.scatter(projected[:, 0], projected[:, 1], c=labels, cmap="tab10")
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _ratio_line(label: str, times: list[float], plain: list[float]) -> str:
    """The medians and the median of the per-run ratios (each run's pair measured together)."""
    median = statistics.median
    ratios = [t / p for t, p in zip(times, plain, strict=True)]
    return (f"{label}: {median(times):.2f} s against plain {median(plain):.2f} s, ratio "
            f"{median(ratios):.2f} (runs {', '.join(f'{r:.2f}' for r in ratios)})")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=15000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mkdocs-clusters-bench"))
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args()

    plugin, plain = setup(args.work.resolve(), args.tracks, args.playlists)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"library: {args.tracks} tracks, {args.playlists} playlists; {args.runs} runs")
    median = statistics.median

    plugin_times, seed_times = per_playlist(plugin, 30)
    print(f"per playlist: plugin {median(plugin_times) * 1000:.0f} ms, seed "
          f"{median(seed_times) * 1000:.0f} ms, ratio "
          f"{median(p / s for p, s in zip(plugin_times, seed_times, strict=True)):.2f}")

    times = builds(plugin, plain, args.runs)
    for name in ("cold", "disk"):
        print(_ratio_line(f"{name} build", times[name], times["plain"]))
    if not args.skip_serve:
        serve = serve_rebuilds(plugin, plain, args.runs)
        for name in ("nothing", "one"):
            print(_ratio_line(f"serve rebuild, {name} changed", serve[name], serve["plain"]))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
