"""The stages composed: data folder → clusterings and figures → pages (no MkDocs here).

`survey` reads the data and finds the playlists (and library, label and genre groups) to
cluster (cheap); `analyse` clusters them and draws their figures (the expensive part, cached
per page); `build_site` does what depends on the site too (which artist and label pages exist).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import groups
from . import pages as pages_
from .cache import Computed, ResultCache, cache_key
from .features import FeatureTable, build_features
from .links import PageIndex, label_fold, name_fold, page_path, slugify, unique_slugs
from .model import UNIT_FEATURES, Clustering, Playlist, Problem
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
    features: tuple[str, ...] = UNIT_FEATURES
    max_clusters: int = 10
    clusters: int | None = None
    min_tracks: int = 10
    random_state: int = 0
    page: str = "playlists/{slug}/clusters.md"
    library: bool = False
    """Also cluster all distinct tracks of all playlists together."""
    library_page: str = "library/clusters.md"
    labels: bool = False
    """Also cluster each record label's tracks (labels with at least `min_tracks`)."""
    label_clusters_page: str = "labels/{slug}/clusters.md"
    genres: bool = False
    """Also cluster each genre's tracks (genres with at least `min_tracks`)."""
    genre_page: str = "genres/{slug}/clusters.md"

    def clustering_settings(self) -> dict[str, object]:
        """The options a playlist's clustering and figure depend on (part of the cache key)."""
        return {
            "features": list(self.features),
            "max_clusters": self.max_clusters,
            "clusters": self.clusters,
            "random_state": self.random_state,
        }


@dataclass(frozen=True)
class Job:
    """One clusters page to make: a playlist's, the library's, a label's or a genre's."""

    kind: str
    """One of `groups.KINDS`."""
    table: FeatureTable
    page_uri: str


@dataclass(frozen=True)
class Survey:
    """The data as read: the playlists to cluster and every problem found on the way."""

    tables: tuple[FeatureTable, ...]
    """The playlists with enough usable tracks, by name."""
    playlists: int
    """How many playlists were read (with or without a page)."""
    tracks: int
    """How many tracks they hold."""
    problems: tuple[Problem, ...]
    jobs: tuple[Job, ...] = ()
    """Every clusters page to make: the playlists' (as in `tables`), then the groups'."""
    library: tuple[Playlist, ...] = ()
    """The playlists read, each name once, in sorted order (with or without a page)."""


@dataclass(frozen=True)
class PlaylistResult:
    clustering: Clustering
    page_uri: str
    figure_uri: str
    figure: bytes
    kind: str = "playlist"
    """One of `groups.KINDS`: whose clusters the page shows."""


@dataclass(frozen=True)
class Analysis:
    results: tuple[PlaylistResult, ...]
    problems: tuple[Problem, ...]
    cache_hits: int = 0
    """Pages whose clustering and figure came from the cache."""
    computed: int = 0
    """Pages clustered and drawn in this run."""
    library: tuple[Playlist, ...] = ()
    """Every playlist read (see `Survey.library`), for the generated artist and label pages."""


def survey(options: Options) -> Survey:
    """Read the data folder and pick the playlists with enough usable tracks (no clustering)."""
    library = read_library(options.data_dir, options.project_dir, options.format)
    problems = list(library.problems)
    playlists = _distinct_names(library.playlists, problems)
    slugs = unique_slugs(p.name for p in playlists)

    tables = []
    accepted = []
    for playlist in playlists:
        accepted.append(playlist)
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
    jobs = [Job("playlist", t, page_path(options.page, slugs[t.playlist.name])) for t in tables]
    jobs += _group_jobs(accepted, options)
    return Survey(
        tables=tuple(tables),
        playlists=len(library.playlists),
        tracks=sum(len(p.tracks) for p in library.playlists),
        problems=tuple(problems),
        jobs=tuple(jobs),
        library=tuple(accepted),
    )


def _distinct_names(playlists: Sequence[Playlist], problems: list[Problem]) -> list[Playlist]:
    """The playlists sorted by name, a repeated name numbered ("Road Trip (2)"): Spotify lets
    two playlists share a name, and each still gets its page."""
    taken = {p.name for p in playlists}
    seen: set[str] = set()
    named = []
    for playlist in sorted(playlists, key=lambda p: (p.name, p.source)):  # stable: file order
        if playlist.name in seen:
            n = 2
            while f"{playlist.name} ({n})" in taken:
                n += 1
            renamed = f"{playlist.name} ({n})"
            taken.add(renamed)
            problems.append(Problem(playlist.source, f"two playlists are named "
                                    f"{playlist.name!r}; this one is shown as {renamed!r}",
                                    level="info"))
            playlist = dataclasses.replace(playlist, name=renamed)
        seen.add(playlist.name)
        named.append(playlist)
    return named


