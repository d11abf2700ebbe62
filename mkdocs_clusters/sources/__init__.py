"""Find the playlist files in the data folder and read each with the reader its format needs.

Adding a format is one reader module with a `looks_like_*(header)` test and a `read_*`
function, and one line in `_detect`. Tables of audio features (`features_table`) are found
the same way and joined to every playlist's tracks by Spotify track id.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..model import Library, Playlist, Problem, Track
from .common import TableError, read_header
from .exportify import looks_like_exportify, read_exportify
from .features_table import Features, looks_like_features_table, read_features_table
from .native import looks_like_native, read_native
from .spotify_stats import is_tables_folder, read_tables, table_files

FORMATS = ("auto", "spotify-stats", "exportify", "native")
_DOCUMENT_SUFFIXES = {".yml", ".yaml", ".json"}
Reader = Callable[[Path, str], "tuple[list[Playlist], list[Problem]]"]


def read_library(data_dir: Path, project_dir: Path, fmt: str = "auto") -> Library:
    """Read every playlist under `data_dir`; problems name files relative to `project_dir`."""

    def relative(path: Path) -> str:
        try:
            return path.relative_to(project_dir).as_posix()
        except ValueError:
            return path.as_posix()

    with _collector_paused():
        return _read_library(data_dir, relative, fmt)


def _read_library(data_dir: Path, relative: Callable[[Path], str], fmt: str) -> Library:
    playlists: list[Playlist] = []
    problems: list[Problem] = []
    tables: list[tuple[str, Features]] = []
    consumed: set[Path] = set()
    files = _data_files(data_dir)

    if fmt in ("auto", "spotify-stats"):
        for folder in sorted({f.parent for f in files} | {data_dir}):
            if is_tables_folder(folder):
                found, issues = read_tables(folder, relative)
                playlists += found
                problems += issues
                consumed.update(table_files(folder))

    for path in files:
        if path in consumed:
            continue
        source = relative(path)
        try:
            reader = _detect(path, fmt)
            if reader is None:
                problems.append(Problem(source, _unknown_format(path, fmt)))
            elif reader is read_features_table:
                features, issues = read_features_table(path, source)
                tables.append((source, features))
                problems += sorted(issues, key=lambda p: p.row or 0)
            else:
                found, issues = reader(path, source)
                playlists += found
                # Row order, whichever check found the problem (shape, then each column).
                problems += sorted(issues, key=lambda p: p.row or 0)
        except TableError as error:
            problems.append(Problem(source, str(error), error.row))
        except OSError as error:  # gone or unreadable since it was listed (a save under serve)
            problems.append(
                Problem(source, f"cannot be read ({error.strerror or error}); left out")
            )
    playlists = _join_features(playlists, tables, problems)
    return Library(playlists=tuple(playlists), problems=tuple(problems))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the files are read.

    Reading makes millions of objects (a Track, its features and cells per row) but no
    reference cycles (bar an exception's per rejected file, collected when the collector
    resumes), yet each of the collector's full passes walks every object made so far: at
    400,000 rows that was 30% of the reading time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def data_stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Each data file's path, size and modification time: equal stamps, equal data (a
    millisecond for a hundred files, against a tenth of a second or more to read them)."""
    stamp = []
    for path in _data_files(data_dir):
        try:
            status = path.stat()
        except OSError:  # removed meanwhile: reading it will say so
            stamp.append((str(path), -1, -1))
        else:
            stamp.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(stamp)


def _data_files(data_dir: Path) -> list[Path]:
    """Every file below the data folder, sorted, skipping hidden files and folders."""
    found = []
    for root, dirs, names in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / n for n in names if not n.startswith(".")]
    return sorted(found)


def _detect(path: Path, fmt: str) -> Callable[..., object] | None:
    suffix = path.suffix.lower()
    if suffix in _DOCUMENT_SUFFIXES:
        return read_native if fmt in ("auto", "native") else None
    if suffix != ".csv":
        return None
    header = read_header(path)
    if fmt in ("auto", "exportify") and looks_like_exportify(header):
        return read_exportify
    if fmt in ("auto", "native") and looks_like_native(header):
        return read_native
    if looks_like_features_table(header):
        return read_features_table
    return None


def _join_features(
    playlists: list[Playlist], tables: list[tuple[str, Features]], problems: list[Problem]
) -> list[Playlist]:
    """Fill in each track's missing features from the features tables (first table wins);
    leave out, with a warning, playlists that end up with no features at all."""
    used: dict[str, set[str]] = {source: set() for source, _ in tables}

    def joined(track: Track) -> Track:
        for source, table in tables:
            if track.spotify_id in table:
                values, origin = table[track.spotify_id]
                used[source].add(track.spotify_id)
                origin = track.origin if track.features else origin
                return dataclasses.replace(
                    track, features={**values, **track.features}, origin=origin
                )
        return track

    result = []
    for playlist in playlists:
        if tables:
            playlist = dataclasses.replace(playlist, tracks=tuple(map(joined, playlist.tracks)))
        if playlist.tracks and not any(t.features for t in playlist.tracks):
            problems.append(
                Problem(
                    playlist.source,
                    f"playlist {playlist.name!r} has no audio "
                    "features: no feature columns (Danceability, Energy, ...) "
                    "with values, and no features table in the data folder "
                    "covers its tracks; add the features (see the README's "
                    "'Audio features from a separate file'); no page",
                )
            )
            continue
        result.append(playlist)
    for source, table in tables:
        if used[source]:
            problems.append(
                Problem(
                    source,
                    f"features table: audio features for {len(table)} "
                    f"track(s), used for {len(used[source])} track(s) of the "
                    "playlists (joined by Spotify track id)",
                    level="info",
                )
            )
        elif table:
            problems.append(
                Problem(
                    source,
                    f"features table: audio features for {len(table)} "
                    "track(s), but none of them is in a playlist (joined by "
                    "Spotify track id); left unused",
                )
            )
    return result


def _unknown_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return f"not a playlist file of format '{fmt}'; left out"
    if path.suffix.lower() not in _DOCUMENT_SUFFIXES | {".csv"}:
        return "unknown format: expected a .csv, .yml, .yaml or .json playlist file; left out"
    return (
        "unknown format: the header matches no known playlist format (Exportify, spotify-stats "
        "tables, the native format's 'track' column) nor a features table (a Spotify track "
        "URI/URL/id column and audio feature columns); left out"
    )
