"""Caching each page's clustering and figure by a hash of what decides them.

A clustering and its figure depend only on the feature matrix (the tracks' audio features, in
playlist order), the options that steer the clustering, the code that computes them and the
libraries it uses; the cache key is a hash of all of these, so a stale entry can never be found.
Names, albums and links are not part of it: they are the table's, joined again when an entry is
read (`Fit.join`). Entries live in memory (across `mkdocs serve` rebuilds) and, when a folder
is given, on disk as one JSON file per key (JSON, not pickle: loading a cache file never runs
code). A missing, half-written or corrupt file is simply a miss.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .features import FeatureTable
from .model import Cluster, Clustering

#: Bumped when the layout of a cache file changes (2: the fit without the playlist's tracks).
FORMAT = 2
#: The modules whose code decides a cached result: editing one invalidates the cache even
#: without a new package version (as happens while developing).
_CODE = ("cache.py", "model.py", "features.py", "cluster.py", "figures.py")
_LIBRARIES = ("numpy", "scikit-learn", "matplotlib")  # (scikit-learn: pages over 10,000 tracks)


@dataclass(frozen=True)
class Computed:
    """What is expensive to make for one playlist: its clustering and its figure."""

    clustering: Clustering
    figure: bytes


def cache_key(table: FeatureTable, settings: Mapping[str, object]) -> str:
    """The hash of a page's feature matrix, the settings that steer its clustering, the code
    and the libraries' versions (microseconds: no track is looked at)."""
    matrix = np.ascontiguousarray(table.matrix, dtype=np.float64)
    document = {
        "format": FORMAT,
        "package": __version__,
        "code": _code_digest(),
        "libraries": {name: _version(name) for name in _LIBRARIES},
        "settings": dict(settings),
        "features": list(table.features),
        "shape": list(matrix.shape),
    }
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode())
    digest.update(matrix.tobytes())
    return digest.hexdigest()


class ResultCache:
    """Computed results by key: in memory, and in `folder` when one is given."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.write_error: str | None = None
        """Why the disk cache could not be written (it is then used read-only), for the log."""
        self._memory: dict[str, Computed] = {}
        self._unreported = False

    def get(self, key: str, table: FeatureTable) -> Computed | None:
        """The entry for `key`, its clustering joined to `table` (whose matrix gave the key)."""
        found = self._memory.get(key)
        if found is None and self.folder is not None:
            found = self._load(self.folder / f"{key}.json", key, table)
            if found is not None:
                self._memory[key] = found
        if found is not None and found.clustering.playlist is not table.playlist:
            # The same features in another playlist, or the same playlist read again.
            found = Computed(_join(found.clustering, table), found.figure)
        return found

    def put(self, key: str, computed: Computed) -> None:
        self._memory[key] = computed
        if self.folder is None or self.write_error is not None:
            return
        document = {
            "format": FORMAT,
            "key": key,
            "fit": _fit_document(computed.clustering),
            "figure": base64.b64encode(computed.figure).decode("ascii"),
        }
        try:
            write_atomic(self.folder / f"{key}.json", json.dumps(document).encode())
        except OSError as error:
            self.write_error = f"{self.folder}: {error.strerror or error}"
            self._unreported = True

    def has_entries(self) -> bool:
        """Whether anything is cached, in memory or on disk (a quick look, not a check)."""
        if self._memory:
            return True
        try:
            return self.folder is not None and any(self.folder.glob("*.json"))
        except OSError:
            return False

    def pop_write_error(self) -> str | None:
        """Why writing to the disk cache failed, once (the cache is read-only from then on)."""
        error, self._unreported = (self.write_error if self._unreported else None), False
        return error

    def retain(self, keys: Iterable[str]) -> None:
        """Forget the in-memory entries not in `keys` (those of the latest build), so a long
        `mkdocs serve` session does not keep every edit's result. Disk entries stay."""
        wanted = set(keys)
        self._memory = {k: v for k, v in self._memory.items() if k in wanted}

    @staticmethod
    def _load(path: Path, key: str, table: FeatureTable) -> Computed | None:
        try:
            document = json.loads(path.read_bytes())
            if document["format"] != FORMAT or document["key"] != key:
                return None
            return Computed(
                clustering=_read_fit(document["fit"], table),
                figure=base64.b64decode(document["figure"], validate=True),
            )
        # Not there yet; or cut short, edited by hand, written by other code (JSONDecodeError
        # and binascii.Error are ValueErrors): a miss, recomputed and overwritten.
        except (OSError, ValueError, KeyError, TypeError):
            return None


def write_atomic(path: Path, content: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fit_document(clustering: Clustering) -> dict[str, Any]:
    """What the clustering computed, as JSON: not the playlist, its tracks or their counts."""
    return {
        "clusters": [[c.number, list(c.members), c.colour, c.marker] for c in clustering.clusters],
        "criterion": clustering.criterion,
        "xy": [list(p) for p in clustering.xy],
        "axis_words": [list(words) for words in clustering.axis_words],
        "features": list(clustering.features),
        "separation": None if clustering.separation is None else list(clustering.separation),
    }


def _read_fit(data: Any, table: FeatureTable) -> Clustering:
    """The inverse of `_fit_document`, joined to `table`; ValueError when `data` does not fit
    (members that are not tracks of the table, text where numbers belong, ...)."""
    size = len(table.tracks)
    clusters = tuple(
        Cluster(number=_int(number), members=tuple(_index(i, size) for i in members),
                colour=_str(colour), marker=_str(marker))
        for number, members, colour, marker in data["clusters"]
    )
    xy = tuple((_float(x), _float(y)) for x, y in data["xy"])
    (x_low, x_high), (y_low, y_high) = data["axis_words"]
    separation = data["separation"]
    if len(xy) != size or sum(len(c.members) for c in clusters) != size:
        raise ValueError("the entry is not this table's")
    return Clustering(
        **_table_fields(table),
        clusters=clusters,
        criterion=_str(data["criterion"]),
        xy=xy,
        axis_words=((_str(x_low), _str(x_high)), (_str(y_low), _str(y_high))),
        features=tuple(_str(f) for f in data["features"]),
        separation=None if separation is None else (_float(separation[0]),
                                                     _float(separation[1])),
    )


def _join(clustering: Clustering, table: FeatureTable) -> Clustering:
    return dataclasses.replace(clustering, **_table_fields(table))


def _table_fields(table: FeatureTable) -> dict[str, Any]:
    """The fields of a clustering that are its table's, not computed (left out of the cache)."""
    return {"playlist": table.playlist, "tracks": table.tracks,
            "left_out": table.without_features + table.broken, "duplicates": table.duplicates}


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _index(value: Any, size: int) -> int:
    if not 0 <= _int(value) < size:
        raise ValueError("a member that is not a track of the table")
    return value


def _float(value: Any) -> float:
    # An int stays an int (JSON writes 0.0 as 0.0, but keep what was stored), so a page renders
    # the same from the cache as when freshly computed.
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError("expected a number")
    return value


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()


@functools.cache
def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"
