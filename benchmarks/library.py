"""Library-wide clustering at scale: time and peak memory of `cluster.fit_library`.

    PYTHONPATH=. python benchmarks/library.py --tracks 100000 1000000 [--runs 3]
    PYTHONPATH=. python benchmarks/library.py --read DIR   # the readers' cost on a synth library

Each size runs in a fresh process (peak RSS is per process), on the seeded synthetic feature
matrix of `synth.features`; the process's baseline (Python, numpy, scikit-learn imported) is
reported too, so the clustering's own share of the memory can be read off.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(tracks: int, runs: int) -> dict[str, object]:
    """Run in the child: generate, then time `fit_library` `runs` times."""
    sys.path.insert(0, str(HERE))
    import numpy as np
    import sklearn.cluster  # noqa: F401  (imported before the baseline is taken)
    from synth import features

    from mkdocs_clusters.cluster import fit_library
    from mkdocs_clusters.model import UNIT_FEATURES

    baseline = peak_mib()
    matrix = features(tracks)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fit_library(matrix, UNIT_FEATURES)
        seconds.append(time.perf_counter() - start)
    return {
        "tracks": tracks, "median_s": statistics.median(seconds), "runs_s": seconds,
        "peak_mib": peak_mib(), "baseline_mib": baseline,
        "clusters": int(result.labels.max()) + 1,
        "sizes": np.bincount(result.labels).tolist(), "criterion": result.criterion,
    }


def read(folder: Path) -> dict[str, object]:
    """The readers (one `Track` per row) and the feature tables on a synth library's data."""
    from mkdocs_clusters.features import build_features
    from mkdocs_clusters.model import UNIT_FEATURES
    from mkdocs_clusters.sources import read_library

    baseline = peak_mib()
    start = time.perf_counter()
    library = read_library(folder, folder.parent)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    for playlist in library.playlists:
        build_features(playlist, UNIT_FEATURES)
    return {"rows": sum(len(p.tracks) for p in library.playlists), "read_s": read_s,
            "features_s": time.perf_counter() - start, "peak_mib": peak_mib(),
            "baseline_mib": baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--read", type=Path, help="a synth library's data folder")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one(args.child, args.runs)))
        return
    if args.read:
        print(json.dumps(read(args.read.resolve())))
        return
    for tracks in args.tracks:
        out = subprocess.run([sys.executable, __file__, "--child", str(tracks), "--runs",
                              str(args.runs)], check=True, capture_output=True, text=True)
        found = json.loads(out.stdout)
        print(f"{found['tracks']:>9,} tracks: median {found['median_s']:.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in found['runs_s'])}), peak RSS "
              f"{found['peak_mib']:.0f} MiB (baseline {found['baseline_mib']:.0f} MiB), "
              f"{found['clusters']} clusters {found['sizes']}")
        print(f"    {found['criterion']}")


if __name__ == "__main__":
    main()
