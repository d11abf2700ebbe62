"""Caching each playlist's clustering and figure by a hash of what decides them.

A playlist's result depends on its tracks (as read), the options that steer the clustering,
the code that computes it and the libraries it uses; the cache key is a hash of all of these,
so a stale entry can never be found. Entries live in memory (across `mkdocs serve` rebuilds)
and, when a folder is given, on disk as one JSON file per key (JSON, not pickle: loading a
cache file never runs code). A missing, half-written or corrupt file is simply a miss.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import __version__
from .model import Clustering, Playlist

#: Bumped when the layout of a cache file changes.
FORMAT = 1
#: The modules whose code decides a cached result: editing one invalidates the cache even
#: without a new package version (as happens while developing).
_CODE = ("cache.py", "model.py", "features.py", "cluster.py", "explain.py", "figures.py")
_LIBRARIES = ("numpy", "scikit-learn", "matplotlib")


@dataclass(frozen=True)
class Computed:
    """What is expensive to make for one playlist: its clustering and its figure."""

    clustering: Clustering
    figure: bytes


def cache_key(playlist: Playlist, settings: Mapping[str, object]) -> str:
    """The hash of a playlist's content, the settings that steer its clustering, and the code."""
    document = {
        "format": FORMAT,
        "package": __version__,
        "code": _code_digest(),
        "libraries": {name: _version(name) for name in _LIBRARIES},
        "settings": dict(settings),
        "playlist": encode(playlist),
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """Computed results by key: in memory, and in `folder` when one is given."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.write_error: str | None = None
        """Why the disk cache could not be written (it is then used read-only), for the log."""
        self._memory: dict[str, Computed] = {}
        self._unreported = False

    def get(self, key: str) -> Computed | None:
        found = self._memory.get(key)
        if found is None and self.folder is not None:
            found = self._load(self.folder / f"{key}.json", key)
            if found is not None:
                self._memory[key] = found
        return found

    def put(self, key: str, computed: Computed) -> None:
        self._memory[key] = computed
        if self.folder is None or self.write_error is not None:
            return
        document = {
            "format": FORMAT,
            "key": key,
            "clustering": encode(computed.clustering),
            "figure": base64.b64encode(computed.figure).decode("ascii"),
        }
        try:
            write_atomic(self.folder / f"{key}.json", json.dumps(document).encode())
        except OSError as error:
            self.write_error = f"{self.folder}: {error.strerror or error}"
            self._unreported = True

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
    def _load(path: Path, key: str) -> Computed | None:
        try:
            document = json.loads(path.read_bytes())
            if document["format"] != FORMAT or document["key"] != key:
                return None
            return Computed(
                clustering=decode(Clustering, document["clustering"]),
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


def encode(value: object) -> Any:
    """Plain data (dataclasses, tuples, mappings, scalars) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot cache a value of type {type(value).__name__}")


def decode(kind: Any, data: Any) -> Any:
    """The inverse of `encode`, guided by type hints; ValueError when `data` does not fit."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        names = {f.name for f in dataclasses.fields(kind)}
        if not isinstance(data, dict) or set(data) != names:
            raise ValueError(f"expected the fields of {kind.__name__}")
        hints = typing.get_type_hints(kind)
        return kind(**{name: decode(hints[name], data[name]) for name in names})
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        (other,) = (a for a in args if a is not type(None))
        return decode(other, data)
    if origin is tuple:
        if not isinstance(data, list):
            raise ValueError("expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in data)
        if len(args) != len(data):
            raise ValueError(f"expected {len(args)} items")
        return tuple(decode(a, item) for a, item in zip(args, data, strict=True))
    if origin in (dict, Mapping):
        if not isinstance(data, dict):
            raise ValueError("expected a mapping")
        return {k: decode(args[1], v) for k, v in data.items()}
    # Scalars are kept as JSON gave them: an int stays an int even where a float is allowed,
    # so a page renders the same from the cache as when freshly computed.
    allowed = (int, float) if kind is float else (kind,)
    if kind in (str, int, float, bool) and isinstance(data, allowed):
        if kind is int and isinstance(data, bool):
            raise ValueError("expected an integer")
        return data
    raise ValueError(f"expected {kind}")


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
