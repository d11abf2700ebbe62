"""The stages composed: data folder → clusterings and figures → pages (no MkDocs here).

`analyse` does everything that depends only on the data and the options; `render` does what
depends on the site too (which artist and label pages exist).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .cluster import fit_clusters
from .features import build_features
from .figures import draw_scatter
from .links import PageIndex, page_path, slugify, unique_slugs
from .model import Clustering, Problem
from .render import PageContext, render_page
from .sources import read_library


@dataclass(frozen=True)
class Options:
    """The plugin options that decide what is computed (the rest only decide where it goes)."""

    data_dir: Path
    project_dir: Path
    format: str = "auto"
    features: tuple[str, ...] = ()
    max_clusters: int = 10
    clusters: int | None = None
    min_tracks: int = 10
    random_state: int = 0
    page: str = "playlists/{slug}/clusters.md"


@dataclass(frozen=True)
class PlaylistResult:
    clustering: Clustering
    page_uri: str
    figure_uri: str
    figure: bytes


@dataclass(frozen=True)
class Analysis:
    results: tuple[PlaylistResult, ...]
    problems: tuple[Problem, ...]


def analyse(options: Options) -> Analysis:
    """Read the data folder and cluster every playlist with enough usable tracks."""
    library = read_library(options.data_dir, options.project_dir, options.format)
    problems = list(library.problems)
    slugs = unique_slugs(p.name for p in library.playlists)

    results = []
    seen_names: dict[str, str] = {}
    for playlist in sorted(library.playlists, key=lambda p: (p.name, p.source)):
        if playlist.name in seen_names:
            problems.append(Problem(playlist.source, f"playlist {playlist.name!r} is also in "
                                    f"{seen_names[playlist.name]}; this one is left out"))
            continue
        seen_names[playlist.name] = playlist.source
        table, issues = build_features(playlist, options.features)
        problems += issues
        usable = len(table.tracks)
        if table.without_features:
            problems.append(Problem(playlist.source, f"playlist {playlist.name!r}: "
                                    f"{table.without_features} track(s) without audio features "
                                    "left out", level="info"))
        if table.duplicates:
            problems.append(Problem(playlist.source, f"playlist {playlist.name!r}: "
                                    f"{table.duplicates} repeated track(s) counted once",
                                    level="info"))
        if usable < options.min_tracks:
            problems.append(Problem(playlist.source, f"playlist {playlist.name!r}: {usable} "
                                    f"usable track(s), fewer than min_tracks "
                                    f"({options.min_tracks}); no page", level="info"))
            continue
        clustering = fit_clusters(
            table,
            max_clusters=options.max_clusters,
            fixed=options.clusters,
            random_state=options.random_state,
        )
        page_uri = page_path(options.page, slugs[playlist.name])
        results.append(
            PlaylistResult(
                clustering=clustering,
                page_uri=page_uri,
                figure_uri=page_uri.rsplit(".", 1)[0] + ".svg",
                figure=draw_scatter(clustering),
            )
        )
    for name, slug in sorted(slugs.items()):
        base = slugify(name)
        if slug != base:
            owner = next(n for n, s in sorted(slugs.items()) if s == base)
            problems.append(Problem(options.data_dir.name, f"playlists {owner!r} and {name!r} "
                                    f"share the slug {base!r}: {owner!r} keeps it, {name!r} "
                                    f"gets {slug!r}", level="info"))
    return Analysis(results=tuple(results), problems=tuple(problems))


def render(
    analysis: Analysis,
    pages: Mapping[str, Mapping[str, object]],
    *,
    artist_page: str,
    label_page: str,
    representatives: int,
) -> dict[str, str]:
    """The Markdown of every page, by its path in the site."""
    artists = {a for r in analysis.results for t in r.clustering.tracks for a in t.artists}
    labels = {x for r in analysis.results for t in r.clustering.tracks for x in t.labels}
    index = PageIndex.build(pages, artist_page, label_page, (artists, labels))
    return {
        result.page_uri: render_page(
            result.clustering,
            PageContext(result.page_uri, result.figure_uri, index, representatives),
        )
        for result in analysis.results
    }


def log_problems(problems: tuple[Problem, ...], log: logging.Logger) -> None:
    for problem in problems:
        if problem.level == "info":
            log.info(str(problem))
        else:
            log.warning(str(problem))


def fingerprint(options: Options) -> str:
    """A hash of the options and of every byte under the data folder."""
    digest = hashlib.sha256(repr(options).encode())
    digest.update(__version__.encode())
    for root, dirs, names in sorted(os.walk(options.data_dir)):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            digest.update(str(path.relative_to(options.data_dir)).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\1unreadable")
    return digest.hexdigest()
