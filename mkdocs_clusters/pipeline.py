"""The stages composed: data folder → clusterings and figures → pages (no MkDocs here).

`survey` reads the data and finds the playlists to cluster (cheap); `analyse` clusters them and
draws their figures (the expensive part, cached per playlist); `render` does what depends on
the site too (which artist and label pages exist).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .cache import Computed, ResultCache, cache_key
from .features import FeatureTable, build_features
from .links import PageIndex, page_path, slugify, unique_slugs
from .model import Clustering, Problem
from .render import PageContext, render_page
from .sources import read_library

#: Where the pages' stylesheet goes in the site (linked from every page via `extra_css`).
STYLESHEET = "assets/mkdocs-clusters.css"

#: Called after each playlist with (playlists done, playlists to do).
Progress = Callable[[int, int], None]


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

    def clustering_settings(self) -> dict[str, object]:
        """The options a playlist's clustering and figure depend on (part of the cache key)."""
        return {
            "features": list(self.features),
            "max_clusters": self.max_clusters,
            "clusters": self.clusters,
            "random_state": self.random_state,
        }


@dataclass(frozen=True)
class Survey:
    """The data as read: the playlists to cluster and every problem found on the way."""

    tables: tuple[FeatureTable, ...]
    """The playlists with enough usable tracks, by name."""
    slugs: Mapping[str, str]
    playlists: int
    """How many playlists were read (with or without a page)."""
    tracks: int
    """How many tracks they hold."""
    problems: tuple[Problem, ...]


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
    cache_hits: int = 0
    """Playlists whose clustering and figure came from the cache."""
    computed: int = 0
    """Playlists clustered and drawn in this run."""


def survey(options: Options) -> Survey:
    """Read the data folder and pick the playlists with enough usable tracks (no clustering)."""
    library = read_library(options.data_dir, options.project_dir, options.format)
    problems = list(library.problems)
    slugs = unique_slugs(p.name for p in library.playlists)

    tables = []
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
        tables.append(table)
    for name, slug in sorted(slugs.items()):
        base = slugify(name)
        if slug != base:
            owner = next(n for n, s in sorted(slugs.items()) if s == base)
            problems.append(Problem(options.data_dir.name, f"playlists {owner!r} and {name!r} "
                                    f"share the slug {base!r}: {owner!r} keeps it, {name!r} "
                                    f"gets {slug!r}", level="info"))
    return Survey(
        tables=tuple(tables),
        slugs=slugs,
        playlists=len(library.playlists),
        tracks=sum(len(p.tracks) for p in library.playlists),
        problems=tuple(problems),
    )


def analyse(
    options: Options, cache: ResultCache | None = None, progress: Progress | None = None
) -> Analysis:
    """Cluster and draw every playlist with enough usable tracks, taking what it can from
    `cache` and adding what it computes to it."""
    found = survey(options)
    settings = options.clustering_settings()
    results = []
    keys = []
    hits = 0
    for done, table in enumerate(found.tables, start=1):
        key = cache_key(table.playlist, settings) if cache is not None else None
        computed = cache.get(key) if cache is not None and key is not None else None
        if computed is None:
            computed = _compute(table, options)
            if cache is not None and key is not None:
                cache.put(key, computed)
        else:
            hits += 1
        if key is not None:
            keys.append(key)
        page_uri = page_path(options.page, found.slugs[table.playlist.name])
        results.append(
            PlaylistResult(
                clustering=computed.clustering,
                page_uri=page_uri,
                figure_uri=page_uri.rsplit(".", 1)[0] + ".svg",
                figure=computed.figure,
            )
        )
        if progress is not None:
            progress(done, len(found.tables))
    if cache is not None:
        cache.retain(keys)
    return Analysis(
        results=tuple(results),
        problems=found.problems,
        cache_hits=hits,
        computed=len(results) - hits,
    )


def _compute(table: FeatureTable, options: Options) -> Computed:
    # Imported here, not at the top: scikit-learn and matplotlib take seconds to import, and a
    # build whose every playlist comes from the cache needs neither.
    from .cluster import fit_clusters
    from .figures import draw_scatter

    clustering = fit_clusters(
        table,
        max_clusters=options.max_clusters,
        fixed=options.clusters,
        random_state=options.random_state,
    )
    return Computed(clustering=clustering, figure=draw_scatter(clustering))


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


def site_files(
    analysis: Analysis,
    pages: Mapping[str, Mapping[str, object]],
    *,
    artist_page: str,
    label_page: str,
    representatives: int,
) -> dict[str, str | bytes]:
    """Every generated file, by its path in the docs: each page's Markdown and its figure, and
    the pages' stylesheet (wide tables, figure colours, heading markers)."""
    files: dict[str, str | bytes] = dict(
        render(analysis, pages, artist_page=artist_page, label_page=label_page,
               representatives=representatives)
    )
    files.update({result.figure_uri: result.figure for result in analysis.results})
    if analysis.results:
        files[STYLESHEET] = stylesheet()
    return files


def stylesheet() -> str:
    return resources.files(__package__).joinpath("clusters.css").read_text(encoding="utf-8")


def summary(analysis: Analysis, seconds: float, cached: bool) -> str:
    """The one line a build logs: pages, tracks, clusters, time and what the cache saved."""
    tracks = sum(len(r.clustering.tracks) for r in analysis.results)
    clusters = sum(len(r.clustering.clusters) for r in analysis.results)
    cache = (f"cache: {analysis.cache_hits} hit(s), {analysis.computed} computed" if cached
             else "cache off")
    return (f"{len(analysis.results)} playlist page(s), {tracks} tracks, {clusters} clusters "
            f"in {seconds:.2f} s ({cache})")


def log_problems(problems: tuple[Problem, ...], log: logging.Logger) -> None:
    for problem in problems:
        if problem.level == "info":
            log.info(str(problem))
        else:
            log.warning(str(problem))
