"""Shared fixtures: real temporary MkDocs sites built in-process, and the shared real data."""

from __future__ import annotations

import logging
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, PluginError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FEATURES = ("danceability", "energy", "speechiness", "acousticness", "instrumentalness",
            "liveness", "valence")


@dataclass
class BuildResult:
    site_dir: Path
    records: list[logging.LogRecord] = field(default_factory=list)
    error: Exception | None = None

    def messages(self, level: int = logging.INFO) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Site:
    """A temporary project: mkdocs.yml, docs/ and data/ under one folder."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    def configure(self, plugin: dict | None = None, **settings: object) -> Path:
        config = {
            "site_name": "Test site",
            "plugins": ["search", {"clusters": {"data_dir": "data", **(plugin or {})}}],
            **settings,
        }
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return path

    def build(self, strict: bool = False, site_dir: Path | None = None) -> BuildResult:
        """Build the site in-process as `mkdocs build` does; collect every log record."""
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        previous = logger.level
        logger.setLevel(logging.DEBUG)
        result = BuildResult(site_dir=site_dir or self.root / "site")
        try:
            config = load_config(
                str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(result.site_dir)
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except (Abort, BuildError, PluginError) as error:
            result.error = error
        finally:
            logger.removeHandler(handler)
            logger.setLevel(previous)
        result.records = handler.records
        return result


@pytest.fixture
def site(tmp_path: Path) -> Site:
    s = Site(tmp_path / "project")
    s.write("docs/index.md", "# Home\n")
    s.data.mkdir(parents=True)
    return s


def playlist_yaml(name: str, tracks: list[dict]) -> str:
    return yaml.safe_dump({"playlist": name, "tracks": tracks}, allow_unicode=True, sort_keys=False)


def blob_tracks(
    n: int, centres: list[list[float]], seed: int = 0, prefix: str = "T", **fields: object
) -> list[dict]:
    """`n` native-format tracks drawn around the given centres in the 7-feature space."""
    import numpy as np

    rng = np.random.default_rng(seed)
    tracks = []
    for i in range(n):
        centre = np.array(centres[i % len(centres)], dtype=float)
        values = np.clip(centre + rng.normal(0, 0.03, len(FEATURES)), 0, 1)
        track = {"track": f"{prefix}{i:03d}", "spotify": _fake_id(prefix, i), **fields}
        track.update({f: round(float(v), 4) for f, v in zip(FEATURES, values, strict=True)})
        tracks.append(track)
    return tracks


def _fake_id(prefix: str, i: int) -> str:
    import hashlib

    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    digest = hashlib.sha256(f"{prefix}{i}".encode()).digest()
    return "".join(alphabet[b % 62] for b in digest[:22])


THREE_SOUNDS = [
    [0.8, 0.9, 0.05, 0.1, 0.0, 0.1, 0.8],  # dance pop
    [0.4, 0.2, 0.04, 0.9, 0.1, 0.1, 0.3],  # mellow acoustic
    [0.3, 0.4, 0.03, 0.5, 0.9, 0.1, 0.2],  # instrumental
]


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


BuildSite = Callable[..., BuildResult]
