"""How well the plugin's clusters separate and how stable they are, on real playlists.

    PYTHONPATH=. python benchmarks/quality.py [--data ../shared/data] [--subsamples 5]

For every playlist of 30 to 600 usable tracks in the data folder (longer ones are cut into
pseudo-playlists, see `playlists`) and for a few synthetic libraries with known structure, it
prints Markdown tables of, per method:

- separation: the silhouette of the clusters in the 0..1 feature space the page describes
  (`cluster.scale` of the seven default features); a playlist shown as one group counts 0;
- stability: the adjusted Rand index (ARI) between the clusters of the whole playlist and
  those of a 90% subsample, on the tracks both contain, averaged over several subsamples;
- k, the number of clusters, and the wall time of clustering the whole playlist.

Methods: `plugin` is `fit_clusters` as a build runs it; `seed` is the seed site's method as
issue 8 defines it (PCA to 5 dimensions of the raw features; k = ceil(n/50) clamped to
[3, 10], lowered while the largest cluster is more than 10 times the smallest); `before` is
the plugin before issue 8 (PCA keeping 90% of the variance, k of 2 to 10 by best
silhouette); `best3` is plain KMeans choosing k >= 3 by best silhouette.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs_clusters.cluster import fit_clusters, scale  # noqa: E402
from mkdocs_clusters.features import FeatureTable, build_features  # noqa: E402
from mkdocs_clusters.model import UNIT_FEATURES, Playlist, Track  # noqa: E402
from mkdocs_clusters.sources import read_library  # noqa: E402

SMALLEST, LARGEST = 30, 600
#: Sizes of the consecutive blocks a playlist longer than LARGEST is cut into, cycling.
BLOCKS = (60, 120, 250, 500)
SUBSAMPLE = 0.9
Method = Callable[[FeatureTable], np.ndarray]


# --- the methods -------------------------------------------------------------------------


def plugin(table: FeatureTable) -> np.ndarray:
    clustering = fit_clusters(table, max_clusters=10, fixed=None, random_state=0)
    labels = np.empty(len(table.tracks), dtype=int)
    for cluster in clustering.clusters:
        labels[list(cluster.members)] = cluster.number
    return labels


def seed(table: FeatureTable) -> np.ndarray:
    raw = table.matrix
    space = PCA(n_components=min(5, *raw.shape), svd_solver="full").fit_transform(raw)
    k = min(10, max(3, math.ceil(len(raw) / 50)))
    while True:
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit(space).labels_
        sizes = np.bincount(labels, minlength=k)
        if k == 1 or sizes.max() <= 10 * sizes.min():
            return labels
        k -= 1


def before(table: FeatureTable) -> np.ndarray:
    scaled = scale(table.matrix, table.features)
    pca = PCA(svd_solver="full").fit(scaled)
    keep = int(np.searchsorted(np.cumsum(pca.explained_variance_ratio_), 0.9) + 1)
    return _best_silhouette(pca.transform(scaled)[:, : max(2, keep)], range(2, 11))


def best3(table: FeatureTable) -> np.ndarray:
    return _best_silhouette(scale(table.matrix, table.features), range(3, 11))


def _best_silhouette(space: np.ndarray, ks: range) -> np.ndarray:
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        if k >= len(space):
            break
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit(space).labels_
        score = float(silhouette_score(space, labels))
        if best is None or score > best[0] + 1e-12:
            best = (score, labels)
    assert best is not None
    return best[1]


METHODS: dict[str, Method] = {"seed": seed, "before": before, "best3": best3, "plugin": plugin}


# --- the playlists ------------------------------------------------------------------------


def playlists(data: Path) -> Iterator[FeatureTable]:
    """Every real playlist of SMALLEST..LARGEST usable tracks; a longer one is cut, in its own
    order, into consecutive blocks of BLOCKS tracks (cycling; a last block under SMALLEST is
    dropped): pseudo-playlists such as "what I liked in a few months"."""
    library = read_library(data, data.parent)
    for playlist in sorted(library.playlists, key=lambda p: (p.source, p.name)):
        table, _ = build_features(playlist, UNIT_FEATURES)
        n = len(table.tracks)
        if n < SMALLEST:
            continue
        if n <= LARGEST:
            yield table
            continue
        start, block = 0, 0
        while start + SMALLEST <= n:
            size = BLOCKS[block % len(BLOCKS)]
            end = min(n, start + size)
            name = f"{playlist.name} [{start + 1}-{end}]"
            yield _subset(table, np.arange(start, end), name)
            start, block = end, block + 1


def synthetic() -> Iterator[tuple[FeatureTable, int]]:
    """Libraries with known structure: k tight groups of sound (k = 2..6) and clouds with no
    structure (k = 1), at three sizes."""
    for n in (60, 200, 500):
        for k in (1, 2, 3, 4, 5, 6):
            rng = np.random.default_rng(100 * k + n)
            if k == 1:
                matrix = rng.normal(0.5, 0.15, (n, len(UNIT_FEATURES)))
            else:
                centres = _spread_centres(rng, k)
                matrix = centres[np.arange(n) % k] + rng.normal(0, 0.06, (n, len(UNIT_FEATURES)))
            yield _table(np.clip(matrix, 0, 1), f"synthetic k={k}, n={n}"), k


def _spread_centres(rng: np.random.Generator, k: int) -> np.ndarray:
    """k centres in [0.1, 0.9]^7, each at least 0.5 from the others."""
    centres: list[np.ndarray] = []
    while len(centres) < k:
        candidate = rng.uniform(0.1, 0.9, len(UNIT_FEATURES))
        if all(np.linalg.norm(candidate - c) >= 0.5 for c in centres):
            centres.append(candidate)
    return np.array(centres)


def _table(matrix: np.ndarray, name: str) -> FeatureTable:
    tracks = tuple(
        Track(name=f"{name} #{i}", key=f"{name}#{i}",
              features=dict(zip(UNIT_FEATURES, map(float, row), strict=True)))
        for i, row in enumerate(matrix)
    )
    return FeatureTable(Playlist(name, "synthetic", tracks), tracks, matrix, UNIT_FEATURES, 0, 0, 0)


def _subset(table: FeatureTable, rows: np.ndarray, name: str | None = None) -> FeatureTable:
    tracks = tuple(table.tracks[i] for i in rows)
    playlist = table.playlist if name is None else dataclasses.replace(
        table.playlist, name=name, tracks=tracks)
    return dataclasses.replace(table, playlist=playlist, tracks=tracks, matrix=table.matrix[rows])


# --- the measures -------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    name: str
    tracks: int
    k: int
    silhouette: float
    stability: float
    seconds: float
    truth: float | None = None


def measure(method: Method, table: FeatureTable, subsamples: int,
            truth: np.ndarray | None = None) -> Row:
    start = time.perf_counter()
    labels = method(table)
    seconds = time.perf_counter() - start
    n = len(table.tracks)
    k = len(np.unique(labels))
    space = scale(table.matrix, table.features)
    separation = float(silhouette_score(space, labels)) if 1 < k < n else 0.0
    agreement = []
    for i in range(subsamples):
        rows = np.sort(np.random.default_rng(1000 + i).choice(
            n, size=round(SUBSAMPLE * n), replace=False))
        agreement.append(adjusted_rand_score(labels[rows], method(_subset(table, rows))))
    truth_ari = None if truth is None else float(adjusted_rand_score(truth, labels))
    return Row(table.playlist.name, n, k, separation, float(np.mean(agreement)), seconds,
               truth_ari)


def summary(name: str, rows: list[Row]) -> str:
    stability = [r.stability for r in rows]
    return (
        f"| {name} | {len(rows)} | {statistics.median(r.silhouette for r in rows):.3f} "
        f"| {statistics.median(r.k for r in rows):g} "
        f"| {statistics.median(stability):.3f} | {np.percentile(stability, 10):.3f} "
        f"| {sum(r.k == 1 for r in rows)} "
        f"| {1000 * statistics.median(r.seconds for r in rows):.0f} "
        f"| {1000 * max(r.seconds for r in rows):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--subsamples", type=int, default=5)
    parser.add_argument("--methods", default=",".join(METHODS),
                        help=f"comma-separated, of {', '.join(METHODS)}")
    args = parser.parse_args()
    methods = {name: METHODS[name] for name in args.methods.split(",")}

    real = list(playlists(args.data))
    results: dict[str, list[Row]] = {name: [] for name in methods}
    for table in real:
        for name, method in methods.items():
            results[name].append(measure(method, table, args.subsamples))
    made_up: dict[str, list[tuple[Row, int]]] = {name: [] for name in methods}
    libraries = list(synthetic())
    for table, k in libraries:
        truth = np.arange(len(table.tracks)) % k
        for name, method in methods.items():
            made_up[name].append((measure(method, table, args.subsamples, truth), k))

    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"{len(real)} real playlists of {SMALLEST}-{LARGEST} tracks from {args.data}, "
          f"{args.subsamples} subsamples of {SUBSAMPLE:.0%} each.\n")
    header = ("| method | playlists | median silhouette | median k | median stability (ARI) "
              "| 10th percentile stability | one group | median ms | max ms |")
    print("## Real playlists\n")
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, rows in results.items():
        print(summary(name, rows))

    print("\n## Synthetic libraries (k = 1: no structure)\n")
    print("| method | right k | median ARI with the truth | median stability | median ms |")
    print("|---|---:|---:|---:|---:|")
    for name, pairs in made_up.items():
        right = sum(row.k == k for row, k in pairs)
        print(f"| {name} | {right} of {len(pairs)} "
              f"| {statistics.median(row.truth or 0.0 for row, _ in pairs):.3f} "
              f"| {statistics.median(row.stability for row, _ in pairs):.3f} "
              f"| {1000 * statistics.median(row.seconds for row, _ in pairs):.0f} |")

    print("\n## Per playlist (k / silhouette / stability)\n")
    print("| playlist | tracks | " + " | ".join(methods) + " |")
    print("|---|---:|" + "---|" * len(methods))
    for i, table in enumerate(real):
        cells = [f"{results[m][i].k} / {results[m][i].silhouette:.2f} / "
                 f"{results[m][i].stability:.2f}" for m in methods]
        name = table.playlist.name.replace("|", "\\|")
        print(f"| {name} | {len(table.tracks)} | " + " | ".join(cells) + " |")
    print("\n## Per synthetic library (k / ARI with the truth)\n")
    print("| library | " + " | ".join(methods) + " |")
    print("|---|" + "---|" * len(methods))
    for j, (table, _) in enumerate(libraries):
        cells = [f"{made_up[m][j][0].k} / {made_up[m][j][0].truth:.2f}" for m in methods]
        print(f"| {table.playlist.name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
