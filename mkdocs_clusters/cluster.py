"""Group a playlist's tracks into clusters of similar sound (scikit-learn lives here)."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from .features import FeatureTable
from .model import Cluster, Clustering

#: Okabe–Ito's colour-blind-safe palette, then two more; each cluster also gets its own marker
#: shape, so clusters stay apart for every reader.
COLOURS = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
    "#D55E00", "#CC79A7", "#999999", "#882255", "#44AA99",
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "p")

#: How each feature's high and low ends read to a listener, for naming the figure's axes.
WORDS: dict[str, tuple[str, str]] = {
    "danceability": ("Danceable", "Undanceable"),
    "energy": ("Energetic", "Mellow"),
    "speechiness": ("Wordy", "Sung"),
    "acousticness": ("Acoustic", "Electric"),
    "instrumentalness": ("Instrumental", "Vocal"),
    "liveness": ("Live", "Studio"),
    "valence": ("Happy", "Sad"),
    "tempo": ("Fast", "Slow"),
    "loudness": ("Loud", "Quiet"),
    "mode": ("Major", "Minor"),
    "key": ("High key", "Low key"),
    "time_signature": ("Many beats", "Few beats"),
}
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
#: Share of the variance the reduced space keeps.
KEPT_VARIANCE = 0.9


def fit_clusters(
    table: FeatureTable, *, max_clusters: int, fixed: int | None, random_state: int
) -> Clustering:
    """Scale, reduce with PCA, and cluster with KMeans; choose k by the best silhouette."""
    scaled = scale(table.matrix, table.features)
    distinct = len(np.unique(np.round(scaled, 12), axis=0)) if len(scaled) else 0
    space = _reduce(scaled)

    if distinct < 3:
        labels = np.zeros(len(scaled), dtype=int)
        centres = space.mean(axis=0, keepdims=True) if len(space) else np.zeros((1, 1))
        criterion = "One group: too few distinct tracks to split them."
    elif fixed is not None:
        k = min(fixed, distinct)
        labels, centres = _kmeans(space, k, random_state)
        criterion = "The number of clusters is set in the site's configuration."
    else:
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        upper = min(max_clusters, distinct - 1)
        for k in range(2, upper + 1):
            labels, centres = _kmeans(space, k, random_state)
            score = float(silhouette_score(space, labels))
            if best is None or score > best[0] + 1e-12:
                best = (score, k, labels, centres)
        assert best is not None
        score, k, labels, centres = best
        criterion = (
            f"Of 2 to {upper} clusters, {k} separate the tracks best: their silhouette score is "
            f"{score:.2f} (1 means perfectly separated, 0 overlapping)."
        )

    clusters = _order(space, labels, centres)
    xy, axis_words = _project(scaled, table.features)
    return Clustering(
        playlist=table.playlist,
        tracks=table.tracks,
        clusters=clusters,
        criterion=criterion,
        xy=xy,
        axis_words=axis_words,
        left_out=table.without_features + table.broken,
        duplicates=table.duplicates,
    )


def scale(matrix: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """Every feature on a 0..1 scale (see `RANGES`)."""
    scaled = matrix.astype(np.float64, copy=True)
    for j, feature in enumerate(features):
        if feature in RANGES:
            low, high = RANGES[feature]
            scaled[:, j] = np.clip((scaled[:, j] - low) / (high - low), 0.0, 1.0)
    return scaled


def _reduce(scaled: np.ndarray) -> np.ndarray:
    """The principal components that keep `KEPT_VARIANCE` of the variance."""
    if len(scaled) < 3 or scaled.shape[1] < 2:
        return scaled
    pca = PCA(svd_solver="full").fit(scaled)
    ratios = np.nan_to_num(pca.explained_variance_ratio_)
    keep = int(np.searchsorted(np.cumsum(ratios), KEPT_VARIANCE) + 1)
    keep = max(2, min(keep, scaled.shape[1]))
    return pca.transform(scaled)[:, :keep]


def _kmeans(space: np.ndarray, k: int, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    model = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit(space)
    return model.labels_, model.cluster_centers_


def _order(space: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> tuple[Cluster, ...]:
    """Clusters largest first (ties: the one whose first track comes first in the playlist);
    members nearest the centre first (ties: playlist order)."""
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        distance = np.linalg.norm(space[members] - centres[label], axis=1)
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
    if len(scaled) < 2 or scaled.shape[1] < 2:
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
