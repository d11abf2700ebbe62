"""The stages composed: data folder → clusterings and figures → pages (no MkDocs here).

`survey` reads the data and finds the playlists (and library, label and genre groups) to
cluster (cheap); `analyse` takes each page's clustering and figure from the cache or sets it to
be computed (the expensive part), in worker processes when a pool is given, else when first
needed; `build_site` does what depends on the site too (which artist and label pages exist)
and makes each page's content only when MkDocs reads it, so the build renders other pages while
the clusterings are being computed.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import groups, workers
from . import pages as pages_
from .cache import Computed, ResultCache, cache_key
from .features import FeatureTable, build_features
from .links import PageIndex, label_fold, name_fold, page_path, slugify, unique_slugs
from .model import UNIT_FEATURES, Clustering, Playlist, Problem
from .render import PageContext, render_page
from .sources import data_stamp, read_library

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


class Outcome:
    """One page's clustering and figure: from the cache, being computed in a worker process,
    or computed here when first asked for. `get` waits for it (once; then it is kept)."""

    def __init__(
        self,
        *,
        ready: Computed | None = None,
        future: Future[Computed] | None = None,
        compute: Callable[[], Computed] | None = None,
        finish: Callable[[Computed], None] | None = None,
    ) -> None:
        self._value = ready
        self._future = future
        self._compute = compute
        self._finish = finish

    @property
    def done(self) -> bool:
        return self._value is not None

    def get(self) -> Computed:
        if self._value is None:
            try:
                value = self._future.result() if self._future is not None else None
            except BrokenExecutor:
                value = None  # a worker died (killed, out of memory): compute it here
            if value is None:
                assert self._compute is not None
                value = self._compute()
            self._value, self._future, self._compute = value, None, None
            if self._finish is not None:
                self._finish(value)
        return self._value


@dataclass(frozen=True)
class PlaylistResult:
    """A clusters page to make: a playlist's, the library's, a label's or a genre's."""

    job: Job
    outcome: Outcome
    key: str | None = None
    """The cache key of its clustering and figure (None without a cache)."""

    @property
    def kind(self) -> str:
        """One of `groups.KINDS`: whose clusters the page shows."""
        return self.job.kind

    @property
    def page_uri(self) -> str:
        return self.job.page_uri

    @property
    def figure_uri(self) -> str:
        return self.job.page_uri.rsplit(".", 1)[0] + ".svg"

    @property
    def table(self) -> FeatureTable:
        return self.job.table

    @property
    def clustering(self) -> Clustering:
        """The clustering (waits for it if it is being computed)."""
        return self.outcome.get().clustering

    @property
    def figure(self) -> bytes:
        return self.outcome.get().figure


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

    def wait(self) -> None:
        """Wait for every page's clustering and figure."""
        for result in self.results:
            result.outcome.get()


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


class SurveyMemo:
    """The last survey, kept across `mkdocs serve` rebuilds and taken again while no data file
    changed (same paths, sizes and modification times) and the options are the same: an edit
    of a page does not read the whole library again."""

    def __init__(self) -> None:
        self._last: tuple[object, Survey] | None = None

    def survey(self, options: Options) -> Survey:
        stamp = (options, data_stamp(options.data_dir))
        if self._last is None or self._last[0] != stamp:
            self._last = (stamp, survey(options))
        return self._last[1]


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
    options: Options,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    pool: Executor | None = None,
    memo: SurveyMemo | None = None,
) -> Analysis:
    """Every page to make, its clustering and figure taken from `cache` or set to be computed:
    by `pool`'s worker processes when given (the work starts now, in the order pages are
    listed), else when first needed. Computed results are added to the cache as they arrive.
    With `memo`, the data folder is read again only when a file in it changed."""
    found = memo.survey(options) if memo is not None else survey(options)
    results = []
    hits = 0
    misses = [0]
    total = len(found.jobs)

    def finish(key: str | None, computed: Computed) -> None:
        if cache is not None and key is not None:
            cache.put(key, computed)
        misses[0] += 1
        if progress is not None:
            progress(hits + misses[0], total)

    for job in found.jobs:
        settings = options.clustering_settings()
        if job.kind != "playlist":
            # A group is clustered like a playlist today, but the library may get a method of
            # its own (see `_compute`): its results must never be mistaken for a playlist's.
            settings["group"] = job.kind
        key = cache_key(job.table, settings) if cache is not None else None
        ready = cache.get(key, job.table) if cache is not None and key is not None else None
        if ready is not None:
            hits += 1
            outcome = Outcome(ready=ready)
        else:
            outcome = Outcome(
                future=workers.submit(pool, _compute, job.table, options),
                compute=functools.partial(_compute, job.table, options),
                finish=functools.partial(finish, key),
            )
        results.append(PlaylistResult(job, outcome, key))
    if cache is not None:
        cache.retain(r.key for r in results if r.key is not None)
    return Analysis(
        results=tuple(results),
        problems=found.problems,
        cache_hits=hits,
        computed=len(results) - hits,
        library=found.library,
    )


