"""Group a playlist's tracks into clusters of similar sound.

A page's clustering is numpy alone: k-means (k-means++ seeding, Lloyd's iterations), the
silhouette and the 2-D projection, written for arrays of a few hundred tracks. scikit-learn
computes the same things (tests/test_cluster.py holds this code to it), but on playlists of a
few hundred tracks its per-call overhead dominated: choosing k fitted `KMeans(n_init=10)` for
each k of 2..10 and for 3 structureless clouds, and each of those 99 k-means++ starts cost
about 0.6 ms of Python-level work in `_kmeans_plusplus` and `euclidean_distances`. Here all
restarts of all k run as one batch of arrays. `benchmarks/clustering.py` on a synthetic
library (30 playlists of 137-266 tracks; load average 1.5-1.8, two alternating runs): median
fit 86.5 and 89.4 ms with scikit-learn, 10.5 and 8.9 ms with this module. `import sklearn`
alone took 1.2 s, paid by every cold build's worker; this module no longer imports it, except
inside `fit_library`, whose mini-batch k-means over 100k-1M tracks is scikit-learn's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from threadpoolctl import ThreadpoolController

from .features import FeatureTable
from .model import WORDS, Cluster, Clustering

#: Okabe–Ito's colour-blind-safe palette, then two more; each cluster also gets its own marker
#: shape, so clusters stay apart for every reader.
COLOURS = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
    "#D55E00", "#CC79A7", "#999999", "#882255", "#44AA99",
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "p")

#: Known ranges of the features that are not already on a 0..1 scale. Every feature is mapped
#: onto 0..1 by a fixed range, not by the playlist's own spread: a feature that barely varies
#: in a playlist (liveness, often) stays small instead of being blown up to equal weight.
RANGES: dict[str, tuple[float, float]] = {
    "tempo": (0.0, 250.0),
    "loudness": (-60.0, 5.0),
    "key": (0.0, 11.0),
    "mode": (0.0, 1.0),
    "time_signature": (0.0, 7.0),
}
#: How much better than a structureless cloud (see `_null_silhouette`) the chosen clusters must
#: separate the tracks before a page shows them: about 2.5 standard deviations of the averaged
#: cloud's silhouette for a 50-track playlist (measured: one cloud's spread is about 0.02).
STRUCTURE_MARGIN = 0.03
#: Among 3 or more clusters, the fewest whose silhouette comes this close to the best one win:
#: near-ties between k are common, and always taking the fewest keeps the answer the same
#: when a few tracks are added or removed (see benchmarks/README.md).
NEAR_BEST = 0.02
#: Silhouette favours 2 clusters on almost any data; 2 are chosen only when they beat the
#: choice among 3 or more by this much (0.10 let more playlists flip between 2 and 3 clusters
#: when a tenth of their tracks changed: 10th-percentile stability 0.60 against 0.63).
TWO_MARGIN = 0.15
#: The most tracks whose silhouette is computed exactly; larger groups use a seeded sample.
SILHOUETTE_SAMPLE = 3000
#: Structureless clouds drawn per playlist; their silhouettes are averaged.
NULL_DRAWS = 3
#: k-means restarts. Fewer (3 or 4) measurably shuffle clusters between builds.
RESTARTS = 10
#: Lloyd's iterations per k-means run at most; runs on playlists settle in well under 100.
MAX_ITERATIONS = 300
#: Numbers in one array of distances of a batch of k-means runs (16 MB): every run of a
#: playlist of up to 2,300 tracks fits in one batch; larger pages take several.
BATCH = 2**21
#: The squared width given to the unused centre slots of a run with fewer clusters than the
#: widest run in its batch: farther than any track (inf would make BLAS warn of 0 x inf).
UNUSED = 1e300


def fit_clusters(
    table: FeatureTable, *, max_clusters: int, fixed: int | None, random_state: int
) -> Clustering:
    """Cluster the tracks with k-means in the 0..1 feature space (see `scale`).

    Unless `fixed` sets k, the number of clusters is the fewest of 3 to `max_clusters` whose
    silhouette is within `NEAR_BEST` of the best (2 only when clearly better), and the playlist
    stays one group unless that clustering beats a structureless cloud of tracks with the same
    spread by `STRUCTURE_MARGIN`. `Clustering.criterion` says which of these happened.
    """
    space = scale(table.matrix, table.features)
    if len(space) > LARGE:
        # A library's or a big label's page: k chosen on a sample, every track placed by
        # scikit-learn's mini-batch k-means (`fit_library`).
        found = fit_library(table.matrix, table.features, max_clusters=max_clusters,
                            fixed=fixed, random_state=random_state)
        labels, separation = found.labels, None
        placed = f"k-means placed all {len(space):,} tracks."
        criterion = f"{found.criterion} " + (
            f"Mini-batch {placed}" if fixed is not None else
            f"The number was chosen on a seeded sample of {LIBRARY_SAMPLE:,} tracks; "
            f"mini-batch {placed}")
    else:
        with _blas().limit(limits=1, user_api="blas"):
            labels, criterion, separation = _choose(space, max_clusters, fixed, random_state)
    xy, axis_words = _project(space, table.features)
    return Clustering(
        playlist=table.playlist,
        tracks=table.tracks,
        clusters=_order(space, labels),
        criterion=criterion,
        xy=xy,
        axis_words=axis_words,
        left_out=table.without_features + table.broken,
        duplicates=table.duplicates,
        features=table.features,
        separation=separation,
    )


@cache
def _blas() -> ThreadpoolController:
    """numpy's BLAS, to run a page's fit on one thread: its threads split the larger products
    (distance matrices, the batched k-means) over both cores and, spin-waiting on a busy
    2-core machine, made a fit slower (benchmarks/clustering.py, three alternating runs at
    load average 5-6: median 13.5-24.7 ms on one thread, 20.4-28.6 ms on two). Found once
    (6 ms); limiting it then costs 15 µs a fit, where `threadpool_limits` looks for the
    libraries again each time (1.3 ms)."""
    return ThreadpoolController()


def _choose(
    space: np.ndarray, max_clusters: int, fixed: int | None, random_state: int
) -> tuple[np.ndarray, str, tuple[float, float] | None]:
    """Labels 0..k-1 for every track, the sentence saying why k, and (for 2 or more clusters)
    their silhouette with that of a structureless cloud (see `Clustering.separation`)."""
    one_group = np.zeros(len(space), dtype=int)
    distinct = len(np.unique(np.round(space, 12), axis=0)) if len(space) else 0
    too_few = "One group: too few tracks with different audio features to split them."
    if fixed == 1:
        return one_group, "One group, as set in the site's configuration.", None
    if fixed is not None:
        if distinct < 2:
            return one_group, too_few, None
        k = min(fixed, distinct)
        labels = _kmeans(space[None], range(k, k + 1), random_state)[0][k]
        why = (f"The site's configuration asks for {fixed} clusters, but only {distinct} "
               "tracks have different audio features, so there are that many."
               if fixed > distinct else
               "The number of clusters is set in the site's configuration.")
        return labels, why, _separation(space, labels, k, random_state)
    if distinct < 3:
        return one_group, too_few, None

    upper = min(max_clusters, distinct - 1)
    candidates = _kmeans(space[None], range(2, upper + 1), random_state)[0]
    # One distance matrix (of the same sample, on a large page) serves every candidate k.
    score = dict(zip(candidates, _silhouettes(space, np.stack(list(candidates.values())),
                                              random_state).tolist(), strict=True))
    several = [k for k in candidates if k >= 3]
    if several:
        best = max(score[k] for k in several)
        k = min(k for k in several if score[k] >= best - NEAR_BEST)
        if score[2] >= score[k] + TWO_MARGIN:
            why = (f"2 clusters: they separate the tracks clearly better than {k} do, with a "
                   f"silhouette of {score[2]:.2f} against {score[k]:.2f}")
            k = 2
        else:
            why = (f"{k} clusters: the fewest of 3 to {upper} whose silhouette comes within "
                   f"{NEAR_BEST:.2f} of the best; theirs is {score[k]:.2f}")
    else:
        k = 2
        why = f"2 clusters, the most these tracks allow; their silhouette is {score[2]:.2f}"
    null = _null_silhouette(space, k, random_state)
    if score[k] < null + STRUCTURE_MARGIN:
        return one_group, (
            f"One group: no clear structure. The best split found, into {k} clusters, "
            f"separates these tracks hardly better than a structureless cloud of tracks with "
            f"the same spread (silhouette {score[k]:.2f} against {null:.2f})."
        ), None
    return candidates[k], (
        f"{why} (1 means perfectly separated, 0 overlapping; a structureless cloud of tracks "
        f"with the same spread gets {null:.2f})."
    ), (score[k], null)


def _separation(
    space: np.ndarray, labels: np.ndarray, k: int, random_state: int
) -> tuple[float, float] | None:
    """The silhouette of a configured number of clusters and that of a structureless cloud,
    as the automatic choice measures them (so the page can say how well they separate)."""
    if not 2 <= len(np.unique(labels)) < len(space):
        return None
    return (float(_silhouettes(space, labels[None], random_state)[0]),
            _null_silhouette(space, k, random_state))


def _null_silhouette(space: np.ndarray, k: int, random_state: int) -> float:
    """The average silhouette of k clusters in `NULL_DRAWS` clouds without structure: Gaussian
    draws with the playlist's own mean and covariance, as many tracks as the playlist."""
    rng = np.random.default_rng(random_state)
    mean, covariance = space.mean(axis=0), np.atleast_2d(np.cov(space, rowvar=False))
    clouds = rng.multivariate_normal(mean, covariance, size=(NULL_DRAWS, len(space)),
                                     method="eigh")
    # Fewer restarts than the real fit: only the average of the draws matters.
    fits = _kmeans(clouds, range(k, k + 1), random_state, restarts=3)
    return float(np.mean([_silhouettes(cloud, fit[k][None], random_state)[0]
                          for cloud, fit in zip(clouds, fits, strict=True)]))


