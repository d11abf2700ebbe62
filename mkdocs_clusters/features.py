"""From a playlist's tracks to the feature matrix that is clustered."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Playlist, Problem, Track


@dataclass(frozen=True)
class FeatureTable:
    """The usable tracks of one playlist and their features, one row per track."""

    playlist: Playlist
    tracks: tuple[Track, ...]
    matrix: np.ndarray
    """float64, shape (len(tracks), len(features))."""
    features: tuple[str, ...]
    without_features: int
    """Tracks with none of the chosen features (local files, tracks Spotify never analysed)."""
    broken: int
    """Tracks with some chosen features but not all (each also reported as a problem)."""
    duplicates: int
    """Repeated entries of a track already in the playlist, counted once."""


def build_features(
    playlist: Playlist, features: tuple[str, ...]
) -> tuple[FeatureTable, list[Problem]]:
    """Keep each track once, with every chosen feature; report the tracks that lack some."""
    problems: list[Problem] = []
    seen: set[str] = set()
    complete: list[Track] = []
    rows: list[list[float]] = []  # the values of `complete`'s tracks
    without = broken = duplicates = 0
    for track in playlist.tracks:
        if track.key in seen:
            duplicates += 1
            continue
        seen.add(track.key)
        try:
            rows.append(list(map(track.features.__getitem__, features)))
        except KeyError:
            present = [f for f in features if f in track.features]
            if not present:
                without += 1
                continue
            broken += 1
            source, row = track.origin or (playlist.source, None)
            missing = [f for f in features if f not in track.features]
            problems.append(
                Problem(source, f"track {track.name!r} has some audio features but not "
                        f"{', '.join(missing)}; left out", row, missing[0])
            )
            continue
        complete.append(track)
    matrix = np.array(rows, dtype=np.float64).reshape(len(rows), len(features))
    # NaN is a cell the reader rejected (and reported) as not a usable number: found for all
    # tracks at once (checking each value in Python: 39 ms instead of 18 ms for the 19,867
    # tracks of the 100-playlist synthetic library).
    usable = ~np.isnan(matrix).any(axis=1)
    if not usable.all():
        broken += len(complete) - int(usable.sum())
        matrix = matrix[usable]
        complete = [t for t, ok in zip(complete, usable.tolist(), strict=True) if ok]
    table = FeatureTable(playlist, tuple(complete), matrix, features, without, broken, duplicates)
    return table, problems