def _compute(table: FeatureTable, options: Options) -> Computed:
    # Imported here, not at the top: matplotlib takes half a second to import, and a build whose
    # every page comes from the cache needs neither module (worker processes import them ahead).
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


#: A generated file's content, or what makes it when it is first read.
Content = str | bytes | Callable[[], str | bytes]


@dataclass(frozen=True)
class SiteContent:
    """What the plugin adds to a site."""

    files: dict[str, Content]
    """Every generated file, by its path in the docs, in the order they are best read: each
    playlist's page and figure as the worker processes will finish them, then the pages that
    need every clustering (the index, generated artist and label pages)."""
    appendix: Callable[[str], str | None]
    """The Markdown to append to one of the site's own pages (its "Appears in clusters"
    section), by path; None for most pages. The first call for a page in `appended` waits for
    every clustering."""
    problems: tuple[Problem, ...] = ()
    """Generated pages that two path templates put at one path (the first made is kept)."""
    appended: frozenset[str] = frozenset()
    """The site's own pages that `appendix` may give a section to (best read last)."""

    def materialize(self) -> dict[str, str | bytes]:
        """Every file's content, made now."""
        return {uri: content() if callable(content) else content
                for uri, content in self.files.items()}


class PageMemo:
    """Rendered clusters pages, kept across `mkdocs serve` rebuilds: a page is rendered again
    only when its clustering (cache key), its tracks, its place or the site's artist and label
    pages changed. Rendering takes milliseconds a page: a second or more for a large library."""

    def __init__(self) -> None:
        self._pages: dict[tuple[str, str, str, int], tuple[Playlist, PageIndex, str]] = {}
        self._used: set[tuple[str, str, str, int]] = set()

    def render(self, result: PlaylistResult, context: PageContext) -> str:
        if result.key is None:
            return render_page(result.clustering, context)
        memo_key = (result.key, context.src_uri, context.figure_src_uri,
                    context.representatives)
        self._used.add(memo_key)
        found = self._pages.get(memo_key)
        playlist = result.table.playlist
        if found is not None and found[0] == playlist and found[1] == context.pages:
            return found[2]
        markdown = render_page(result.clustering, context)
        self._pages[memo_key] = (playlist, context.pages, markdown)
        return markdown

    def retain_used(self) -> None:
        """Forget the pages no build has rendered since the last call."""
        self._pages = {k: v for k, v in self._pages.items() if k in self._used}
        self._used = set()


