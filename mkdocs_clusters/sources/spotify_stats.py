"""spotify-stats tables: a folder of normalized CSV tables holding every playlist at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..model import ALL_FEATURES, Playlist, Problem, Track
from .common import TableError, parse_number, parse_numbers, read_table, split_labels, spotify_id

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


def read_tables(
    folder: Path, relative: Callable[[Path], str]
) -> tuple[list[Playlist], list[Problem]]:
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for name in REQUIRED + OPTIONAL:
        path = folder / name
        if path.is_file() and (frame := _read(path, NEEDED[name], relative, problems)) is not None:
            tables[name] = frame
    if "playlists.csv" not in tables or "playlist_track.csv" not in tables:
        return [], problems

    def table(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame(columns=list(NEEDED[name])))

    tracks = _by_key(table("tracks.csv"), "uri")
    albums = _by_key(table("albums.csv"), "uri")
    artist_names = dict(zip(table("artists.csv")["uri"], table("artists.csv")["name"], strict=True))

    track_artist = table("track_artist.csv")
    if "artist_index" in track_artist.columns:
        order = pd.to_numeric(track_artist["artist_index"], errors="coerce").fillna(0)
        track_artist = track_artist.assign(_order=order).sort_values(
            ["track_uri", "_order"], kind="stable"
        )
    artists_of: dict[str, list[str]] = defaultdict(list)
    track_artist_uris: dict[str, list[str]] = defaultdict(list)
    for track_uri, artist_uri in zip(
        track_artist["track_uri"], track_artist["artist_uri"], strict=True
    ):
        track_artist_uris[track_uri].append(artist_uri)
        if artist_uri in artist_names:
            artists_of[track_uri].append(str(artist_names[artist_uri]).strip())

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
    for i, (uri, position) in enumerate(
        zip(features_table["track_uri"], features_table.index, strict=True)
    ):
        features_of[uri] = (
            {f: v for f, column in values.items() if (v := column[i]) is not None},
            (feature_source, int(position)),
        )

    rank_of = _ranks(folder, relative, problems)
    # References to rows that are not there, counted for one INFO line per table.
    dangling: dict[str, set[str]] = defaultdict(set)

    def make_track(uri: str) -> Track | None:
        row = tracks.get(uri)
        if row is None:
            return None
        album_uri = row.get("album_uri", "")
        album = albums.get(album_uri)
        if album is None and "albums.csv" in tables and album_uri:
            dangling["album"].add(uri)
        label = str(album.get("label", "")) if album is not None else ""
        if album is not None and not label.strip() and "label" in album:
            dangling["label"].add(uri)
        artist_uris = track_artist_uris.get(uri, [])
        if "artists.csv" in tables and any(a not in artist_names for a in artist_uris):
            dangling["artist"].add(uri)
        feature_values, origin = features_of.get(uri, ({}, None))
        return Track(
            name=str(row["name"]).strip(),
            key=spotify_id(uri) or uri,
            album=str(album["name"]).strip() if album is not None else "",
            artists=tuple(artists_of.get(uri, ())),
            labels=split_labels(label),
            image=(str(album.get("image_url", "")).strip() or None) if album is not None else None,
            spotify_id=spotify_id(uri),
            popularity=parse_number(str(row.get("popularity", ""))),
            rank=rank_of.get(uri, len(rank_of) + 1) if rank_of is not None else None,
            liked=(uri in liked) if liked is not None else None,
            genres=tuple(sorted({g for a in artist_uris for g in genres_of.get(a, ())})),
            features=feature_values,
            origin=origin,
        )

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
    for row, name, uri in zip(listing.index, listing["name"], listing["uri"], strict=True):
        if missing_tracks.get(uri):
            problems.append(
                Problem(
                    source,
                    f"playlist {name!r}: {missing_tracks[uri]} track(s) of "
                    "playlist_track.csv have no row in tracks.csv; left out",
                    int(row),
                    "uri",
                    level="info",
                )
            )
        playlists.append(
            Playlist(name=str(name).strip(), source=source, tracks=tuple(entries.get(uri, ())))
        )
    unlisted = set(links["playlist_uri"]) - set(listing["uri"])
    if unlisted:
        problems.append(
            Problem(
                relative(folder / "playlist_track.csv"),
                f"{len(unlisted)} "
                "playlist(s) have no row in playlists.csv; their tracks are left "
                "out",
                level="info",
            )
        )
    for kind, text in (
        ("album", "reference an album missing from albums.csv; shown without album and label"),
        ("label", "have an album without a label; shown without label"),
        ("artist", "reference an artist missing from artists.csv; shown without that artist"),
    ):
        if dangling[kind]:
            problems.append(
                Problem(
                    relative(folder / "tracks.csv"),
                    f"{len(dangling[kind])} track(s) {text}",
                    level="info",
                )
            )
    return playlists, problems


def _by_key(frame: pd.DataFrame, key: str) -> dict[str, dict[str, str]]:
    """The rows of a table as mappings by their key column; the first row of a key wins."""
    result: dict[str, dict[str, str]] = {}
    for record in frame.to_dict("records"):
        result.setdefault(record[key], record)
    return result


def _ranks(
    folder: Path, relative: Callable[[Path], str], problems: list[Problem]
) -> dict[str, int] | None:
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
        frame = _read(path, ("track_uri", "index"), relative, problems)
        if frame is None:
            continue
        index = pd.to_numeric(frame["index"], errors="coerce").fillna(50)
        for uri, position in zip(frame["track_uri"], index, strict=True):
            scores[uri] += max(1.0, 51.0 - float(position))
    ordered = sorted(scores, key=lambda uri: (-scores[uri], uri))
    return {uri: n for n, uri in enumerate(ordered, start=1)} if ordered else None


def _read(
    path: Path, needed: tuple[str, ...], relative: Callable[[Path], str], problems: list[Problem]
) -> pd.DataFrame | None:
    """A table with the columns it needs, or None (and the reason among the problems)."""
    try:
        frame, issues = read_table(path, relative(path))
    except TableError as error:
        problems.append(Problem(relative(path), str(error), error.row))
        return None
    problems += issues
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        problems.append(
            Problem(relative(path), f"missing column(s) {', '.join(map(repr, missing))}")
        )
        return None
    return frame
