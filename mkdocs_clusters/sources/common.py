"""Reading CSV tables and parsing cell values, shared by the readers (pandas lives here)."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..links import label_key
from ..model import UNIT_FEATURES, Problem

_SPOTIFY_REF = re.compile(
    r"^(?:spotify:track:|https?://open\.spotify\.com/(?:intl-[a-z]+/)?track/)?([0-9A-Za-z]{22})(?:\?.*)?$"
)
_DECIMAL_COMMA = re.compile(r"^(-?\d*),(\d+)$")
_LABEL_SEPARATORS = re.compile(r"\s*[,/;]\s*")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


class TableError(Exception):
    """A whole file could not be read as a table (bad encoding, binary, not CSV, ...)."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class Table:
    """A CSV file as read: header, every record with its spreadsheet row, and how it ended."""

    header: list[str]
    records: list[tuple[int, list[str]]]
    """(spreadsheet row, cells) per non-blank record; the header is row 1."""
    open_quote: bool
    """The file ends inside a quoted cell: its last record is certainly cut short."""
    no_final_newline: bool
    """The file's last record has no line end: a short last record may be cut short."""
    decimal_comma: bool = False
    """Cells were separated by ';' or tabs, as spreadsheets in many locales write them, so a
    number may be written with a decimal comma ("0,67")."""
    notes: tuple[Problem, ...] = ()
    """INFO lines about how the file was read (e.g. the encoding guessed)."""


def decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """The text of a data file: UTF-8 (with or without BOM), UTF-16 with BOM, or Latin-1.

    Latin-1 (Windows-1252) is accepted only when the guess is safe: every non-ASCII character
    it yields is a Latin letter or common punctuation, never three such letters in a row (which
    is what Cyrillic, Greek or CJK bytes look like when read as Latin-1). Anything else is
    rejected rather than shown as mojibake.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise TableError(
                "not valid UTF-16 text despite its byte order mark; re-save the "
                "file as UTF-8; left out",
                _row_of(data, error.start),
            ) from error
    if b"\x00" in data[:65536]:
        raise TableError("not a text file (binary data); left out")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8"), []
    except UnicodeDecodeError as error:
        bad = skip + error.start
    text = _latin1(data)
    if text is None:
        raise TableError(
            f"not UTF-8 text (byte 0x{data[bad]:02X}), and not recognisably Latin-1 either; "
            "re-save the file as UTF-8; left out",
            _row_of(data, bad),
        )
    note = Problem(
        source,
        "not UTF-8: read as Latin-1 (Windows-1252); if names look wrong, re-save the file as UTF-8",
        level="info",
    )
    return text, [note]


def read_rows(path: Path, source: str) -> Table:
    """Read a CSV file record by record, keeping each record's length and spreadsheet row."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TableError(f"cannot be read ({error.strerror}); left out") from error
    text, notes = decode(data, source)
    if not text.strip():
        raise TableError("empty file; left out")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    last_start = 0
    row = 0
    try:
        for cells in reader:
            row += 1
            if header is None:
                if not any(c.strip() for c in cells):
                    continue  # blank lines above the header
                header = [c.strip() for c in cells]
                last_start = reader.line_num
                continue
            if cells and any(c.strip() for c in cells):
                records.append((row, cells))
            previous_end = last_start
            last_start = reader.line_num
    except csv.Error as error:
        raise TableError(f"not a readable CSV table ({error}); left out", row + 1) from error
    if not header or not any(header):
        raise TableError("no header row; left out", 1)
    open_quote = False
    if records and records[-1][0] == row:
        # Lines as the csv module counts them (only \r and \n end a line; str.splitlines would
        # also break at U+2028, \x85 and friends, which may sit inside a cell).
        tail = "".join(io.StringIO(text, newline="").readlines()[previous_end:])
        try:
            list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
        except csv.Error:
            open_quote = True
    no_final_newline = not text.endswith(("\n", "\r"))
    return Table(header, records, open_quote, no_final_newline, delimiter != ",", tuple(notes))


