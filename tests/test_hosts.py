"""Other hosts than MkDocs itself: ProperDocs, the maintained drop-in fork."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                    reason="ProperDocs is not installed (pip install -e '.[test]')")
def test_the_example_site_builds_with_properdocs_in_strict_mode(tmp_path: Path) -> None:
    # Built in place, like the example-site test of test_site.py: the two share the
    # (git-ignored) cache in .cache/plugin/clusters, so the second of them clusters nothing.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    pages = sorted(p.parent.name for p in (tmp_path / "site/playlists").glob("*/clusters.svg"))
    assert len(pages) == len(list((ROOT / "example_site/data").iterdir()))
    assert "road_trip" in pages
    page = (tmp_path / "site/playlists/road_trip/clusters/index.html").read_text()
    assert "Clusters in Road Trip" in page
