"""Reading CSV tables and parsing cell values, shared by the readers (pandas lives here)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ..model import UNIT_FEATURES, Problem

_SPOTIFY_REF = re.compile(
    r"^(?:spotify:track:|https?://open\.spotify\.com/(?:intl-[a-z]+/)?track/)?([0-9A-Za-z]{22})(?:\?.*)?$"
)
_LABEL_SEPARATORS = re.compile(r"\s*[,/;]\s*")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


class TableError(Exception):
    """A whole file could not be read as a table (bad encoding, not CSV, ...)."""


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV file as strings: header names stripped, missing trailing cells as ""."""
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8-sig",
            skip_blank_lines=True,
        )
    except UnicodeDecodeError as error:
        raise TableError(
            f"not UTF-8 text (byte {error.start}); re-save the file as UTF-8"
        ) from error
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise TableError(f"not a readable CSV table ({_first_line(error)})") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def read_header(path: Path) -> list[str] | None:
    """The header cells of a CSV file, or None when it has no readable text header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            line = f.readline(65536)
    except (UnicodeDecodeError, OSError):
        return None
    if "\x00" in line:
        return None
    import csv

    cells = next(csv.reader([line]), [])
    return [c.strip() for c in cells]


def rows_of(frame: pd.DataFrame) -> list[int]:
    """Spreadsheet row numbers of a table's records (the header is row 1)."""
    return [int(i) + 2 for i in frame.index]


def parse_numbers(
    frame: pd.DataFrame, columns: dict[str, str], source: str
) -> tuple[dict[str, list[float | None]], list[Problem]]:
    """Parse feature columns (feature name → column name) into floats, vectorized.

    Empty cells become None. A cell that is not a number, is NaN, or is a 0..1 feature outside
    [0, 1] becomes NaN (present but unusable) and a warning naming its row and column.
    """
    problems: list[Problem] = []
    values: dict[str, list[float | None]] = {}
    rows = rows_of(frame)
    for feature, column in columns.items():
        text = frame[column].astype(str).str.strip()
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = (text != "") & (numbers.isna() | text.str.lower().isin(["nan", "inf", "-inf"]))
        for position in bad.to_numpy().nonzero()[0]:
            problems.append(
                Problem(source, f"expected a number, got {text.iloc[position]!r}",
                        rows[position], column)
            )
        if feature in UNIT_FEATURES:
            outside = numbers.notna() & ((numbers < 0) | (numbers > 1))
            for position in outside.to_numpy().nonzero()[0]:
                problems.append(
                    Problem(source, f"expected a number from 0 to 1, got {text.iloc[position]}",
                            rows[position], column)
                )
            bad |= outside
        empty = (text == "").to_numpy()
        numbers = numbers.where(~bad, float("nan")).to_numpy(dtype=float)
        values[feature] = [None if e else float(v) for e, v in zip(empty, numbers, strict=True)]
    return values, problems


def spotify_id(text: str) -> str | None:
    """The 22-character track id in a URI, an open.spotify.com URL or a bare id."""
    match = _SPOTIFY_REF.match(text.strip())
    return match.group(1) if match else None


def split_labels(text: str) -> tuple[str, ...]:
    """Split a label string holding several labels ("EMI / Interscope") into names."""
    return tuple(part for part in _LABEL_SEPARATORS.split(text.strip()) if part)


def split_names(text: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


def parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE and lowered:
        return False
    return None


def parse_number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


def pick(columns: Sequence[str], candidates: Iterable[str]) -> str | None:
    """The first column whose case-folded name is one of the candidates."""
    folded = {c.casefold(): c for c in columns}
    for candidate in candidates:
        if candidate.casefold() in folded:
            return folded[candidate.casefold()]
    return None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
