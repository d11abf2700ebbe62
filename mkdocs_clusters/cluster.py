"""Group a playlist's tracks into clusters of similar sound (scikit-learn lives here)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import pairwise_distances, silhouette_score
from threadpoolctl import threadpool_limits

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
#: KMeans restarts. Fewer (3 or 4) measurably shuffle clusters between builds.
RESTARTS = 10


def fit_clusters(
    table: FeatureTable, *, max_clusters: int, fixed: int | None, random_state: int
) -> Clustering:
    """Cluster the tracks with KMeans in the 0..1 feature space (see `scale`).

    Unless `fixed` sets k, the number of clusters is the fewest of 3 to `max_clusters` whose
    silhouette is within `NEAR_BEST` of the best (2 only when clearly better), and the playlist
    stays one group unless that clustering beats a structureless cloud of tracks with the same
    spread by `STRUCTURE_MARGIN`. `Clustering.criterion` says which of these happened.
    """
    space = scale(table.matrix, table.features)
    # Small problems: OpenMP threads cost more than they save here, and on a busy machine
    # their spin-waiting made a fit up to ten times slower (measured, see benchmarks/).
    with threadpool_limits(limits=1):
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
        labels = _kmeans(space, k, random_state)
        why = (f"The site's configuration asks for {fixed} clusters, but only {distinct} "
               "tracks have different audio features, so there are that many."
               if fixed > distinct else
               "The number of clusters is set in the site's configuration.")
        return labels, why, _separation(space, labels, k, random_state)
    if distinct < 3:
        return one_group, too_few, None

    upper = min(max_clusters, distinct - 1)
    candidates = {k: _kmeans(space, k, random_state) for k in range(2, upper + 1)}
    if len(space) <= SILHOUETTE_SAMPLE:
        # One distance matrix serves every candidate k.
        distances = pairwise_distances(space)
        score = {k: float(silhouette_score(distances, labels, metric="precomputed"))
                 for k, labels in candidates.items()}
    else:
        score = {k: _silhouette(space, labels, random_state) for k, labels in candidates.items()}
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
    return _silhouette(space, labels, random_state), _null_silhouette(space, k, random_state)


def _null_silhouette(space: np.ndarray, k: int, random_state: int) -> float:
    """The average silhouette of k clusters in clouds without structure: Gaussian draws with
    the playlist's own mean and covariance, as many tracks as the playlist."""
    rng = np.random.default_rng(random_state)
    mean, covariance = space.mean(axis=0), np.atleast_2d(np.cov(space, rowvar=False))
    scores = []
    for _ in range(NULL_DRAWS):
        cloud = rng.multivariate_normal(mean, covariance, size=len(space), method="eigh")
        # Fewer restarts than the real fit: only the average of the draws matters.
        labels = _kmeans(cloud, k, random_state, restarts=3)
        scores.append(_silhouette(cloud, labels, random_state)
                      if len(np.unique(labels)) > 1 else 0.0)
    return float(np.mean(scores))


def _silhouette(points: np.ndarray, labels: np.ndarray, random_state: int) -> float:
    """The silhouette score; above `SILHOUETTE_SAMPLE` tracks (a library or label page), on a
    seeded sample of that many: the exact score needs every pairwise distance (20,000 tracks:
    3.2 GB at once, or minutes)."""
    if len(points) <= SILHOUETTE_SAMPLE:
        return float(silhouette_score(points, labels))
    return float(silhouette_score(points, labels, sample_size=SILHOUETTE_SAMPLE,
                                  random_state=random_state))


def scale(matrix: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """Every feature on a 0..1 scale (see `RANGES`)."""
    scaled = matrix.astype(np.float64, copy=True)
    for j, feature in enumerate(features):
        if feature in RANGES:
            low, high = RANGES[feature]
            scaled[:, j] = np.clip((scaled[:, j] - low) / (high - low), 0.0, 1.0)
    return scaled


def _kmeans(space: np.ndarray, k: int, random_state: int, restarts: int = RESTARTS) -> np.ndarray:
    """KMeans labels 0..k-1: the best of `restarts` k-means++ starts, seeded."""
    model = KMeans(n_clusters=k, n_init=restarts, random_state=random_state).fit(space)
    return model.labels_


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
    pca = PCA(n_components=2, svd_solver="full").fit(scaled)
    components = pca.components_.copy()
    # The sign of a component is arbitrary: make the largest loading positive, so the same
    # data always draws the same way round.
    for row in components:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    xy = (scaled - pca.mean_) @ components.T
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
    with threadpool_limits(limits=1):
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
