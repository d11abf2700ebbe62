"""Worker processes: a page's result whatever happens to the worker computing it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


#: A process that starts a pool, has a worker report its pid, then waits to be stopped (and on
#: Ctrl+C stops the pool as `on_shutdown` does).
_HOLDER = """
import os, sys, time
from mkdocs_clusters import workers
pool = workers.start_pool(2)
try:
    print(workers.submit(pool, os.getpid).result(), flush=True)
    time.sleep(60)
except KeyboardInterrupt:
    workers.stop_pool(pool)
"""


def _start_holder() -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    assert holder.stdout is not None
    return holder, int(holder.stdout.readline())


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # (a zombie has ended; only its exit code is left)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_workers_end_with_a_killed_mkdocs() -> None:
    holder, worker = _start_holder()
    assert _running(worker)
    holder.kill()  # no on_shutdown: what SIGTERM from an editor or `docker stop` does
    holder.wait()
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker)


def test_ctrl_c_stops_the_workers_without_a_traceback_each() -> None:
    holder, _ = _start_holder()
    os.killpg(holder.pid, signal.SIGINT)  # Ctrl+C: the terminal signals the whole group
    _, errors = holder.communicate(timeout=30)
    assert holder.returncode == 0 and "Traceback" not in errors, errors


def test_a_page_that_cannot_be_made_names_itself_not_an_encoding_error(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from mkdocs_clusters.inject import add_generated

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = "clusters"  # (MkDocs sets it while a plugin's event runs)
    files = Files([])

    def fails() -> str:
        raise ValueError("k-means did not converge")

    add_generated(files, config, {"playlists/p/clusters.md": fails})
    (file,) = files
    # MkDocs reports a ValueError from reading a page as "Encoding error reading file".
    with pytest.raises(RuntimeError, match=r"could not make 'playlists/p/clusters.md': "
                                           r"k-means did not converge"):
        _ = file.content_string
