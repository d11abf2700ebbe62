"""Time of one playlist's clustering (`cluster.fit_clusters`, without the figure).

    PYTHONPATH=. python benchmarks/clustering.py LIBRARY [--playlists 30] [--runs 3]

LIBRARY is a site folder with a `data` folder, as `synth.py` writes one. Prints the time of
importing `mkdocs_clusters.cluster` in a fresh process, then the median milliseconds of
`fit_clusters` per playlist over the first `--playlists` playlists (each playlist's time is
the fastest of `--runs`, so a busy moment of this shared machine counts less).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def import_seconds() -> float:
    """Seconds to import the clustering module in a fresh interpreter (numpy and the
    package's own light modules included)."""
    script = ("import time; start = time.perf_counter(); import mkdocs_clusters.cluster; "
              "print(time.perf_counter() - start)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    return float(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--playlists", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"import mkdocs_clusters.cluster: {import_seconds() * 1000:.0f} ms")
    from mkdocs_clusters import pipeline
    from mkdocs_clusters.cluster import fit_clusters

    options = pipeline.Options(data_dir=args.library / "data", project_dir=args.library)
    tables = pipeline.survey(options).tables[:args.playlists]
    fit_clusters(tables[0], max_clusters=10, fixed=None, random_state=0)  # lazy imports
    best = []
    for table in tables:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fit_clusters(table, max_clusters=10, fixed=None, random_state=0)
            times.append(time.perf_counter() - start)
        best.append(min(times))
    sizes = [len(t.tracks) for t in tables]
    print(f"fit_clusters over {len(tables)} playlists ({min(sizes)}-{max(sizes)} tracks): "
          f"median {statistics.median(best) * 1000:.1f} ms, max {max(best) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
