"""The MkDocs plugin: wires the build's events to the pipeline, nothing more."""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from . import pipeline
from .config import ClustersConfig
from .inject import STYLESHEET, add_generated, front_matter, stylesheet
from .log import log


class ClustersPlugin(BasePlugin[ClustersConfig]):
    def __init__(self) -> None:
        self._options: pipeline.Options | None = None
        # Kept across `mkdocs serve` rebuilds (the instance survives because the class has
        # `on_startup`): an unchanged data folder is not analysed again.
        self._analysis: tuple[str, pipeline.Analysis] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project_dir = Path(config.config_file_path or ".").resolve().parent
        self._options = pipeline.Options(
            data_dir=Path(self.config.data_dir).resolve(),
            project_dir=project_dir,
            format=self.config.format,
            features=tuple(self.config.features),
            max_clusters=self.config.max_clusters,
            clusters=self.config.clusters,
            min_tracks=self.config.min_tracks,
            random_state=self.config.random_state,
            page=self.config.page,
        )
        # "View all" is a <details> block holding a Markdown table: md_in_html (part of
        # Python-Markdown, inert for HTML without a `markdown` attribute) renders it.
        if "md_in_html" not in config.markdown_extensions:
            config.markdown_extensions.append("md_in_html")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self._options is not None
        start = time.perf_counter()
        fingerprint = pipeline.fingerprint(self._options)
        cached = self._analysis is not None and self._analysis[0] == fingerprint
        if self._analysis is None or not cached:
            self._analysis = (fingerprint, pipeline.analyse(self._options))
        analysis = self._analysis[1]
        pipeline.log_problems(analysis.problems, log)

        pages = pipeline.render(
            analysis,
            front_matter(files),
            artist_page=self.config.artist_page,
            label_page=self.config.label_page,
            representatives=self.config.representatives,
        )
        generated: dict[str, str | bytes] = dict(pages)
        generated.update({r.figure_uri: r.figure for r in analysis.results})
        generated[STYLESHEET] = stylesheet()
        add_generated(files, config, generated)

        tracks = sum(len(r.clustering.tracks) for r in analysis.results)
        clusters = sum(len(r.clustering.clusters) for r in analysis.results)
        log.info(
            f"{len(analysis.results)} playlist page(s), {tracks} tracks, {clusters} clusters "
            f"in {time.perf_counter() - start:.2f} s{' (unchanged data: cached)' if cached else ''}"
        )
        return files

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        # The data folder lies outside docs_dir: without this, editing a playlist would not
        # rebuild the site.
        if self._options is not None:
            server.watch(str(self._options.data_dir))
        return server
