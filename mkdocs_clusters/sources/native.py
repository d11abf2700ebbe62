"""The project's own format: one YAML, JSON or CSV file per playlist, easy to write by hand.

A YAML or JSON file holds `playlist` (the name; default: the file name) and `tracks`, a list
of mappings; a CSV file holds one track per row, with an optional `playlist` column. A track's
fields are listed in `FIELDS`; audio features are given by name (`danceability: 0.62`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml

from ..model import ALL_FEATURES, UNIT_FEATURES, Playlist, Problem, Track
from .common import (
    decimal_point,
    decode,
    parse_bool,
    parse_number,
    read_table,
    rows_of,
    split_labels,
    spotify_id,
)

#: Every field a track may have besides its features, with what it holds.
FIELDS: dict[str, str] = {
    "track": "the track's name (required)",
    "album": "the album's name",
    "artists": "a list of names (in CSV: joined with ';')",
    "label": "the album's record label; several may be joined with ',', '/' or ';'",
    "image": "album art: an https URL",
    "spotify": "the Spotify track URI, open.spotify.com URL or 22-character id",
    "popularity": "0-100",
    "rank": "the track's rank in your listening (1 = most played)",
    "liked": "true or false",
    "genres": "a list of genres (in CSV: joined with ';')",
}
NAN = float("nan")
KNOWN = set(FIELDS) | set(ALL_FEATURES) | {"playlist"}


def looks_like_native(header: list[str]) -> bool:
    return "track" in {h.casefold() for h in header}


def read_native(path: Path, source: str) -> tuple[list[Playlist], list[Problem]]:
    if path.suffix.lower() == ".csv":
        return _read_csv(path, source)
    return _read_document(path, source)


def _read_document(path: Path, source: str) -> tuple[list[Playlist], list[Problem]]:
    text, problems = decode(path.read_bytes(), source)
    try:
        document = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        detail = str(error).splitlines()[0]
        return [], [*problems, Problem(source, f"not valid {path.suffix[1:].upper()}: {detail}")]
    if not isinstance(document, dict) or not isinstance(document.get("tracks"), list):
        return [], [*problems, Problem(source, "expected a mapping with a 'tracks' list")]
    name = document.get("playlist")
    if name is not None and not isinstance(name, str | int | float):
        problems.append(Problem(source, "expected the playlist's name as text", None, "playlist"))
        name = None
    name = _text(name) or path.stem
    tracks = []
    for number, item in enumerate(document["tracks"], start=1):
        if not isinstance(item, dict):
            problems.append(Problem(source, "expected a mapping of track fields", number))
            continue
        track = _track({str(k): v for k, v in item.items()}, source, number, problems)
        if track is not None:
            tracks.append(track)
    return [Playlist(name=name, source=source, tracks=tuple(tracks))], problems


def _read_csv(path: Path, source: str) -> tuple[list[Playlist], list[Problem]]:
    frame, problems = read_table(path, source)
    frame.columns = [c.casefold() for c in frame.columns]
    by_playlist: dict[str, list[Track]] = {}
    decimal_comma = bool(frame.attrs.get("decimal_comma"))
    records = frame.to_dict("records")
    for row, record in zip(rows_of(frame), records, strict=True):
        fields = {k: v for k, v in record.items() if str(v).strip() != ""}
        if decimal_comma:  # "0,67" from a spreadsheet that separates cells with ';' or tabs
            for feature in set(fields) & set(ALL_FEATURES):
                fields[feature] = decimal_point(str(fields[feature]))
        for list_field in ("artists", "genres"):
            if list_field in fields:
                fields[list_field] = [p.strip() for p in str(fields[list_field]).split(";")]
        playlist = str(fields.get("playlist", path.stem)).strip()
        track = _track(fields, source, row, problems)
        by_playlist.setdefault(playlist, [])
        if track is not None:
            by_playlist[playlist].append(track)
    playlists = [
        Playlist(name=name, source=source, tracks=tuple(tracks))
        for name, tracks in sorted(by_playlist.items())
    ]
    return playlists, problems


def _track(fields: dict[str, Any], source: str, row: int, problems: list[Problem]) -> Track | None:
    for unknown in sorted(set(fields) - KNOWN):
        problems.append(
            Problem(
                source, f"unknown field; expected one of {', '.join(sorted(KNOWN))}", row, unknown
            )
        )
    name = _text(fields.get("track"))
    if not name:
        problems.append(Problem(source, "a track needs a name", row, "track"))
        return None
    features: dict[str, float] = {}
    for feature in ALL_FEATURES:
        raw = fields.get(feature)
        if raw is None or _text(raw) == "":
            continue
        value = (
            raw
            if isinstance(raw, (int, float)) and not isinstance(raw, bool)
            else parse_number(_text(raw))
        )
        if value is None or not math.isfinite(value):  # YAML's .inf and JSON's NaN too
            problems.append(Problem(source, f"expected a number, got {_text(raw)!r}", row, feature))
            value = NAN
        elif feature in UNIT_FEATURES and not 0 <= value <= 1:
            problems.append(
                Problem(source, f"expected a number from 0 to 1, got {_text(raw)}", row, feature)
            )
            value = NAN
        features[feature] = float(value)
    track_id = spotify_id(_text(fields.get("spotify")))
    label = fields.get("label")
    labels = (
        tuple(_text(x) for x in label) if isinstance(label, list) else split_labels(_text(label))
    )
    artists = _names(fields.get("artists"))
    rank = parse_number(_text(fields.get("rank")))
    liked = fields.get("liked")
    return Track(
        name=name,
        key=track_id or f"{name}|{'; '.join(artists)}",
        album=_text(fields.get("album")),
        artists=artists,
        labels=tuple(x for x in labels if x),
        image=_text(fields.get("image")) or None,
        spotify_id=track_id,
        popularity=parse_number(_text(fields.get("popularity"))),
        rank=int(rank) if rank is not None else None,
        liked=liked if isinstance(liked, bool) else parse_bool(_text(liked)),
        genres=_names(fields.get("genres")),
        features=features,
        origin=(source, row),
    )


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(t for v in value if (t := _text(v)))
    text = _text(value)
    return tuple(p.strip() for p in text.split(";") if p.strip()) if text else ()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