def _group_jobs(playlists: list[Playlist], options: Options) -> list[Job]:
    """The library's, labels' and genres' pages that are switched on and have enough tracks.

    Their tracks' problems were reported with the playlists (and groups too small for a page
    are the normal case, hundreds of them in a real library): nothing is reported here.
    """
    if not (options.library or options.labels or options.genres):
        return []
    tracks = groups.distinct_tracks(playlists)
    source = options.data_dir.name
    wanted: list[tuple[str, str, list[Playlist]]] = []
    if options.library:
        wanted.append(("library", options.library_page,
                       [groups.library_group(tracks, source)]))
    if options.labels:
        wanted.append(("label", options.label_clusters_page, groups.label_groups(tracks, source)))
    if options.genres:
        wanted.append(("genre", options.genre_page, groups.genre_groups(tracks, source)))
    jobs = []
    for kind, template, found in wanted:
        big = []
        for group in found:
            table, _ = build_features(group, options.features)
            if len(table.tracks) >= options.min_tracks:
                big.append(table)
        slugs = unique_slugs(t.playlist.name for t in big)
        jobs += [Job(kind, t, page_path(template, slugs[t.playlist.name])) for t in big]
    return jobs


def analyse(
    options: Options, cache: ResultCache | None = None, progress: Progress | None = None
) -> Analysis:
    """Cluster and draw every playlist with enough usable tracks, taking what it can from
    `cache` and adding what it computes to it."""
    found = survey(options)
    results = []
    keys = []
    hits = 0
    for done, job in enumerate(found.jobs, start=1):
        table = job.table
        settings = options.clustering_settings()
        if job.kind != "playlist":
            # A group is clustered like a playlist today, but the library may get a method of
            # its own (see `_compute`): its results must never be mistaken for a playlist's.
            settings["group"] = job.kind
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
        results.append(
            PlaylistResult(
                clustering=computed.clustering,
                page_uri=job.page_uri,
                figure_uri=job.page_uri.rsplit(".", 1)[0] + ".svg",
                figure=computed.figure,
                kind=job.kind,
            )
        )
        if progress is not None:
            progress(done, len(found.jobs))
    if cache is not None:
        cache.retain(keys)
    return Analysis(
        results=tuple(results),
        problems=found.problems,
        cache_hits=hits,
        computed=len(results) - hits,
        library=found.library,
    )


def _compute(table: FeatureTable, options: Options) -> Computed:
    # Imported here, not at the top: scikit-learn and matplotlib take seconds to import, and a
    # build whose every playlist comes from the cache needs neither.
    from .cluster import fit_clusters
    from .figures import draw_scatter

    # The one place a page's clustering is chosen: every kind of page (the library's included,
    # which may hold a whole library's tracks) uses fit_clusters for now.
    clustering = fit_clusters(
        table,
        max_clusters=options.max_clusters,
        fixed=options.clusters,
        random_state=options.random_state,
    )
    return Computed(clustering=clustering, figure=draw_scatter(clustering))


@dataclass(frozen=True)
class Layout:
    """The plugin options that decide only what is shown and where (never recomputation)."""

    artist_page: str = "artists/{slug}/overview.md"
    label_page: str = "labels/{slug}/overview.md"
    representatives: int = 10
    index_page: str | None = None
    """Where the index of every clusters page goes; None for no index."""
    artist_pages: bool = False
    """Generate a page for each artist with `generated_min_tracks` tracks and no page."""
    label_pages: bool = False
    """The same for labels."""
    generated_min_tracks: int = 5
    appears_in: bool = False
    """Append an "Appears in clusters" section to the site's own artist and label pages."""


@dataclass(frozen=True)
class SiteContent:
    """What the plugin adds to a site."""

    files: dict[str, str | bytes]
    """Every generated file, by its path in the docs."""
    appendices: dict[str, str]
    """Markdown to append to the site's own pages (their "Appears in clusters"), by path."""
    problems: tuple[Problem, ...] = ()
    """Generated pages that two path templates put at one path (the first made is kept)."""


