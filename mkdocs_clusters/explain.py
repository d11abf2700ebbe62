"""What each cluster is, in words a listener knows, and how clearly the clusters separate.

Pure functions over a `Clustering` (numpy only): a cluster's name comes from how its centre,
the mean of its tracks' features, differs from the playlist's average, each difference
measured in the playlist's own spread (standard deviations), so a word is only used for what
really sets a cluster apart within its playlist.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .groups import group_by
from .links import label_fold, name_fold
from .model import UNIT_FEATURES, WORDS, Clustering, Track

#: How features are called in a profile.
LABELS: dict[str, str] = {
    "danceability": "Danceability",
    "energy": "Energy",
    "speechiness": "Speech",
    "acousticness": "Acousticness",
    "instrumentalness": "Instrumentalness",
    "liveness": "Liveness",
    "valence": "Valence (happiness)",
    "tempo": "Tempo",
    "loudness": "Loudness",
    "mode": "Major key",
    "key": "Key",
    "time_signature": "Beats per bar",
}
#: A difference of at least this many of the playlist's standard deviations names a cluster;
#: `SLIGHT` ones complete a name that would otherwise have fewer than two words.
STRONG = 0.5
SLIGHT = 0.25
#: ... and it must matter in the feature's own units too: a feature that barely varies in a
#: playlist (liveness, often) would otherwise turn a trifle into many standard deviations.
MIN_DIFFERENCE: dict[str, float] = {"tempo": 5.0, "loudness": 1.5, "mode": 0.15, "liveness": 0.1}
DEFAULT_MIN_DIFFERENCE = 0.04
#: A word must also be true of the cluster itself, not only relative to its playlist: the
#: calmer cluster of a dance playlist, at energy 0.62, is not "Quiet". The cluster's mean must
#: lie in the word's range: the middle of the 0..1 scale for the two-sided features, and
#: Spotify's guide values for the others (liveness above 0.8 means "probably live",
#: speechiness above 0.33 "speech and music", instrumentalness above 0.5 "probably
#: instrumental"): a cluster called "Live" has a good share of live tracks, not just a bit
#: more room noise.
RANGES: dict[str, tuple[float, float]] = {
    "Danceable": (0.5, 1.0), "Free-flowing": (0.0, 0.5),
    "Energetic": (0.5, 1.0), "Quiet": (0.0, 0.5),
    "Happy": (0.5, 1.0), "Moody": (0.0, 0.5),
    "Acoustic": (0.4, 1.0), "Electric": (0.0, 0.5),
    "Live": (0.3, 1.0), "Studio": (0.0, 0.5),
    "Spoken": (0.2, 1.0), "Sung": (0.0, 0.33),
    "Instrumental": (0.3, 1.0), "Vocal": (0.0, 0.5),
}
#: Words that say nearly the same thing: a name uses the stronger of them only.
ALIKE: tuple[frozenset[str], ...] = (
    frozenset({"Vocal", "Sung"}), frozenset({"Quiet", "Soft"}), frozenset({"Energetic", "Loud"}),
)
#: A cluster of a multi-cluster page whose centre is close to the average on every feature.
AVERAGE_NAME = "Near the average"
#: At most this many words in a name, and this many most common artists/labels/genres.
NAME_WORDS = 3
COMMON = 3
#: Separation bands (see `separation`); `NO_BETTER` is `cluster.STRUCTURE_MARGIN`, repeated
#: here so this module needs no scikit-learn.
CLEAR_SILHOUETTE = 0.5
CLEAR_MARGIN = 0.15
MODERATE_MARGIN = 0.08
NO_BETTER = 0.03


@dataclass(frozen=True)
class Difference:
    """One feature of a cluster against its playlist."""

    feature: str
    cluster: float
    """The mean over the cluster's tracks."""
    playlist: float
    """The mean over the playlist's (usable) tracks."""
    spread: float
    """The playlist's standard deviation of the feature."""

    @property
    def label(self) -> str:
        return LABELS.get(self.feature, self.feature.capitalize())

    @property
    def z(self) -> float:
        """The difference in the playlist's standard deviations (0 when nothing varies)."""
        return (self.cluster - self.playlist) / self.spread if self.spread > 0 else 0.0

    def word(self) -> str | None:
        """The listener's word for this difference if it is big enough to tell (any size)."""
        words = WORDS.get(self.feature)
        if words is None or self.z == 0:
            return None
        if abs(self.cluster - self.playlist) < MIN_DIFFERENCE.get(
            self.feature, DEFAULT_MIN_DIFFERENCE
        ):
            return None
        word = words[0] if self.z > 0 else words[1]
        low, high = RANGES.get(word, (-math.inf, math.inf))
        return word if low <= self.cluster <= high else None

    def words(self) -> str:
        """How the cluster compares, in words: "much higher", "about the same", ..."""
        size = abs(self.z)
        if size < SLIGHT:
            return "about the same"
        way = "higher" if self.z > 0 else "lower"
        return f"much {way}" if size >= 2 * STRONG else way if size >= STRONG else f"a bit {way}"


@dataclass(frozen=True)
class Profile:
    """What one cluster is: its name, its sound against the playlist's, who is in it."""

    number: int
    words: tuple[str, ...]
    """The name's words, strongest difference first (empty for a page's only group)."""
    differences: tuple[Difference, ...]
    """The clustered features in their order, then tempo when the data has it."""
    artists: tuple[tuple[str, int], ...]
    """The most common artists (name, tracks), most tracks first; only those with two or more."""
    labels: tuple[tuple[str, int], ...]
    genres: tuple[tuple[str, int], ...]

    @property
    def name(self) -> str:
        """The words joined as a heading shows them ("Energetic · Danceable · Happy")."""
        return " · ".join(self.words)