def read_table(
    path: Path, source: str, short_ok: Callable[[list[str]], Collection[int]] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV file as a table of strings; each row's spreadsheet number is its index.

    Rows whose number of cells differs from the header's are reported and left out, except
    rows of a length `short_ok(header)` allows (a format's known shape, such as Exportify's
    local files): those are kept, their missing cells "". A short last row in a file that ends
    mid-record is reported as truncated.
    """
    table = read_rows(path, source)
    width = len(table.header)
    short = short_ok(table.header) if short_ok else ()
    problems: list[Problem] = list(table.notes)
    kept_rows: list[int] = []
    kept: list[list[str]] = []
    last = table.records[-1][0] if table.records else None
    names = _unique(table.header)
    for row, cells in table.records:
        n = len(cells)
        if row == last and table.open_quote:
            problems.append(
                Problem(
                    source,
                    "the file ends inside this quoted cell: was it cut short? row left out",
                    row,
                    names[min(n, width) - 1],
                )
            )
        elif n == width or (n < width and n in short):
            kept_rows.append(row)
            kept.append(cells + [""] * (width - n))
        elif n < width and row == last and table.no_final_newline:
            problems.append(
                Problem(
                    source,
                    f"the file ends in the middle of this row (after {n} "
                    f"of {width} columns): was it cut short? row left out",
                    row,
                    names[n],
                )
            )
        elif n < width:
            problems.append(
                Problem(
                    source,
                    f"the row stops after {n} of the header's {width} columns; row left out",
                    row,
                    names[n],
                )
            )
        else:
            problems.append(
                Problem(
                    source,
                    f"{n} cells, but the header has {width} columns (a "
                    "stray comma or quote?); row left out",
                    row,
                )
            )
    frame = pd.DataFrame(kept, columns=names, index=kept_rows, dtype=object)
    if table.decimal_comma:
        frame.attrs["decimal_comma"] = True
    return frame, problems


def read_header(path: Path) -> list[str]:
    """The header cells of a CSV file (stripped); raises TableError when it is not text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TableError(f"cannot be read ({error.strerror}); left out") from error
    text, _ = decode(data, "")
    line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    delimiter = max((",", ";", "\t"), key=line.count)
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return [c.strip() for c in cells]


def rows_of(frame: pd.DataFrame) -> list[int]:
    """Spreadsheet row numbers of a table's records (the header is row 1)."""
    return [int(i) for i in frame.index]


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
        if frame.attrs.get("decimal_comma"):
            text = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = (text != "") & (numbers.isna() | text.str.lower().isin(["nan", "inf", "-inf"]))
        for position in bad.to_numpy().nonzero()[0]:
            problems.append(
                Problem(
                    source,
                    f"expected a number, got {text.iloc[position]!r}",
                    rows[position],
                    column,
                )
            )
        if feature in UNIT_FEATURES:
            outside = numbers.notna() & ((numbers < 0) | (numbers > 1))
            for position in outside.to_numpy().nonzero()[0]:
                problems.append(
                    Problem(
                        source,
                        f"expected a number from 0 to 1, got {text.iloc[position]}",
                        rows[position],
                        column,
                    )
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
    """Split a label string holding several labels ("EMI / Interscope") into names.

    As spotify-stats did, `,` `/` and `;` separate labels; a part that is only a company
    suffix ("Warner Records, Inc.") stays with the label before it. Names keep their text.
    """
    parts: list[str] = []
    for part in _LABEL_SEPARATORS.split(text.strip()):
        if not part:
            continue
        if parts and not label_key(part):
            parts[-1] = f"{parts[-1]}, {part}"
        elif part not in parts:
            parts.append(part)
    return tuple(parts)


def split_names(text: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


def parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def decimal_point(text: str) -> str:
    """A number written with a decimal comma ("0,67") written with a point."""
    return _DECIMAL_COMMA.sub(r"\1.\2", text.strip())


def parse_number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def pick(columns: Sequence[str], candidates: Iterable[str]) -> str | None:
    """The first column whose case-folded name is one of the candidates."""
    folded = {c.casefold(): c for c in columns}
    for candidate in candidates:
        if candidate.casefold() in folded:
            return folded[candidate.casefold()]
    return None


def _unique(names: list[str]) -> list[str]:
    """Header names made unique (a repeated name gets " (2)", ...), never empty."""
    seen: dict[str, int] = {}
    result = []
    for i, name in enumerate(names):
        name = name or f"#{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


def _row_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# Typographic punctuation Windows-1252 files hold besides Latin letters.
# Left out: "‚", "ƒ" and "ˆ", the bytes 0x82, 0x83 and 0x88 that start most Japanese
# characters in Shift-JIS files.
_LATIN1_PUNCTUATION = set("€„…†‡‰‹›‘’“”•–—˜™¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")


def _latin1(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    run = 0
    for char in text:
        if char < "\x80":
            run = 0
            continue
        if char in _LATIN1_PUNCTUATION:
            run = 0
            continue
        if char == "ƒ" or not unicodedata.name(char, "").startswith("LATIN"):
            return None
        run += 1
        if run >= 3:
            return None
    return text