def _silhouettes(points: np.ndarray, labelings: np.ndarray, random_state: int) -> np.ndarray:
    """The silhouette score of the tracks `points` (n, features) under each row of
    `labelings` (m, n); above `SILHOUETTE_SAMPLE` tracks (a library or label page), on a
    seeded sample of that many: the exact score needs every pairwise distance (20,000 tracks:
    3.2 GB at once, or minutes). The sample is scikit-learn's for the same `random_state` (a
    legacy `RandomState` permutation), so its `silhouette_score` checks this one."""
    if len(points) > SILHOUETTE_SAMPLE:
        sample = np.random.RandomState(random_state).permutation(len(points))[:SILHOUETTE_SAMPLE]
        points, labelings = points[sample], labelings[:, sample]
    return _silhouettes_of(_distances(points), labelings)


def _distances(points: np.ndarray) -> np.ndarray:
    """Every pairwise Euclidean distance, computed as scikit-learn's `euclidean_distances`
    does (|x|² + |y|² - 2x·y, clipped at 0, the diagonal set to 0): one matrix product."""
    norms = np.einsum("ij,ij->i", points, points)
    squared = points @ points.T
    squared *= -2.0
    squared += norms[:, None]
    squared += norms[None, :]
    np.maximum(squared, 0.0, out=squared)
    np.fill_diagonal(squared, 0.0)
    return np.sqrt(squared, out=squared)


