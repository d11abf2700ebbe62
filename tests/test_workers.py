"""Worker processes: a page's result whatever happens to the worker computing it."""

from __future__ import annotations

import os

from mkdocs_clusters import workers
from mkdocs_clusters.cache import Computed
from mkdocs_clusters.pipeline import Outcome


def test_a_page_whose_worker_dies_is_computed_in_the_build_itself() -> None:
    pool = workers.start_pool(1)
    assert pool is not None
    try:
        dying = workers.submit(pool, os._exit, 1)  # what the out-of-memory killer does
        made: list[str] = []

        def compute() -> Computed:
            made.append("here")
            return Computed(clustering=None, figure=b"<svg/>")  # type: ignore[arg-type]

        outcome = Outcome(future=dying, compute=compute)
        assert outcome.get().figure == b"<svg/>" and made == ["here"]
        # The pool is broken now: later pages are not sent to it, but computed here too.
        assert workers.submit(pool, os.getpid) is None
    finally:
        workers.stop_pool(pool)
