"""A real `mkdocs serve` on a loopback port: data edits show up, bad saves never kill it."""

from __future__ import annotations

import hashlib
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from conftest import ROOT, THREE_SOUNDS, Site, blob_tracks, playlist_yaml

#: One KMeans per playlist instead of a search over k: keeps these tests fast.
FAST = {"clusters": 2}
COUNTS = re.compile(r"playlist page\(s\), .* \(cache: (\d+) hit\(s\), (\d+) computed\)")
#: Seconds to wait for the first build (imports scikit-learn on a possibly busy machine).
START_TIMEOUT = 120
#: Seconds to wait for a rebuild to show.
CHANGE_TIMEOUT = 60
#: No proxy from the environment for a loopback server.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        """(HTTP status, body); status 0 while nothing listens yet."""
        try:
            with _DIRECT.open(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except urllib.error.URLError:
            return 0, ""

    def builds(self) -> list[tuple[int, int]]:
        """(cache hits, playlists computed) of every build so far, from the summary lines."""
        return [(int(h), int(c)) for h, c in COUNTS.findall(self.log())]

    def wait(
        self, what: str, condition: Callable[[], bool], timeout: float = CHANGE_TIMEOUT
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server died:\n{self.log()}"
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; server log:\n{self.log()}")

    def page(self, slug: str) -> tuple[int, str]:
        """A playlist's page, without the live-reload snippet (its numbers change per build)."""
        status, body = self.get(f"playlists/{slug}/clusters/")
        return status, re.sub(r"livereload\(\d+, \d+\)", "livereload()", body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(site: Site) -> Iterator[Server]:
    """Run `mkdocs serve` on the site until the block ends; always stop it."""
    port = free_port()
    log_path = site.root.parent / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    # `--livereload` explicitly: with click > 8.2.1, MkDocs 1.6.1 may default to not watching
    # (mkdocs#4032), and then no edit would ever rebuild.
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload",
               "-a", f"127.0.0.1:{port}", "-f", str(site.root / "mkdocs.yml")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=site.root, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", process, log_path)
    try:
        server.wait("the first build", lambda: server.get("")[0] == 200, START_TIMEOUT)
        yield server
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends: MkDocs cleans up its temp dir
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def tracks(seed: int, prefix: str, n: int = 16) -> list[dict]:
    return blob_tracks(n, THREE_SOUNDS[:2], seed=seed, prefix=prefix)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_serve_follows_edits_additions_deletions_and_renames(site: Site) -> None:
    for i in range(3):
        site.write(f"data/p{i}.yml", playlist_yaml(f"Playlist {i}", tracks(i, f"P{i}-")))
    # No `playlist:` key: the file's name is the playlist's name, so renaming the file renames it.
    site.write("data/road-trip.yml", yaml.safe_dump({"tracks": tracks(7, "Road-")}))
    site.configure(plugin=FAST)
    docs_before = snapshot(site.docs)

    with serving(site) as server:
        assert server.builds() == [(0, 4)]
        assert "Watching paths for changes" in server.log() and "'data'" in server.log()
        status, before = server.page("playlist_1")
        assert status == 200 and "P1-000" in html.unescape(before)

        # Edit one playlist of four: the page changes; only that playlist is computed again.
        site.write("data/p1.yml", playlist_yaml("Playlist 1", tracks(11, "Edited-")))
        server.wait("the edited page", lambda: "Edited-000" in html.unescape(server.page("playlist_1")[1]))
        since_edit = server.builds()[1:]
        # (A save may be seen half-done and build once more: count over every build since.)
        assert sum(computed for _, computed in since_edit) == 1, server.log()
        assert (3, 1) in since_edit

        # A new file adds a page.
        site.write("data/p9.yml", playlist_yaml("Playlist 9", tracks(9, "P9-")))
        server.wait("the new page", lambda: server.page("playlist_9")[0] == 200)
        assert "P9-000" in html.unescape(server.page("playlist_9")[1])

        # Deleting a file removes its page.
        (site.data / "p0.yml").unlink()
        server.wait("the page to go", lambda: server.page("playlist_0")[0] == 404)

        # Renaming the playlist (here: its file) moves its page.
        (site.data / "road-trip.yml").rename(site.data / "night-drive.yml")
        server.wait("the moved page", lambda: server.page("night-drive")[0] == 200)
        assert server.page("road-trip")[0] == 404
        assert "Road-000" in html.unescape(server.page("night-drive")[1])

        # The plugin writes nothing the server watches: once quiet, it stays quiet.
        count = len(server.builds())
        time.sleep(1.5)
        assert len(server.builds()) == count
    assert snapshot(site.docs) == docs_before


def test_bad_and_half_written_saves_never_kill_the_server(site: Site) -> None:
    good = playlist_yaml("Playlist 1", tracks(1, "P1-"))
    site.write("data/p0.yml", playlist_yaml("Playlist 0", tracks(0, "P0-")))
    site.write("data/p1.yml", good)
    site.write("data/broken.csv", "track,energy\nA,fast\n")  # already bad at start
    # A file listed but gone when read (deleted mid-build; here a dangling link).
    os.symlink(site.root / "nowhere.yml", site.data / "gone.yml")
    site.configure(plugin=FAST)

    with serving(site) as server:
        assert ("WARNING -  clusters: data/broken.csv, row 2, column 'energy': expected a number"
                in server.log())
        assert ("WARNING -  clusters: data/gone.yml: cannot be read (No such file or directory); "
                "left out") in server.log()
        status, page = server.page("playlist_1")
        assert status == 200

        # A save caught half-way: the build reports it and carries on.
        site.write("data/p1.yml", good[: len(good) // 2] + "  - track: [unfinished")
        server.wait("a warning naming the file",
                    lambda: "WARNING -  clusters: data/p1.yml: not valid YML" in server.log())
        assert server.page("playlist_0")[0] == 200

        # An empty file (an editor truncating before it writes), then the good save.
        site.write("data/p1.yml", "")
        server.wait("a warning about the empty file",
                    lambda: "WARNING -  clusters: data/p1.yml: expected a mapping" in server.log())
        site.write("data/p1.yml", good)
        server.wait("the page to come back", lambda: server.page("playlist_1") == (200, page))
