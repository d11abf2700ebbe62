"""Library-wide clustering at scale: time and peak memory of `cluster.fit_library`.

    PYTHONPATH=. python benchmarks/library.py --tracks 100000 1000000 [--runs 3]
    PYTHONPATH=. python benchmarks/library.py --read DIR [--runs 1] [--baseline CHECKOUT]
    PYTHONPATH=. python benchmarks/library.py --survey DIR [--runs 5] [--baseline CHECKOUT]

Each size runs in a fresh process (peak RSS is per process), on the seeded synthetic feature
matrix of `synth.features`; the process's baseline (Python, numpy, scikit-learn imported) is
reported too, so the clustering's own share of the memory can be read off.

`--read` times the readers (`read_library`, then `build_features` per playlist) on a data
folder, `--survey` a build's first step (`pipeline.survey`, imports included), each run in a
fresh process. With `--baseline` (another checkout, e.g. `git archive main mkdocs_clusters |
tar -x -C /tmp/main`), its runs alternate with this checkout's and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import os
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


def survey_child(folder: Path) -> dict[str, object]:
    """In a fresh process: import the pipeline, then `survey` the data folder as a build does."""
    start = time.perf_counter()
    from mkdocs_clusters.pipeline import Options, survey

    imported = time.perf_counter()
    found = survey(Options(data_dir=folder, project_dir=folder.parent))
    return {"import_s": imported - start, "survey_s": time.perf_counter() - imported,
            "playlists": found.playlists, "tracks": found.tracks, "pages": len(found.jobs),
            "problems": len(found.problems), "peak_mib": peak_mib()}


def in_child(args: list[str], checkout: Path) -> dict[str, object]:
    """This script run with `args` in a fresh process, importing mkdocs_clusters from
    `checkout`: its JSON answer, with the process's wall and CPU seconds."""
    path = os.pathsep.join([str(checkout), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {**json.loads(out.stdout), "process_s": wall, "cpu_s": cpu}


def compare(child_args: list[str], runs: int, baseline: Path | None,
            report: list[tuple[str, str]]) -> None:
    """`runs` fresh processes of this checkout (and, alternating with them, of `baseline`):
    the median of each measurement in `report` (key, what), and this checkout's ratio to the
    baseline's."""
    versions = {"this checkout": HERE.parent,
                **({f"baseline {baseline}": baseline} if baseline else {})}
    found: dict[str, list[dict[str, object]]] = {name: [] for name in versions}
    for _ in range(runs):
        for name, checkout in versions.items():
            found[name].append(in_child(child_args, checkout))
    medians = {}
    for name, results in found.items():
        last = results[-1]
        print(f"{name}: " + ", ".join(f"{k} {last[k]:,}" for k in ("playlists", "tracks", "rows",
                                                                     "pages", "problems")
                                      if k in last))
        for key, what in report:
            times = [float(run[key]) for run in results]  # type: ignore[arg-type]
            medians[name, key] = statistics.median(times)
            print(f"    {what}: {medians[name, key]:.3f} (runs "
                  f"{', '.join(f'{t:.3f}' for t in times)})")
    if baseline:
        for key, what in report:
            ratio = medians["this checkout", key] / medians[f"baseline {baseline}", key]
            print(f"this checkout / baseline, {what}: {ratio:.2f}")


def clustering(sizes: list[int], runs: int) -> None:
    """Each size's `fit_library` in a fresh process."""
    for tracks in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(tracks), "--runs",
                              str(runs)], check=True, capture_output=True, text=True)
        found = json.loads(out.stdout)
        print(f"{found['tracks']:>9,} tracks: median {found['median_s']:.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in found['runs_s'])}), peak RSS "
              f"{found['peak_mib']:.0f} MiB (baseline {found['baseline_mib']:.0f} MiB), "
              f"{found['clusters']} clusters {found['sizes']}")
        print(f"    {found['criterion']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--read", type=Path, help="a data folder to read, fresh processes")
    parser.add_argument("--survey", type=Path, help="a data folder to survey, fresh processes")
    parser.add_argument("--baseline", type=Path, help="a checkout to compare with")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--read-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--survey-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    baseline = args.baseline.resolve() if args.baseline else None
    if args.child:
        print(json.dumps(one(args.child, args.runs)))
    elif args.read_child:
        print(json.dumps(read(args.read_child)))
    elif args.survey_child:
        print(json.dumps(survey_child(args.survey_child)))
    elif args.read:
        compare(["--read-child", str(args.read.resolve())], args.runs, baseline,
                [("read_s", "read_library, s"), ("features_s", "build_features, s"),
                 ("process_s", "process, s"), ("peak_mib", "peak RSS, MiB")])
    elif args.survey:
        compare(["--survey-child", str(args.survey.resolve())], args.runs, baseline,
                [("process_s", "process (start, imports, survey), s"),
                 ("cpu_s", "process CPU time, s"),
                 ("import_s", "importing mkdocs_clusters.pipeline, s"),
                 ("survey_s", "survey, s"), ("peak_mib", "peak RSS, MiB")])
    else:
        clustering(args.tracks, args.runs)


if __name__ == "__main__":
    main()
