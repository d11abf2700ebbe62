"""Tracks grouped beyond playlists: the whole library, each record label, each genre.

Each group is an ordinary `Playlist` named after what it holds ("your library", a label's or
a genre's name), so it is clustered, cached and rendered exactly as a playlist is. Plain data
only: no heavy imports here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from .links import label_fold, name_fold
from .model import Playlist, Track

#: The name the library-wide group goes by: its page is "Clusters in your library".
LIBRARY = "your library"

#: The kinds of clusters pages, in the order the index and "Appears in" lists show them.
KINDS = ("library", "playlist", "label", "genre")


def distinct_tracks(playlists: Iterable[Playlist]) -> tuple[Track, ...]:
    """Every track once (by its key), as first met in the playlists' order.

    The same track in several playlists is the normal case for a library, not a repetition
    worth reporting, so it is dropped here rather than counted as a duplicate.
    """
    seen: set[str] = set()
    tracks = []
    for playlist in playlists:
        for track in playlist.tracks:
            if track.key not in seen:
                seen.add(track.key)
                tracks.append(track)
    return tuple(tracks)


def library_group(tracks: Sequence[Track], source: str) -> Playlist:
    """All the library's distinct tracks as one group."""
    return Playlist(name=LIBRARY, source=source, tracks=tuple(tracks))


def label_groups(tracks: Sequence[Track], source: str) -> list[Playlist]:
    """One group per record label, variants of a name together (see `links.label_key`)."""
    return [Playlist(name, source, held)
            for name, held in group_by(tracks, lambda t: t.labels, label_fold)]


def genre_groups(tracks: Sequence[Track], source: str) -> list[Playlist]:
    """One group per genre (matched regardless of case)."""
    return [Playlist(name, source, held)
            for name, held in group_by(tracks, lambda t: t.genres, name_fold)]


def group_by(
    tracks: Sequence[Track],
    names_of: Callable[[Track], Sequence[str]],
    fold: Callable[[str], str],
) -> list[tuple[str, tuple[Track, ...]]]:
    """The tracks of each name (artist, label, genre), names matched by `fold`, each named by
    its most frequent spelling (ties: the first in sorted order); sorted by name."""
    members: dict[str, list[Track]] = {}
    spellings: dict[str, Counter[str]] = {}
    for track in tracks:
        keys = set()
        for name in names_of(track):
            name = " ".join(name.split())
            if not name or not (key := fold(name)):
                continue
            spellings.setdefault(key, Counter())[name] += 1
            if key not in keys:  # "EMI, E.M.I." on one track is one membership
                keys.add(key)
                members.setdefault(key, []).append(track)
    found = [(min(spellings[key], key=lambda n, c=spellings[key]: (-c[n], n)), tuple(held))
             for key, held in members.items()]
    return sorted(found, key=lambda group: (name_fold(group[0]), group[0]))