def build_site(
    analysis: Analysis, pages: Mapping[str, Mapping[str, object]], layout: Layout
) -> SiteContent:
    """Every page's Markdown and figure, the pages' stylesheet (wide tables, figure colours,
    heading markers), the index, generated artist and label pages, and the sections to append
    to the site's own artist and label pages; `pages` maps the site's pages to their front
    matter."""
    # Every track read (the playlists' pages hold only those with audio features).
    tracks = groups.distinct_tracks(
        [*analysis.library, *(r.clustering.playlist for r in analysis.results)]
    )
    names = ({a for t in tracks for a in t.artists}, {x for t in tracks for x in t.labels})
    own = PageIndex.build(pages, layout.artist_page, layout.label_page, names)

    # Generated artist and label pages, for names with enough tracks and no page of their own.
    subjects: dict[str, pages_.Subject] = {}
    for kind, wanted, template, has_page in (
        ("artist", layout.artist_pages, layout.artist_page, own.artist),
        ("label", layout.label_pages, layout.label_page, own.label),
    ):
        if not wanted:
            continue
        found = pages_.subjects(kind, tracks, layout.generated_min_tracks,
                                lambda name, find=has_page: find(name) is not None)
        slugs = unique_slugs(s.name for s in found)
        subjects.update({page_path(template, slugs[s.name]): s for s in found})
    index = PageIndex.build(
        {**{uri: {s.kind: s.name} for uri, s in subjects.items()}, **pages},
        layout.artist_page, layout.label_page, names,
    ) if subjects else own

    files = _Files()
    for result in analysis.results:
        if files.claim(result.page_uri, f"the clusters of {result.clustering.playlist.name!r}"):
            files[result.page_uri] = render_page(
                result.clustering,
                PageContext(result.page_uri, result.figure_uri, index, layout.representatives),
            )
            files[result.figure_uri] = result.figure
    if analysis.results:
        files[STYLESHEET] = stylesheet()

    clusters_pages = {
        r.page_uri: pages_.ClustersPage(r.kind, r.clustering.playlist.name, r.page_uri,
                                        r.figure_uri, len(r.clustering.tracks),
                                        len(r.clustering.clusters))
        for r in analysis.results
    }
    if (layout.index_page is not None and clusters_pages
            and files.claim(layout.index_page, "the index of clusters pages")):
        files[layout.index_page] = pages_.render_index(layout.index_page, clusters_pages.values())

    mentions = pages_.find_mentions((r.page_uri, r.clustering) for r in analysis.results) \
        if subjects or layout.appears_in else {}
    playlist_pages = {r.clustering.playlist.name: r.page_uri for r in analysis.results
                      if r.kind == "playlist"}
    for uri, subject in sorted(subjects.items()):
        if not files.claim(uri, f"the {subject.kind} page of {subject.name!r}"):
            continue
        fold = name_fold if subject.kind == "artist" else label_fold
        files[uri] = pages_.render_subject(
            uri, subject, library=analysis.library, playlist_pages=playlist_pages, links=index,
            mentions=mentions.get((subject.kind, fold(subject.name)), {}),
            clusters_pages=clusters_pages,
        )

    appendices: dict[str, str] = {}
    if layout.appears_in:
        served: dict[str, list[pages_.Mentions]] = {}
        for kind, by_key in (("artist", index.artists), ("label", index.labels)):
            for key, uri in by_key.items():
                if uri not in subjects and (kind, key) in mentions:
                    served.setdefault(uri, []).append(mentions[(kind, key)])
        for uri, found in sorted(served.items()):
            section = pages_.render_appears_in(uri, pages_.merge_mentions(found), clusters_pages)
            appendices[uri] = "\n".join(section)
    return SiteContent(files=dict(files), appendices=appendices, problems=tuple(files.problems))


class _Files(dict[str, str | bytes]):
    """Generated files by path; `claim` refuses a path another generated page holds."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self._owners: dict[str, str] = {}

    def claim(self, uri: str, what: str) -> bool:
        if uri in self._owners:
            self.problems.append(Problem(
                uri, f"{what} would be generated at the same path as {self._owners[uri]}; "
                "left out (give the page templates different paths)"))
            return False
        self._owners[uri] = what
        return True


def stylesheet() -> str:
    return resources.files(__package__).joinpath("clusters.css").read_text(encoding="utf-8")


def summary(analysis: Analysis, seconds: float, cached: bool) -> str:
    """The one line a build logs: pages, tracks, clusters, time and what the cache saved."""
    playlists = [r for r in analysis.results if r.kind == "playlist"]
    tracks = sum(len(r.clustering.tracks) for r in playlists)
    clusters = sum(len(r.clustering.clusters) for r in playlists)
    cache = (f"cache: {analysis.cache_hits} hit(s), {analysis.computed} computed" if cached
             else "cache off")
    others = {kind: sum(r.kind == kind for r in analysis.results) for kind in groups.KINDS[2:]}
    more = "".join(f", {n} {kind} page(s)" for kind, n in others.items() if n)
    if any(r.kind == "library" for r in analysis.results):
        more = ", a library page" + more
    return (f"{len(playlists)} playlist page(s), {tracks} tracks, {clusters} clusters{more} "
            f"in {seconds:.2f} s ({cache})")


def log_problems(problems: tuple[Problem, ...], log: logging.Logger) -> None:
    for problem in problems:
        if problem.level == "info":
            log.info(str(problem))
        else:
            log.warning(str(problem))