def explain(clustering: Clustering) -> tuple[Profile, ...]:
    """A profile per cluster, in the clustering's order; names distinct where possible."""
    features = _features(clustering)
    shown = list(features)
    if "tempo" not in shown and _has(clustering.tracks, "tempo"):
        shown.append("tempo")
    matrix = np.array(
        [[t.features[f] for f in shown] for t in clustering.tracks], dtype=np.float64
    ).reshape(len(clustering.tracks), len(shown))
    mean = matrix.mean(axis=0) if len(matrix) else np.zeros(len(shown))
    spread = matrix.std(axis=0) if len(matrix) else np.zeros(len(shown))

    taken: list[frozenset[str]] = []
    profiles = []
    several = len(clustering.clusters) > 1
    for cluster in clustering.clusters:
        rows = matrix[list(cluster.members)]
        centre = rows.mean(axis=0) if len(rows) else mean
        differences = tuple(
            Difference(f, float(centre[j]), float(mean[j]), float(spread[j]))
            for j, f in enumerate(shown)
        )
        words: tuple[str, ...] = ()
        if several:
            # Only the clustered features name a cluster: they are what set it apart.
            words = _name([d for d in differences if d.feature in features], taken)
            taken.append(frozenset(words))
        members = [clustering.tracks[i] for i in cluster.members]
        profiles.append(Profile(
            number=cluster.number,
            words=words or ((AVERAGE_NAME,) if several and differences else ()),
            differences=differences,
            artists=_common(members, lambda t: t.artists, name_fold),
            labels=_common(members, lambda t: t.labels, label_fold),
            genres=_common(members, lambda t: t.genres, name_fold),
        ))
    return tuple(profiles)


def _name(differences: Sequence[Difference], taken: Sequence[frozenset[str]]) -> tuple[str, ...]:
    """Up to `NAME_WORDS` words for the strongest differences; when a bigger cluster of the
    page already has the same words, the next combination of strong words that it has not."""
    ranked = []
    for size, _, word in sorted(
        ((abs(d.z), i, word) for i, d in enumerate(differences) if (word := d.word())),
        key=lambda item: (-item[0], item[1]),
    ):
        if not any(word in group and group & {w for _, w in ranked} for group in ALIKE):
            ranked.append((size, word))
    strong = [word for size, word in ranked if size >= STRONG]
    slight = [word for size, word in ranked if SLIGHT <= size < STRONG]
    name = strong[:NAME_WORDS]
    if len(name) < 2:
        name += slight[: 2 - len(name)]
    if frozenset(name) in taken and name:
        pool = strong + slight
        for combination in itertools.combinations(range(len(pool)), len(name)):
            if frozenset(pool[i] for i in combination) not in taken:
                return tuple(pool[i] for i in combination)
    return tuple(name)


def _features(clustering: Clustering) -> tuple[str, ...]:
    """The clustered features, or (for a clustering that does not record them) the 0..1
    features every track has."""
    if clustering.features:
        return clustering.features
    return tuple(f for f in UNIT_FEATURES if _has(clustering.tracks, f))


def _has(tracks: Sequence[Track], feature: str) -> bool:
    """Whether every track has a usable number for the feature."""
    return bool(tracks) and all(
        isinstance(v := t.features.get(feature), (int, float)) and math.isfinite(v)
        for t in tracks
    )


def _common(
    tracks: Sequence[Track], names_of: Callable[[Track], Sequence[str]],
    fold: Callable[[str], str],
) -> tuple[tuple[str, int], ...]:
    """The names held by most tracks (at least two), variants of a name counted together
    (as the site's label and genre pages group them), each by its most common spelling."""
    counts = [(name, len(held)) for name, held in group_by(tracks, names_of, fold)]
    ranked = sorted(counts, key=lambda item: (-item[1], item[0]))
    return tuple((name, n) for name, n in ranked[:COMMON] if n >= 2)


def separation(clustering: Clustering) -> str | None:
    """How well the clusters separate the tracks, in plain words (None for one group).

    Measured against a structureless cloud with the playlist's spread, as the choice of the
    number of clusters is: silhouettes of 0.25 to 0.3 are what such a cloud gets, so a
    silhouette alone would flatter overlapping clusters.
    """
    if clustering.separation is None or len(clustering.clusters) < 2:
        return None
    score, cloud = clustering.separation
    margin = score - cloud
    if score >= CLEAR_SILHOUETTE and margin >= CLEAR_MARGIN:
        return ("In plain words: the clusters are clearly separated; a typical track is much "
                "nearer the tracks of its own cluster than those of any other.")
    if margin >= MODERATE_MARGIN:
        return ("In plain words: the clusters are moderately separated; a typical track is "
                "nearer its own cluster than any other, but neighbouring clusters meet at "
                "their edges.")
    if margin >= NO_BETTER:
        return ("In plain words: the clusters overlap; they are only a little more distinct "
                "than groups cut out of a structureless cloud, so read them as leanings "
                "rather than boundaries.")
    return ("In plain words: the clusters overlap; they separate the tracks no better than "
            "groups cut out of a structureless cloud would, so read them as slices of one "
            "group.")
