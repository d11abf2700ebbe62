"""Plain data passed between the stages of the pipeline (no heavy imports here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The seven Spotify audio features that lie in [0, 1]: the default clustering space.
UNIT_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
)

#: Every audio feature a reader recognises, in Spotify's order.
ALL_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "time_signature",
)

#: How each feature's high and low ends read to a listener: the words of cluster names and of
#: the figure's axes (one vocabulary, so "Quiet" means the same on both). `key` and
#: `time_signature` have none: a higher key number or more beats per bar is not a sound.
WORDS: dict[str, tuple[str, str]] = {
    "danceability": ("Danceable", "Free-flowing"),
    "energy": ("Energetic", "Quiet"),
    "speechiness": ("Spoken", "Sung"),
    "acousticness": ("Acoustic", "Electric"),
    "instrumentalness": ("Instrumental", "Vocal"),
    "liveness": ("Live", "Studio"),
    "valence": ("Happy", "Moody"),
    "tempo": ("Fast", "Slow"),
    "loudness": ("Loud", "Soft"),
    "mode": ("Major-key", "Minor-key"),
}


@dataclass(frozen=True)
class Track:
    """One track as a page shows it; every field but `name` may be unknown."""

    name: str
    key: str
    """Identity within a playlist: the Spotify id when known, else a name-based key."""
    album: str = ""
    artists: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    image: str | None = None
    spotify_id: str | None = None
    popularity: float | None = None
    rank: int | None = None
    liked: bool | None = None
    genres: tuple[str, ...] = ()
    features: Mapping[str, float] = field(default_factory=dict)
    origin: tuple[str, int] | None = None
    """The file and row (1 = header) the track's features came from, for messages."""


@dataclass(frozen=True)
class Playlist:
    """A named list of tracks read from one source file (or table set)."""

    name: str
    source: str
    """The file it came from, relative to the project (for messages)."""
    tracks: tuple[Track, ...]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input that the build can survive.

    `level` is "warning" (a broken row or file: fails `--strict`) or "info" (expected
    gaps in real data, such as local files without audio features).
    """

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    level: str = "warning"

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Library:
    """Everything read from the data folder."""

    playlists: tuple[Playlist, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Cluster:
    """One cluster of a playlist: its members, nearest-to-centre first."""

    number: int
    """1-based, in page order (largest cluster first)."""
    members: tuple[int, ...]
    """Indices into `Clustering.tracks`, ordered by distance to the cluster centre."""
    colour: str
    marker: str


@dataclass(frozen=True)
class Clustering:
    """The result of clustering one playlist, ready for drawing and rendering."""

    playlist: Playlist
    tracks: tuple[Track, ...]
    """The usable tracks (with every chosen feature), deduplicated, in playlist order."""
    clusters: tuple[Cluster, ...]
    criterion: str
    """One short sentence saying how the number of clusters was chosen."""
    xy: tuple[tuple[float, float], ...]
    """Each usable track's position on the first two principal components."""
    axis_words: tuple[tuple[str, str], tuple[str, str]]
    """For the x and y axis: (words for the negative end, words for the positive end)."""
    left_out: int = 0
    """Tracks of the playlist without (all) features."""
    duplicates: int = 0
    features: tuple[str, ...] = ()
    """The audio features the tracks were clustered on (empty: not recorded)."""
    separation: tuple[float, float] | None = None
    """How well the clusters separate the tracks: their silhouette, and that of the same
    number of clusters in a structureless cloud of tracks with the playlist's spread. None for
    one group."""