def _silhouettes_of(distances: np.ndarray, labelings: np.ndarray) -> np.ndarray:
    """The mean silhouette of the tracks under each row of `labelings` (m, n), given their
    pairwise `distances` (0 for fewer than 2 clusters), as scikit-learn defines it: for each
    track, (b - a) / max(a, b) with a its mean distance to the rest of its cluster and b that
    to the nearest other cluster; 0 for a track alone in its cluster. All rows at once: the
    per-cluster sums of distances are one product of `distances` with the one-hot matrices."""
    labelings = labelings.astype(np.intp, copy=False)
    one_hot = (labelings[:, :, None] == np.arange(int(labelings.max()) + 1)).astype(np.float64)
    counts = one_hot.sum(axis=1)  # (m, clusters); 0 for a label a row does not use
    totals = distances @ one_hot  # (m, n, clusters): each track's summed distance to each
    own = np.take_along_axis(counts, labelings, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        within = np.take_along_axis(totals, labelings[:, :, None], axis=2)[:, :, 0] / (own - 1)
        means = np.where(counts[:, None, :] > 0, totals / counts[:, None, :], np.inf)
        np.put_along_axis(means, labelings[:, :, None], np.inf, axis=2)
        between = means.min(axis=2)
        scores = (between - within) / np.maximum(within, between)
    scores = np.where(own > 1, np.nan_to_num(scores, posinf=0.0), 0.0).mean(axis=1)
    return np.where(np.count_nonzero(counts, axis=1) >= 2, scores, 0.0)


def scale(matrix: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """Every feature on a 0..1 scale (see `RANGES`)."""
    scaled = matrix.astype(np.float64, copy=True)
    for j, feature in enumerate(features):
        if feature in RANGES:
            low, high = RANGES[feature]
            scaled[:, j] = np.clip((scaled[:, j] - low) / (high - low), 0.0, 1.0)
    return scaled


def _kmeans(
    points: np.ndarray, ks: range, random_state: int, restarts: int = RESTARTS
) -> list[dict[int, np.ndarray]]:
    """k-means labels 0..k-1 for each k of `ks` and each set of tracks in `points` (sets, n,
    features): per set and k the lowest-inertia of `restarts` runs (ties: the first), every
    run seeded by k-means++ and all of them refined by Lloyd's iterations together.

    Each set's runs for each k draw from a generator seeded by `random_state` alone, so a
    fixed k gets the clusters the automatic choice would give it.
    """
    sets, _, features = points.shape
    ones = np.ones(points.shape[:2] + (1,))
    norms = np.einsum("snj,snj->sn", points, points)[:, :, None]
    # Tracks as columns (x, 1, |x|²) and as centres (-2x, |x|², 1): the product of a centre
    # row with a track column is their squared distance |x|² - 2x·c + |c|².
    columns = np.ascontiguousarray(np.concatenate((points, ones, norms), axis=2).swapaxes(1, 2))
    rows = np.concatenate((-2.0 * points, norms, ones), axis=2)
    widest = max(ks)
    centres = np.zeros((len(ks), sets, restarts, widest, features))
    for trials in sorted({_trials(k) for k in ks}):
        # k-means++ for k centres starts with those it picks for fewer at the same number of
        # trials (same draws in the same order), so one seeding serves all of them.
        group = [i for i, k in enumerate(ks) if _trials(k) == trials]
        seeds = _plusplus(rows, columns, ks[group[-1]], trials, restarts,
                          np.random.default_rng(random_state))
        for i in group:
            centres[i, :, :, :ks[i]] = points[np.arange(sets)[:, None, None], seeds[:, :, :ks[i]]]
    runs = np.arange(len(ks) * sets * restarts)
    centres = centres.reshape(len(runs), widest, features)
    sizes, source = np.repeat(np.asarray(ks), sets * restarts), runs // restarts % sets
    # Runs are independent: a large page (a library of 20,000 tracks) fits them a batch at a
    # time, so that an array of distances stays near `BATCH` numbers.
    step = max(1, BATCH // (widest * points.shape[1]))
    fits = [_lloyd(points, columns, centres[i:i + step], sizes[i:i + step], source[i:i + step])
            for i in runs[::step]]
    labels = np.concatenate([fit[0] for fit in fits])
    inertia = np.concatenate([fit[1] for fit in fits])
    best = np.argmin(inertia.reshape(len(ks), sets, restarts), axis=2)
    return [{k: labels[(i * sets + s) * restarts + best[i, s]] for i, k in enumerate(ks)}
            for s in range(sets)]


def _trials(k: int) -> int:
    """Tracks k-means++ tries per centre: 2 + ln k, as scikit-learn (and Arthur and
    Vassilvitskii) do."""
    return 2 + int(np.log(k))


def _plusplus(
    rows: np.ndarray, columns: np.ndarray, k: int, trials: int, restarts: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Indices (sets, restarts, k) of starting centres by greedy k-means++, as scikit-learn
    seeds: each next centre is the best (least total squared distance) of `trials` tracks
    drawn with probability proportional to their squared distance from the centres chosen so
    far. Every set uses the same draws, as if each had its own generator seeded alike.
    `rows` and `columns` are the tracks as `_kmeans` extends them."""
    sets, n, _ = rows.shape
    at, each = np.arange(sets)[:, None], np.arange(restarts)
    chosen = np.empty((sets, restarts, k), dtype=np.intp)
    chosen[:, :, 0] = rng.integers(n, size=restarts)
    closest = _spread(rows[at, chosen[:, :, 0]][:, :, None], columns)[:, :, 0]
    for c in range(1, k):
        cumulative = np.cumsum(closest, axis=2)  # (sets, restarts, n)
        draws = rng.random((restarts, trials)) * cumulative[:, :, -1:]
        # Per set and restart, np.searchsorted(cumulative, draws): the sums below each draw.
        candidates = np.minimum((cumulative[:, :, None, :] < draws[..., None]).sum(axis=3),
                                n - 1)  # (sets, restarts, trials)
        distances = _spread(rows[at[:, :, None], candidates], columns)
        np.minimum(distances, closest[:, :, None, :], out=distances)
        best = distances.sum(axis=3).argmin(axis=2)
        chosen[:, :, c] = candidates[at, each, best]
        closest = distances[at, each, best]
    return chosen


def _spread(centres: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Squared distances (sets, restarts, m, n) from centres given as rows (-2c, |c|², 1) in
    (sets, restarts, m, features + 2) to every track of their set (clipped at 0: rounding)."""
    squared = centres @ columns[:, None]
    return np.maximum(squared, 0.0, out=squared)


def _lloyd(
    points: np.ndarray, columns: np.ndarray, centres: np.ndarray, sizes: np.ndarray,
    source: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's iterations for many runs at once, each until none of its labels changes (at
    most `MAX_ITERATIONS`). Run i starts from the first `sizes[i]` of `centres[i]` (runs,
    widest k, features) and clusters the set of tracks `points[source[i]]` (`columns` are
    the sets as `_kmeans` extends them). Returns labels (runs, n) and inertia (runs,); a
    settled run leaves the batch."""
    slots = np.arange(centres.shape[1])
    unused = slots >= sizes[:, None]
    shared = len(points) == 1
    active = np.arange(len(centres))
    used = int(sizes.sum())
    labels, nearest = _assign(columns, centres, unused, source)
    final, inertia = labels.copy(), nearest.sum(axis=1)
    for _ in range(MAX_ITERATIONS):
        one_hot = (labels[:, None, :] == slots[:, None]).astype(np.float64)  # (runs, k, n)
        counts = one_hot.sum(axis=2)
        sums = one_hot @ (points[0] if shared else points[source])
        centres = np.divide(sums, counts[:, :, None], out=centres, where=counts[:, :, None] > 0)
        if np.count_nonzero(counts) < used:
            _refill(centres, (counts == 0) & ~unused, nearest, points, source)
        relabelled, nearest = _assign(columns, centres, unused, source)
        settled = (relabelled == labels).all(axis=1)
        labels = relabelled
        if settled.any():
            final[active[settled]] = labels[settled]
            inertia[active[settled]] = nearest[settled].sum(axis=1)
            keep = ~settled
            active, labels, centres, nearest, unused, source = (
                active[keep], labels[keep], centres[keep], nearest[keep], unused[keep],
                source[keep])
            if not len(active):
                break
            used = int(np.count_nonzero(~unused))
    else:  # runs still moving after MAX_ITERATIONS keep their last labels
        final[active], inertia[active] = labels, nearest.sum(axis=1)
    return final, inertia


def _refill(
    centres: np.ndarray, empty: np.ndarray, nearest: np.ndarray, points: np.ndarray,
    source: np.ndarray,
) -> None:
    """Move each empty cluster's centre onto one of the tracks farthest from their own centre
    (as scikit-learn does); the next assignment gives it members."""
    for run in np.flatnonzero(empty.any(axis=1)):
        far = np.argsort(-nearest[run], kind="stable")[:np.count_nonzero(empty[run])]
        centres[run, empty[run]] = points[source[run], far]


def _assign(
    columns: np.ndarray, centres: np.ndarray, unused: np.ndarray, source: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each track's nearest centre, per run (runs, n), and its squared distance to it."""
    widths = np.einsum("rkj,rkj->rk", centres, centres)
    widths[unused] = UNUSED
    rows = np.concatenate(
        (-2.0 * centres, widths[:, :, None], np.ones(widths.shape + (1,))), axis=2)
    # (runs, k, n): the tracks' axis last keeps numpy's inner loops long.
    return _argmin(rows @ (columns[0] if len(columns) == 1 else columns[source]))


def _argmin(distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index and value of the smallest along axis 1 of squared distances (runs, k, n).

    np.argmin over a middle axis of length k copies the array and scans rows of k, about
    3x slower than one minimum over packed integers (measured, 90 runs x 10 x 210 tracks:
    0.78 ms against 0.26 ms; it was the largest single cost of a playlist's fit).
    Non-negative doubles order as their bit patterns do, read as integers, so each distance's
    lowest bits are replaced by its index and the smallest integer carries both; distances
    then differ only from the 15th significant digit on, and at such a tie the lower index
    wins, as np.argmin's does. A rounding error can make a zero distance slightly negative:
    read as an integer it is negative, below every positive distance, so it still wins
    (clipped to 0 in the value returned).
    """
    bits = max(1, (distances.shape[1] - 1).bit_length())
    low = np.int64((1 << bits) - 1)
    packed = distances.view(np.int64)
    packed &= ~low
    packed |= np.arange(distances.shape[1], dtype=np.int64)[:, None]
    smallest = packed.min(axis=1)
    nearest = (smallest & ~low).view(np.float64)
    return smallest & low, np.maximum(nearest, 0.0, out=nearest)


def _order(space: np.ndarray, labels: np.ndarray) -> tuple[Cluster, ...]:
    """Clusters largest first (ties: the one whose first track comes first in the playlist);
    members nearest their cluster's centre, the mean of its members in `space`, first (ties:
    playlist order)."""
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        centre = space[members].mean(axis=0)
        distance = np.linalg.norm(space[members] - centre, axis=1)
        order = members[np.lexsort((members, np.round(distance, 9)))]
        groups.append((-len(members), int(members[0]), tuple(int(i) for i in order)))
    groups.sort()
    return tuple(
        Cluster(number=n, members=members, colour=COLOURS[(n - 1) % len(COLOURS)],
                marker=MARKERS[(n - 1) % len(MARKERS)])
        for n, (_, _, members) in enumerate(groups, start=1)
    )


def _project(
    scaled: np.ndarray, features: tuple[str, ...]
) -> tuple[tuple[tuple[float, float], ...], tuple[tuple[str, str], tuple[str, str]]]:
    """Positions on the first two principal components, and words for each axis' two ends."""
    if len(scaled) < 2 or scaled.shape[1] < 2 or not np.ptp(scaled, axis=0).any():
        # Nothing to project (a single track, or tracks that all sound the same).
        xy = np.zeros((len(scaled), 2))
        return tuple(map(tuple, xy.tolist())), (("", ""), ("", ""))
    centred = scaled - scaled.mean(axis=0)
    components = np.linalg.svd(centred, full_matrices=False)[2][:2]
    # The sign of a component is arbitrary: make the largest loading positive, so the same
    # data always draws the same way round.
    for row in components:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    xy = centred @ components.T
    words = tuple(_axis_words(row, features) for row in components)
    return tuple((float(x), float(y)) for x, y in xy), (words[0], words[1])


def _axis_words(loadings: np.ndarray, features: tuple[str, ...]) -> tuple[str, str]:
    """Words for the negative and the positive end of a component: its strongest loadings."""
    strongest = [i for i in np.argsort(-np.abs(loadings), kind="stable")[:3]
                 if abs(loadings[i]) >= 0.3] or [int(np.argmax(np.abs(loadings)))]
    positive, negative = [], []
    for i in strongest:
        high, low = WORDS.get(features[i], (features[i].capitalize(), f"Low {features[i]}"))
        (positive if loadings[i] > 0 else negative).append(high)
        (negative if loadings[i] > 0 else positive).append(low)
    return ", ".join(negative), ", ".join(positive)


#: Above this many tracks (a library's or a big label's page), `fit_clusters` uses
#: `fit_library`: choosing k on every track grows with their number (15,000 tracks: 1.7 s,
#: against 0.1 s for `fit_library` once scikit-learn is imported, 1.0 s with its import).
LARGE = 10_000
#: Tracks on which a library-wide run chooses k (with the rules of `fit_clusters`): enough
#: for a stable silhouette, small enough that its distance matrix stays at a few MB.
LIBRARY_SAMPLE = 2000
#: Rows per mini-batch of the library-wide KMeans: large batches converge in few steps.
LIBRARY_BATCH = 8192


@dataclass(frozen=True)
class LibraryClusters:
    """The clusters of a whole library (100k to 1M tracks), as arrays, not per-track objects."""

    labels: np.ndarray
    """int32, one per row of the matrix: 0 for the largest cluster, 1 for the next, ..."""
    centres: np.ndarray
    """float32, (clusters, features), in the 0..1 space of `scale`."""
    criterion: str
    """The sentence saying how k was chosen (on a sample of `LIBRARY_SAMPLE` tracks)."""


def fit_library(
    matrix: np.ndarray,
    features: tuple[str, ...],
    *,
    max_clusters: int = 10,
    fixed: int | None = None,
    random_state: int = 0,
) -> LibraryClusters:
    """Cluster every track of a library at once, in seconds for a million tracks.

    k is chosen as `fit_clusters` chooses it (same rules, same structureless-cloud test) on a
    seeded sample of `LIBRARY_SAMPLE` tracks; then MiniBatchKMeans, started from the sample's
    centres, refines them on all tracks in float32 and assigns every track. Memory stays near
    a few copies of the float32 matrix (no pairwise distances over the library, no Python loop
    over tracks).
    """
    from sklearn.cluster import MiniBatchKMeans

    space = _scale32(matrix, features)
    rng = np.random.default_rng(random_state)
    sample = space[rng.choice(len(space), size=min(LIBRARY_SAMPLE, len(space)), replace=False)]
    with _blas().limit(limits=1, user_api="blas"):
        labels, criterion, _ = _choose(sample.astype(np.float64), max_clusters, fixed, random_state)
    k = int(labels.max()) + 1 if len(labels) else 1
    if k == 1:
        return LibraryClusters(np.zeros(len(space), dtype=np.int32),
                               space.mean(axis=0, keepdims=True), criterion)
    start = np.stack([sample[labels == j].mean(axis=0) for j in range(k)]).astype(np.float32)
    model = MiniBatchKMeans(n_clusters=k, init=start, n_init=1, batch_size=LIBRARY_BATCH,
                            max_iter=20, random_state=random_state, compute_labels=False)
    model.fit(space)
    assigned = np.concatenate([model.predict(space[i:i + 262144])
                               for i in range(0, len(space), 262144)])
    sizes = np.bincount(assigned, minlength=k)
    # Largest first (ties: the lower label), as pages number clusters.
    rank = np.empty(k, dtype=np.int32)
    rank[np.lexsort((np.arange(k), -sizes))] = np.arange(k, dtype=np.int32)
    centres = np.empty_like(model.cluster_centers_)
    centres[rank] = model.cluster_centers_
    return LibraryClusters(rank[assigned], centres.astype(np.float32), criterion)


def _scale32(matrix: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """`scale` in float32, without a float64 copy of a large matrix."""
    scaled = np.array(matrix, dtype=np.float32, copy=True)
    for j, feature in enumerate(features):
        if feature in RANGES:
            low, high = RANGES[feature]
            column = scaled[:, j]
            np.subtract(column, low, out=column)
            np.divide(column, high - low, out=column)
            np.clip(column, 0.0, 1.0, out=column)
    return scaled
