"""The figure alone: milliseconds and bytes per playlist, against figures.py at another commit.

    PYTHONPATH=. python benchmarks/figure.py [--baseline b8657ec] [--tracks 15000]
                                             [--playlists 100] [--figures 30] [--rounds 5]
                                             [--work /tmp/mkdocs-clusters-figure]

Writes a synthetic library (`synth.py`) under --work unless it is there, clusters the first
--figures playlists with `cluster.fit_clusters`, then draws each clustering with this tree's
`figures.py` and with --baseline's (loaded from git beside it, so both use this tree's other
modules), alternately, --rounds times. Prints per-figure medians of wall and CPU time (both,
because the machine is shared: CPU time ignores waiting for a core), their ratio, and the
median SVG size, raw and gzipped (what a web server sends).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _baseline(revision: str, work: Path) -> ModuleType:
    source = subprocess.run(["git", "show", f"{revision}:mkdocs_clusters/figures.py"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    path = work / "figures_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("mkdocs_clusters.figures_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="b8657ec")
    parser.add_argument("--tracks", type=int, default=15000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--figures", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mkdocs-clusters-figure"))
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from synth import generate

    from mkdocs_clusters import figures, pipeline
    from mkdocs_clusters.cluster import fit_clusters

    args.work.mkdir(parents=True, exist_ok=True)
    if not (args.work / "data").is_dir():
        generate(args.work, args.tracks, args.playlists)
    found = pipeline.survey(pipeline.Options(data_dir=args.work / "data", project_dir=args.work))
    clusterings = [fit_clusters(t, max_clusters=10, fixed=None, random_state=0)
                   for t in found.tables[: args.figures]]
    sizes = sorted(len(c.tracks) for c in clusterings)
    print(f"{len(clusterings)} playlists of {sizes[0]}-{sizes[-1]} tracks")

    drawers = {"baseline": _baseline(args.baseline, args.work).draw_scatter,
               "this tree": figures.draw_scatter}
    for draw in drawers.values():
        draw(clusterings[0])  # font caches, and the reused figure
    wall: dict[str, list[float]] = {name: [] for name in drawers}
    cpu: dict[str, list[float]] = {name: [] for name in drawers}
    svgs: dict[str, list[bytes]] = {name: [] for name in drawers}
    for round_ in range(args.rounds):
        for clustering in clusterings:
            for name, draw in drawers.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                svg = draw(clustering)
                cpu[name].append(time.process_time() - start_cpu)
                wall[name].append(time.perf_counter() - start)
                if round_ == 0:
                    svgs[name].append(svg)
    for name in drawers:
        raw = statistics.median(len(s) for s in svgs[name]) / 1024
        packed = statistics.median(len(gzip.compress(s, 9)) for s in svgs[name]) / 1024
        print(f"{name}: {1000 * statistics.median(wall[name]):.1f} ms wall, "
              f"{1000 * statistics.median(cpu[name]):.1f} ms CPU per figure; "
              f"SVG {raw:.1f} KiB, gzipped {packed:.1f} KiB (medians)")
    for times, what in ((wall, "wall"), (cpu, "CPU")):
        ratio = statistics.median(times["this tree"]) / statistics.median(times["baseline"])
        print(f"this tree / baseline ({what}): {ratio:.3f}")


if __name__ == "__main__":
    main()
