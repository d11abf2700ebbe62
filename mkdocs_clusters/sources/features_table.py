"""A separate table of audio features, joined to the playlists' tracks by Spotify track id.

Since Spotify closed its audio-features API (2024-11), people fetch features from third-party
services (ReccoBeats, ...) into a table of their own. Any CSV in the data folder that has a
column of Spotify track references (URI, open.spotify.com URL or bare id) and audio feature
columns, but no track-name column a playlist format needs, is read as such a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model import Problem
from .common import parse_numbers, pick, read_table, rows_of, spotify_id
from .exportify import FEATURE_COLUMNS

#: Columns that may hold the track reference, most specific first; in each row the first of
#: them holding a Spotify track URI, URL or id is used (ReccoBeats' `id` is its own id, its
#: `href` the Spotify URL).
KEY_COLUMNS: tuple[str, ...] = (
    "track_uri",
    "spotify_uri",
    "uri",
    "Track URI",
    "spotify_id",
    "Spotify ID",
    "track_id",
    "Track ID",
    "href",
    "spotify_url",
    "url",
    "spotify",
    "id",
)
#: Feature column names: Spotify's API names (`time_signature`), Exportify's and translations.
FEATURE_NAMES: dict[str, tuple[str, ...]] = {
    feature: (feature, *names) for feature, names in FEATURE_COLUMNS.items()
}

Features = dict[str, tuple[Mapping[str, float], tuple[str, int]]]
"""Spotify track id → (feature values, (file, row) they came from)."""


def looks_like_features_table(header: list[str]) -> bool:
    has_key = pick(header, KEY_COLUMNS) is not None
    return has_key and any(pick(header, names) for names in FEATURE_NAMES.values())


def read_features_table(path: Path, source: str) -> tuple[Features, list[Problem]]:
    """Every row's features by the Spotify id of its track; the first row of an id wins."""
    frame, problems = read_table(path, source)
    header = list(frame.columns)
    keys = [c for name in KEY_COLUMNS if (c := pick(header, (name,))) is not None]
    keys = list(dict.fromkeys(keys))
    columns = {f: c for f, names in FEATURE_NAMES.items() if (c := pick(header, names))}
    values, issues = parse_numbers(frame, columns, source)
    problems += issues
    key_cells = [frame[c].astype(str).tolist() for c in keys]
    found: Features = {}
    unkeyed = 0
    for i, row in enumerate(rows_of(frame)):
        track_id = next((t for cells in key_cells if (t := spotify_id(cells[i]))), None)
        if track_id is None:
            unkeyed += 1
            continue
        if track_id not in found:
            features = {f: v for f, column in values.items() if (v := column[i]) is not None}
            found[track_id] = (features, (source, row))
    if unkeyed and not found:
        problems.append(
            Problem(
                source,
                "looks like a table of audio features, but no row has a "
                "Spotify track URI, open.spotify.com URL or 22-character id in "
                f"{_quoted(keys)}; left out",
            )
        )
    elif unkeyed:
        problems.append(
            Problem(
                source,
                f"{unkeyed} row(s) without a Spotify track reference in {_quoted(keys)} left out",
                level="info",
            )
        )
    return found, problems


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)
