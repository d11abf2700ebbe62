"""The MkDocs plugin: wires the build's events to the pipeline, nothing more."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import pipeline, workers
from .cache import ResultCache
from .config import ClustersConfig
from .inject import add_generated, front_matter, read_last
from .log import log

T = TypeVar("T")

#: Seconds between two progress lines ("clusters: 37/50 clusters pages") during long work.
PROGRESS_INTERVAL = 2.0


class ClustersPlugin(BasePlugin[ClustersConfig]):
    def __init__(self) -> None:
        self._options: pipeline.Options | None = None
        # Kept across `mkdocs serve` rebuilds (the instance survives because the class has
        # `on_startup`): only the playlists whose data changed are computed again.
        self._cache: ResultCache | None = None
        # The data as last read and the rendered clusters pages, also kept across rebuilds.
        self._survey = pipeline.SurveyMemo()
        self._memo = pipeline.PageMemo()
        # Worker processes for the clustering, from `on_startup` to `on_shutdown` (a whole
        # `mkdocs serve` session). A build run without those events computes in its own
        # process, each page when MkDocs reads it.
        self._pool: Executor | None = None
        # This build's pages, and what it adds to the site's own pages (see `on_page_markdown`).
        self._analysis: pipeline.Analysis | None = None
        self._site: pipeline.SiteContent | None = None
        # Seconds this build spent in the plugin (reading, waiting for workers, rendering).
        self._busy = 0.0

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # The plugin's options are validated by now (MkDocs loads the config first).
        self._pool = workers.start_pool(self.config.workers)

    def on_shutdown(self) -> None:
        workers.stop_pool(self._pool)
        self._pool = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project_dir = Path(config.config_file_path or ".").resolve().parent
        self._options = build_options(self.config, project_dir)
        self._analysis = self._site = None
        folder = cache_folder(self.config, Path(config.docs_dir))
        if folder is None:
            self._cache = None
        elif self._cache is None or self._cache.folder != folder:
            self._cache = ResultCache(folder)
        if self._cache is None or not self._cache.has_entries():
            # Nothing cached (a first build): start the workers' imports now, while MkDocs
            # reads the site. With a cache, they start at the first playlist it lacks.
            workers.warm(self._pool)
        # "View all" is a <details> block holding a Markdown table: md_in_html (part of
        # Python-Markdown, inert for HTML without a `markdown` attribute) renders it.
        if "md_in_html" not in config.markdown_extensions:
            config.markdown_extensions.append("md_in_html")
        if pipeline.STYLESHEET not in config.extra_css:
            config.extra_css.append(pipeline.STYLESHEET)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self._options is not None
        start = time.perf_counter()
        self._busy = 0.0
        # With worker processes this returns at once: pages and figures are made when MkDocs
        # reads them, while it renders the rest of the site.
        analysis = pipeline.analyse(self._options, self._cache, _Progress(), self._pool,
                                     self._survey)
        pipeline.log_problems(analysis.problems, log)
        site = pipeline.build_site(analysis, front_matter(files), build_layout(self.config),
                                   self._memo)
        pipeline.log_problems(site.problems, log)
        add_generated(files, config, {uri: self._timed(content) if callable(content) else content
                                      for uri, content in site.files.items()})
        # A page that gets an "Appears in clusters" section waits for every clustering when
        # MkDocs reads it: it is read last.
        read_last(files, sorted(site.appended))
        self._analysis, self._site = analysis, site
        self._busy += time.perf_counter() - start
        return files

    def _timed(self, make: Callable[[], T]) -> Callable[[], T]:
        """`make`, its time counted as the plugin's (the summary line reports it)."""

        def timed() -> T:
            start = time.perf_counter()
            try:
                return make()
            finally:
                self._busy += time.perf_counter() - start

        return timed

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Append the "Appears in clusters" section to the site's own artist and label pages
        (`appears_in: true`)."""
        # Appended to the Markdown as MkDocs read it, never written into docs_dir; the links
        # in it are relative to the page and checked by MkDocs like the page's own.
        if self._site is None:
            return markdown
        appendix = self._timed(functools.partial(self._site.appendix, page.file.src_uri))()
        if appendix is None:
            return markdown
        return markdown.rstrip("\n") + "\n\n" + appendix

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._analysis is None:
            return
        # Every result is in by now, but those of pages the site's own files replaced: wait
        # for them too (they are cached for the next build).
        analysis, self._analysis, self._site = self._analysis, None, None
        self._timed(analysis.wait)()
        self._memo.retain_used()
        if self._cache is not None and (error := self._cache.pop_write_error()):
            log.info(f"cannot write the cache ({error}); results are kept in memory only")
        log.info(pipeline.summary(analysis, self._busy, self._cache is not None))

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        # The data folder lies outside docs_dir: without this, editing a playlist would not
        # rebuild the site.
        if self._options is not None:
            server.watch(str(self._options.data_dir))
        return server


def build_options(plugin: ClustersConfig, project_dir: Path) -> pipeline.Options:
    """The pipeline's options from the plugin's validated options."""
    return pipeline.Options(
        data_dir=Path(plugin.data_dir).resolve(),
        project_dir=project_dir,
        format=plugin.format,
        features=tuple(plugin.features),
        max_clusters=plugin.max_clusters,
        clusters=plugin.clusters,
        min_tracks=plugin.min_tracks,
        random_state=plugin.random_state,
        page=plugin.page,
        library=plugin.library,
        library_page=plugin.library_page,
        labels=plugin.labels,
        label_clusters_page=plugin.label_clusters_page,
        genres=plugin.genres,
        genre_page=plugin.genre_page,
    )


def build_layout(plugin: ClustersConfig) -> pipeline.Layout:
    """Where the pages go and what else is shown, from the plugin's validated options."""
    return pipeline.Layout(
        artist_page=plugin.artist_page,
        label_page=plugin.label_page,
        representatives=plugin.representatives,
        index_page=plugin.index_page if plugin.index else None,
        artist_pages=plugin.artist_pages,
        label_pages=plugin.label_pages,
        generated_min_tracks=plugin.generated_min_tracks,
        appears_in=plugin.appears_in,
    )


def cache_folder(plugin: ClustersConfig, docs_dir: Path) -> Path | None:
    """The cache folder to use, or None when `cache: false`.

    Inside docs_dir the cache would be published, and there or inside data_dir every write
    would make `mkdocs serve` rebuild again, without end: both are refused.
    """
    if not plugin.cache:
        return None
    folder = Path(plugin.cache_dir).resolve()
    for option, other in (("docs_dir", docs_dir), ("data_dir", Path(plugin.data_dir or "."))):
        other = other.resolve()
        if folder == other or other in folder.parents:
            raise PluginError(
                f"Plugin 'clusters' option 'cache_dir': '{plugin.cache_dir}' is inside "
                f"{option} ('{other}'); choose a folder outside it, such as the default "
                "'.cache/plugin/clusters', or set 'cache: false'"
            )
    return folder


class _Progress:
    """Logs "37/50 clusters pages" every few seconds while pages are clustered."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self._last >= PROGRESS_INTERVAL:
            log.info(f"{done}/{total} clusters pages")
            self._last = now
