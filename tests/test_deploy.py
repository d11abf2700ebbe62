"""`mkdocs gh-deploy` to a real (local, bare) git remote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, THREE_SOUNDS, Site, blob_tracks, playlist_yaml

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, timeout=60).stdout.strip()


def test_gh_deploy_pushes_the_cluster_pages_and_a_second_deploy_changes_nothing(
    site: Site, tmp_path: Path
) -> None:
    tracks = blob_tracks(24, THREE_SOUNDS[:2], artists=["The Hosts"])
    site.write("data/road-trip.yml", playlist_yaml("Road Trip", tracks))
    site.write("docs/artists/the_hosts/overview.md", "# The Hosts\n")
    site.write(".gitignore", "site/\n.cache/\n")
    site.configure(plugin={"clusters": 2})
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    git("init", "-q", cwd=site.root)
    git("config", "user.name", "Test", cwd=site.root)
    git("config", "user.email", "test@example.invalid", cwd=site.root)
    git("remote", "add", "origin", str(remote), cwd=site.root)
    git("add", "-A", cwd=site.root)
    git("commit", "-q", "-m", "site", cwd=site.root)

    # MkDocs stamps the build time into sitemap.xml(.gz); SOURCE_DATE_EPOCH fixes it, as a
    # reproducible CI build would. The plugin's own output needs nothing: it is deterministic.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": "1700000000"}

    def deploy() -> str:
        run = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--strict"],
                             cwd=site.root, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return git("rev-parse", "gh-pages", cwd=remote)

    first = deploy()
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert "playlists/road_trip/clusters/index.html" in files
    assert "playlists/road_trip/clusters.svg" in files
    assert not [f for f in files if f.startswith((".cache/", "data/"))]
    page = git("show", "gh-pages:playlists/road_trip/clusters/index.html", cwd=remote)
    assert "Clusters in Road Trip" in page and ">The Hosts</a>" in page
    assert git("show", "gh-pages:playlists/road_trip/clusters.svg", cwd=remote).startswith("<?xml")

    second = deploy()
    assert second != first  # a new commit...
    assert git("rev-parse", f"{second}^", cwd=remote) == first
    # ...with the very same content.
    assert git("rev-parse", f"{second}^{{tree}}", cwd=remote) == \
        git("rev-parse", f"{first}^{{tree}}", cwd=remote)