def build_site(
    analysis: Analysis,
    pages: Mapping[str, Mapping[str, object]],
    layout: Layout,
    memo: PageMemo | None = None,
) -> SiteContent:
    """Every page's Markdown and figure, the pages' stylesheet (wide tables, figure colours,
    heading markers), the index, generated artist and label pages, and the sections to append
    to the site's own artist and label pages; `pages` maps the site's pages to their front
    matter.

    Which files exist is decided now, from the tables alone; what is in them, when they are
    read (see `SiteContent`), so nothing here waits for a clustering.
    """
    memo = memo or PageMemo()
    # Every track read (the playlists' pages hold only those with audio features).
    tracks = groups.distinct_tracks(
        [*analysis.library, *(r.table.playlist for r in analysis.results)]
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
        if files.claim(result.page_uri, f"the clusters of {result.table.playlist.name!r}"):
            context = PageContext(result.page_uri, result.figure_uri, index,
                                  layout.representatives)
            files[result.page_uri] = functools.partial(memo.render, result, context)
            files[result.figure_uri] = functools.partial(_figure, result)
    if analysis.results:
        files[STYLESHEET] = stylesheet()

    everything = _Everything(analysis, index, subjects)
    if (layout.index_page is not None and analysis.results
            and files.claim(layout.index_page, "the index of clusters pages")):
        files[layout.index_page] = functools.partial(everything.render_index, layout.index_page)

    playlist_pages = {r.table.playlist.name: r.page_uri for r in analysis.results
                      if r.kind == "playlist"}
    for uri, subject in sorted(subjects.items()):
        if files.claim(uri, f"the {subject.kind} page of {subject.name!r}"):
            files[uri] = functools.partial(everything.render_subject, uri, playlist_pages)

    # Only the site's own artist and label pages can get a section: known now, from the index,
    # so every other page is read without waiting for the clusterings.
    served = ({*index.artists.values(), *index.labels.values()} - subjects.keys()
              if layout.appears_in and analysis.results else set())

    def appendix(uri: str) -> str | None:
        return everything.appendices.get(uri) if uri in served else None

    return SiteContent(files=dict(files), appendix=appendix, problems=tuple(files.problems),
                       appended=frozenset(served))


def _figure(result: PlaylistResult) -> bytes:
    return result.figure


class _Everything:
    """What needs every page's clustering: made once, when first asked for."""

    def __init__(
        self, analysis: Analysis, index: PageIndex, subjects: Mapping[str, pages_.Subject]
    ) -> None:
        self._analysis = analysis
        self._index = index
        self._subjects = subjects

    @functools.cached_property
    def clusters_pages(self) -> dict[str, pages_.ClustersPage]:
        return {
            r.page_uri: pages_.ClustersPage(r.kind, r.table.playlist.name, r.page_uri,
                                            r.figure_uri, len(r.table.tracks),
                                            len(r.clustering.clusters))
            for r in self._analysis.results
        }

    @functools.cached_property
    def mentions(self) -> dict[tuple[str, str], dict[str, tuple[int, ...]]]:
        return pages_.find_mentions((r.page_uri, r.clustering) for r in self._analysis.results)

    def render_index(self, uri: str) -> str:
        return pages_.render_index(uri, self.clusters_pages.values())

    def render_subject(self, uri: str, playlist_pages: Mapping[str, str]) -> str:
        subject = self._subjects[uri]
        fold = name_fold if subject.kind == "artist" else label_fold
        return pages_.render_subject(
            uri, subject, library=self._analysis.library, playlist_pages=playlist_pages,
            links=self._index, mentions=self.mentions.get((subject.kind, fold(subject.name)), {}),
            clusters_pages=self.clusters_pages,
        )

    @functools.cached_property
    def appendices(self) -> dict[str, str]:
        """The "Appears in clusters" sections of the site's own artist and label pages."""
        served: dict[str, list[pages_.Mentions]] = {}
        for kind, by_key in (("artist", self._index.artists), ("label", self._index.labels)):
            for key, uri in by_key.items():
                if uri not in self._subjects and (kind, key) in self.mentions:
                    served.setdefault(uri, []).append(self.mentions[(kind, key)])
        return {
            uri: "\n".join(pages_.render_appears_in(uri, pages_.merge_mentions(found),
                                                    self.clusters_pages))
            for uri, found in sorted(served.items())
        }


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
    tracks = sum(len(r.table.tracks) for r in playlists)
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
