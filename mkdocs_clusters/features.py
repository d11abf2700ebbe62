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
    usable: list[Track] = []
    without = broken = duplicates = 0
    for track in playlist.tracks:
        if track.key in seen:
            duplicates += 1
            continue
        seen.add(track.key)
        present = [f for f in features if f in track.features]
        if len(present) == len(features):
            if all(track.features[f] == track.features[f] for f in features):
                usable.append(track)
            else:  # a cell the reader rejected (and reported) as not a usable number
                broken += 1
        elif not present:
            without += 1
        else:
            broken += 1
            source, row = track.origin or (playlist.source, None)
            missing = [f for f in features if f not in track.features]
            problems.append(
                Problem(source, f"track {track.name!r} has some audio features but not "
                        f"{', '.join(missing)}; left out", row, missing[0])
            )
    matrix = np.array(
        [[t.features[f] for f in features] for t in usable], dtype=np.float64
    ).reshape(len(usable), len(features))
    table = FeatureTable(playlist, tuple(usable), matrix, features, without, broken, duplicates)
    return table, problems
