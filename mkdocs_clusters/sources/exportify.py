"""Exportify CSV: one playlist per file, named after the file (exportify.net and watsonbox)."""

from __future__ import annotations

from pathlib import Path

from ..model import ALL_FEATURES, Playlist, Problem, Track
from .common import (
    parse_number,
    parse_numbers,
    pick,
    read_table,
    rows_of,
    spotify_id,
    split_labels,
)

#: Header names (case-folded, stripped) per field, across Exportify's variants. A new variant
#: or a translated header is one more name in one of these tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "uri": ("Track URI", "Spotify ID", "Track ID", "Spotify URI"),
    "name": ("Track Name",),
    "album": ("Album Name",),
    "artists": ("Artist Name(s)", "Artist Name"),
    "label": ("Record Label", "Label"),
    "image": ("Album Image URL",),
    "popularity": ("Popularity",),
    "genres": ("Genres", "Artist Genres"),
}
FEATURE_COLUMNS: dict[str, tuple[str, ...]] = {
    feature: (feature.replace("_", " "),) for feature in ALL_FEATURES
}


def looks_like_exportify(header: list[str]) -> bool:
    return pick(header, COLUMNS["name"]) is not None and pick(header, COLUMNS["uri"]) is not None


def read_exportify(path: Path, source: str) -> tuple[list[Playlist], list[Problem]]:
    frame = read_table(path)
    header = list(frame.columns)
    column = {field: pick(header, names) for field, names in COLUMNS.items()}
    feature_columns = {
        feature: found
        for feature, names in FEATURE_COLUMNS.items()
        if (found := pick(header, names)) is not None
    }
    features, problems = parse_numbers(frame, feature_columns, source)

    def cells(field: str) -> list[str]:
        name = column[field]
        return frame[name].astype(str).tolist() if name else [""] * len(frame)

    # watsonbox joins artists with ", " (a comma inside a name escaped as "\,"); exportify.net
    # joined them with "," until 2025-09 and with ";" since.
    artist_cells = cells("artists")
    watsonbox = pick(header, ("Album URI",)) is not None
    semicolons = not watsonbox and any(";" in cell for cell in artist_cells)

    tracks: list[Track] = []
    rows = rows_of(frame)
    for i, (uri, name, album, artists, label, image, popularity, genres) in enumerate(
        zip(
            cells("uri"), cells("name"), cells("album"), artist_cells, cells("label"),
            cells("image"), cells("popularity"), cells("genres"), strict=True,
        )
    ):
        track_id = spotify_id(uri)
        tracks.append(
            Track(
                name=name.strip(),
                key=track_id or f"{uri.strip()}|{name.strip()}|{artists.strip()}",
                album=album.strip(),
                artists=_split_artists(artists, watsonbox=watsonbox, semicolons=semicolons),
                labels=split_labels(label),
                image=image.strip() or None,
                spotify_id=track_id,
                popularity=parse_number(popularity),
                genres=tuple(g.strip() for g in genres.split(",") if g.strip()),
                features={f: v for f, values in features.items() if (v := values[i]) is not None},
                origin=(source, rows[i]),
            )
        )
    return [Playlist(name=path.stem, source=source, tracks=tuple(tracks))], problems


def _split_artists(text: str, *, watsonbox: bool, semicolons: bool) -> tuple[str, ...]:
    if watsonbox:
        parts = text.replace("\\,", "\x00").split(", ")
        return tuple(p.replace("\x00", ",").strip() for p in parts if p.strip())
    separator = ";" if semicolons else ","
    return tuple(p.strip() for p in text.split(separator) if p.strip())
