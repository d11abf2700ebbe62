"""Find the playlist files in the data folder and read each with the reader its format needs.

Adding a format is one reader module with a `looks_like_*(header)` test and a `read_*`
function, and one line in `_detect`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..model import Library, Playlist, Problem
from .common import TableError, read_header
from .exportify import looks_like_exportify, read_exportify
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

    playlists: list[Playlist] = []
    problems: list[Problem] = []
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
        reader = _detect(path, fmt)
        if reader is None:
            problems.append(Problem(source, _unknown_format(path, fmt)))
            continue
        try:
            found, issues = reader(path, source)
        except TableError as error:
            problems.append(Problem(source, str(error)))
            continue
        except UnicodeDecodeError as error:
            problems.append(
                Problem(source, f"not UTF-8 text (byte {error.start}); re-save the file as UTF-8")
            )
            continue
        except OSError as error:  # gone or unreadable since it was listed (a save under serve)
            problems.append(Problem(source, f"cannot be read ({error.strerror or error}); left out"))
            continue
        playlists += found
        problems += issues
    return Library(playlists=tuple(playlists), problems=tuple(problems))


def _data_files(data_dir: Path) -> list[Path]:
    """Every file below the data folder, sorted, skipping hidden files and folders."""
    found = []
    for root, dirs, names in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / n for n in names if not n.startswith(".")]
    return sorted(found)


def _detect(path: Path, fmt: str) -> Reader | None:
    suffix = path.suffix.lower()
    if suffix in _DOCUMENT_SUFFIXES:
        return read_native if fmt in ("auto", "native") else None
    if suffix != ".csv":
        return None
    header = read_header(path) or []
    if fmt in ("auto", "exportify") and looks_like_exportify(header):
        return read_exportify
    if fmt in ("auto", "native") and looks_like_native(header):
        return read_native
    return None


def _unknown_format(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return f"not a playlist file of format '{fmt}'; left out"
    if path.suffix.lower() not in _DOCUMENT_SUFFIXES | {".csv"}:
        return "unknown format: expected a .csv, .yml, .yaml or .json playlist file; left out"
    return (
        "unknown format: the header matches no known playlist format (Exportify, spotify-stats "
        "tables, or the native format's 'track' column); left out"
    )
