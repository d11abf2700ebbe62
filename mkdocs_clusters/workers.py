"""Worker processes that cluster and draw pages while MkDocs renders the site.

A build spends most of its time in MkDocs itself (Markdown, templates, the search index), on
one core. The pages' clusterings and figures are computed meanwhile by worker processes on the
other cores; the build waits for one only when it reads that page (see `pipeline.Outcome`).

Workers are forked from a `forkserver` that has already imported the clustering and drawing
modules (numpy, matplotlib): the imports are paid once per build, or once per `mkdocs serve`
session, in the background. The forkserver is single-threaded, so forking it is safe even while
`mkdocs serve` runs its threads; forking MkDocs itself would not be. Every result is computed by
the same deterministic code wherever it runs (seeded, one thread), so the site's bytes do not
depend on how many workers there are.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

#: Imported by the forkserver before it forks workers (the slow imports, paid once).
_PRELOAD = ["mkdocs_clusters.cluster", "mkdocs_clusters.figures"]


def available_cpus() -> int:
    """The CPUs this process may run on (fewer than `os.cpu_count()` in a restricted container)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def start_pool(workers: int | None = None) -> Executor | None:
    """A pool of `workers` processes (None: one per available CPU but the one MkDocs renders
    on, at least one), or None for `workers=0` (the option that asks for no workers) or when
    processes cannot be started here; the caller then computes in its own process.

    No process starts until `warm` or the first job: a build served entirely from the cache
    starts none and imports neither numpy's clustering code nor matplotlib.
    """
    if workers == 0:
        return None
    if workers is None:
        workers = max(1, available_cpus() - 1)
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform (Windows): spawn pays imports per worker
        context = multiprocessing.get_context("spawn")
    else:
        context.set_forkserver_preload(_PRELOAD)
    try:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=_follow_parent)
    except (OSError, NotImplementedError):  # no semaphores, e.g. some sandboxes
        return None


def submit(pool: Executor | None, function: Callable[..., T], *args: Any) -> Future[T] | None:
    """`function(*args)` started in a worker, or None without a pool or when its workers have
    died (the caller then computes it itself)."""
    if pool is None:
        return None
    try:
        return pool.submit(function, *args)
    except (BrokenExecutor, RuntimeError):  # (RuntimeError: the pool was shut down)
        return None


def warm(pool: Executor | None) -> None:
    """Start the workers now (their imports take a second), ahead of the first job."""
    submit(pool, _nothing)


def stop_pool(pool: Executor | None) -> None:
    """Stop the pool without waiting for work nobody needs any more (an aborted build)."""
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _nothing() -> None:
    pass


def _follow_parent() -> None:
    """Make a worker end with the MkDocs process that started it, quietly.

    Ctrl+C reaches every process of the terminal's group: a worker waiting for a job printed
    a KeyboardInterrupt traceback (one per worker) under MkDocs' "Shutting down...". And a
    MkDocs killed without running `on_shutdown` (SIGTERM from an editor, `docker stop`,
    `timeout`) left the workers, and the forkserver they hold open, running for good: a
    worker waits on a queue it holds both ends of. Its parent's sentinel is a pipe that
    closes when MkDocs ends, however it ends.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)
