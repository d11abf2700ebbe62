"""spotify-stats tables: a folder of normalized CSV tables holding every playlist at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..model import ALL_FEATURES, Playlist, Problem, Track
from .common import TableError, parse_number, parse_numbers, read_table, spotify_id, split_labels

REQUIRED = ("playlists.csv", "playlist_track.csv")
OPTIONAL = (
    "tracks.csv",
    "track_artist.csv",
    "artists.csv",
    "albums.csv",
    "liked_tracks.csv",
    "audio_features.csv",
    "artist_genre.csv",
    "album_artist.csv",
)
#: Columns each table must have for the reader to use it.
NEEDED: dict[str, tuple[str, ...]] = {
    "playlists.csv": ("name", "uri"),
    "playlist_track.csv": ("playlist_uri", "track_uri"),
    "tracks.csv": ("uri", "name"),
    "track_artist.csv": ("track_uri", "artist_uri"),
    "artists.csv": ("uri", "name"),
    "albums.csv": ("uri", "name"),
    "liked_tracks.csv": ("track_uri",),
    "audio_features.csv": ("track_uri",),
    "artist_genre.csv": ("artist_uri", "genre"),
    "album_artist.csv": (),
}


def is_tables_folder(folder: Path) -> bool:
    return all((folder / name).is_file() for name in REQUIRED)


def table_files(folder: Path) -> list[Path]:
    """Every file of the folder that this reader consumes."""
    files = [folder / name for name in REQUIRED + OPTIONAL if (folder / name).is_file()]
    top = folder / "top_tracks"
    if top.is_dir():
        files += sorted(p for p in top.glob("*.csv") if not p.name.startswith("."))
    return files


def read_tables(folder: Path, relative: Callable[[Path], str]) -> tuple[list[Playlist], list[Problem]]:
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for name in REQUIRED + OPTIONAL:
        path = folder / name
        if not path.is_file():
            continue
        try:
            frame = read_table(path)
        except TableError as error:
            problems.append(Problem(relative(path), str(error)))
            continue
        missing = [c for c in NEEDED[name] if c not in frame.columns]
        if missing:
            problems.append(
                Problem(relative(path), f"missing column(s) {', '.join(map(repr, missing))}")
            )
            continue
        tables[name] = frame
    if "playlists.csv" not in tables or "playlist_track.csv" not in tables:
        return [], problems

    def table(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame(columns=list(NEEDED[name])))

    tracks = table("tracks.csv").drop_duplicates("uri").set_index("uri")
    albums = table("albums.csv").drop_duplicates("uri").set_index("uri")
    artist_names = dict(zip(table("artists.csv")["uri"], table("artists.csv")["name"], strict=True))

    track_artist = table("track_artist.csv")
    if "artist_index" in track_artist.columns:
        order = pd.to_numeric(track_artist["artist_index"], errors="coerce").fillna(0)
        track_artist = track_artist.assign(_order=order).sort_values(["track_uri", "_order"])
    artists_of: dict[str, list[str]] = defaultdict(list)
    for track_uri, artist_uri in zip(track_artist["track_uri"], track_artist["artist_uri"], strict=True):
        if artist_uri in artist_names:
            artists_of[track_uri].append(artist_names[artist_uri])

    genres_of: dict[str, list[str]] = defaultdict(list)
    genres = table("artist_genre.csv")
    for artist_uri, genre in zip(genres["artist_uri"], genres["genre"], strict=True):
        genres_of[artist_uri].append(genre)

    liked = set(table("liked_tracks.csv")["track_uri"]) if "liked_tracks.csv" in tables else None

    features_table = table("audio_features.csv").drop_duplicates("track_uri")
    feature_source = relative(folder / "audio_features.csv")
    columns = {f: f for f in ALL_FEATURES if f in features_table.columns}
    values, feature_problems = parse_numbers(features_table, columns, feature_source)
    problems += feature_problems
    features_of: dict[str, tuple[dict[str, float], tuple[str, int]]] = {}
    for i, (uri, position) in enumerate(zip(features_table["track_uri"], features_table.index, strict=True)):
        features_of[uri] = (
            {f: v for f, column in values.items() if (v := column[i]) is not None},
            (feature_source, int(position) + 2),
        )

    rank_of = _ranks(folder, relative, problems)

    def make_track(uri: str) -> Track | None:
        if uri not in tracks.index:
            return None
        row = tracks.loc[uri]
        album = albums.loc[row.get("album_uri", "")] if row.get("album_uri", "") in albums.index else None
        artist_uris = track_artist_uris.get(uri, [])
        feature_values, origin = features_of.get(uri, ({}, None))
        return Track(
            name=str(row["name"]).strip(),
            key=spotify_id(uri) or uri,
            album=str(album["name"]).strip() if album is not None else "",
            artists=tuple(artists_of.get(uri, ())),
            labels=split_labels(str(album.get("label", ""))) if album is not None else (),
            image=(str(album.get("image_url", "")).strip() or None) if album is not None else None,
            spotify_id=spotify_id(uri),
            popularity=parse_number(str(row.get("popularity", ""))),
            rank=rank_of.get(uri, len(rank_of) + 1) if rank_of is not None else None,
            liked=(uri in liked) if liked is not None else None,
            genres=tuple(sorted({g for a in artist_uris for g in genres_of.get(a, ())})),
            features=feature_values,
            origin=origin,
        )

    track_artist_uris: dict[str, list[str]] = defaultdict(list)
    for track_uri, artist_uri in zip(track_artist["track_uri"], track_artist["artist_uri"], strict=True):
        track_artist_uris[track_uri].append(artist_uri)

    made: dict[str, Track | None] = {}
    entries: dict[str, list[Track]] = defaultdict(list)
    missing_tracks: dict[str, int] = defaultdict(int)
    links = table("playlist_track.csv")
    for playlist_uri, track_uri in zip(links["playlist_uri"], links["track_uri"], strict=True):
        if track_uri not in made:
            made[track_uri] = make_track(track_uri)
        track = made[track_uri]
        if track is None:
            missing_tracks[playlist_uri] += 1
        else:
            entries[playlist_uri].append(track)

    source = relative(folder / "playlists.csv")
    playlists = []
    listing = table("playlists.csv")
    for i, (name, uri) in enumerate(zip(listing["name"], listing["uri"], strict=True)):
        if missing_tracks.get(uri):
            problems.append(
                Problem(source, f"playlist {name!r}: {missing_tracks[uri]} track(s) of "
                        "playlist_track.csv have no row in tracks.csv; left out",
                        i + 2, level="info")
            )
        playlists.append(Playlist(name=str(name).strip(), source=source, tracks=tuple(entries.get(uri, ()))))
    return playlists, problems


def _ranks(folder: Path, relative: Callable[[Path], str], problems: list[Problem]) -> dict[str, int] | None:
    """Rank tracks by their placements in the top lists (`top_tracks/*.csv`).

    Each placement scores (51 - index) points, at least 1: a track's score is the sum of its
    placements. Rank 1 is the highest score; ties are broken by URI, and tracks that never
    placed share the rank after the last placed one (as spotify-stats did).
    """
    top = folder / "top_tracks"
    if not top.is_dir():
        return None
    scores: dict[str, float] = defaultdict(float)
    for path in sorted(top.glob("*.csv")):
        if path.name.startswith("."):
            continue
        try:
            frame = read_table(path)
        except TableError as error:
            problems.append(Problem(relative(path), str(error)))
            continue
        if "track_uri" not in frame.columns or "index" not in frame.columns:
            problems.append(Problem(relative(path), "missing column(s) 'track_uri', 'index'"))
            continue
        index = pd.to_numeric(frame["index"], errors="coerce").fillna(50)
        for uri, position in zip(frame["track_uri"], index, strict=True):
            scores[uri] += max(1.0, 51.0 - float(position))
    ordered = sorted(scores, key=lambda uri: (-scores[uri], uri))
    return {uri: n for n, uri in enumerate(ordered, start=1)} if ordered else None
