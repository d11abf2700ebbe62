"""The per-playlist cache: what a rebuild recomputes, and that a cache never changes the site."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, THREE_SOUNDS, BuildResult, Site, blob_tracks, playlist_yaml
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_clusters import cache as cache_module
from mkdocs_clusters import pipeline, plugin
from mkdocs_clusters.cache import ResultCache, cache_key
from mkdocs_clusters.model import UNIT_FEATURES

#: One KMeans per playlist instead of a search over k: keeps these tests fast.
FAST = {"clusters": 2}
SUMMARY = re.compile(
    r"^clusters: (\d+) playlist page\(s\), (\d+) tracks, (\d+) clusters in \d+\.\d\d s "
    r"\(cache: (\d+) hit\(s\), (\d+) computed\)$"
)


def new_process() -> None:
    """Forget the plugin instance, as a new `mkdocs build` process would.

    MkDocs keeps one instance of a plugin with `on_startup` for the whole process (that is how
    `mkdocs serve` keeps the in-memory cache across rebuilds), also across these tests.
    """
    dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()


@pytest.fixture(autouse=True)
def _fresh_plugin() -> None:
    new_process()


def write_playlists(site: Site, count: int, first: int = 0) -> None:
    for i in range(first, first + count):
        tracks = blob_tracks(16, THREE_SOUNDS[:2], seed=i, prefix=f"P{i}-")
        site.write(f"data/p{i}.yml", playlist_yaml(f"Playlist {i}", tracks))


def cache_counts(result: BuildResult) -> tuple[int, int]:
    """(hits, computed) from the build's one summary line."""
    lines = [m for m in result.messages() if SUMMARY.match(m)]
    assert len(lines) == 1, result.messages()
    hits, computed = SUMMARY.match(lines[0]).groups()[3:]  # type: ignore[union-attr]
    return int(hits), int(computed)


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_second_build_takes_every_playlist_from_the_disk_cache_and_gives_the_same_bytes(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    write_playlists(site, 3)
    site.configure(plugin=FAST)
    first = site.build(strict=True, site_dir=tmp_path / "one")
    assert first.error is None, first.warnings
    (summary,) = [match for m in first.messages() if (match := SUMMARY.match(m))]
    assert summary.groups() == ("3", "48", "6", "0", "3")
    assert len(list((site.root / ".cache/plugin/clusters").glob("*.json"))) == 3

    new_process()  # the hits must come from the disk
    second = site.build(strict=True, site_dir=tmp_path / "two")
    assert cache_counts(second) == (3, 0)
    assert digest(first.site_dir) == digest(second.site_dir)


def test_editing_one_playlist_recomputes_only_that_one(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugin, "PROGRESS_INTERVAL", 0.0)
    write_playlists(site, 4)
    site.configure(plugin=FAST)
    first = site.build(strict=True)
    assert cache_counts(first) == (0, 4)
    # Long work shows progress (every PROGRESS_INTERVAL seconds; here: after every playlist).
    assert [m for m in first.messages() if "/4 clusters pages" in m] == [
        "clusters: 1/4 clusters pages", "clusters: 2/4 clusters pages",
        "clusters: 3/4 clusters pages"]
    before = first.html("playlists/playlist_2/clusters/index.html")

    tracks = blob_tracks(16, THREE_SOUNDS[1:], seed=99, prefix="New-")
    site.write("data/p2.yml", playlist_yaml("Playlist 2", tracks))
    second = site.build(strict=True)
    assert cache_counts(second) == (3, 1)
    after = second.html("playlists/playlist_2/clusters/index.html")
    # Data text is written as character references ("New&#45;000"): compare the text read.
    assert "New-000" in html.unescape(after) and "New-000" not in html.unescape(before)


def test_new_names_with_the_same_audio_features_are_shown_without_clustering_again(
    site: Site,
) -> None:
    write_playlists(site, 2)
    site.configure(plugin=FAST)
    first = site.build(strict=True)
    assert cache_counts(first) == (0, 2)
    # The same tracks (same features, same order) under new names: the clustering is the same,
    # the page is not.
    tracks = blob_tracks(16, THREE_SOUNDS[:2], seed=1, prefix="Renamed-")
    site.write("data/p1.yml", playlist_yaml("Playlist 1", tracks))
    second = site.build(strict=True)
    assert cache_counts(second) == (2, 0)
    page = html.unescape(second.html("playlists/playlist_1/clusters/index.html"))
    assert "Renamed-000" in page and "P1-000" not in page


def test_a_corrupt_half_written_or_foreign_cache_file_is_recomputed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    write_playlists(site, 3)
    site.configure(plugin=FAST)
    first = site.build(strict=True, site_dir=tmp_path / "one")
    folder = site.root / ".cache/plugin/clusters"
    half, garbage, foreign = sorted(folder.glob("*.json"))
    half.write_bytes(half.read_bytes()[: half.stat().st_size // 2])
    garbage.write_bytes(b"\x00\xff not json")
    document = json.loads(foreign.read_text())
    document["fit"]["criterion"] = 3  # valid JSON, wrong shape
    foreign.write_text(json.dumps(document))
    (folder / ".left-by-a-killed-build.json.tmp").write_bytes(b"{")

    new_process()
    second = site.build(strict=True, site_dir=tmp_path / "two")
    assert second.error is None, second.warnings
    assert cache_counts(second) == (0, 3)
    assert digest(first.site_dir) == digest(second.site_dir)
    # The broken files were replaced by good ones.
    new_process()
    assert cache_counts(site.build(strict=True, site_dir=tmp_path / "three")) == (3, 0)


@pytest.mark.parametrize(
    ("change", "recomputed"),
    [
        ({"random_state": 1}, True),
        ({"features": UNIT_FEATURES[:4]}, True),
        ({"min_tracks": 5}, False),
        ({"page": "clusters/{slug}.md"}, False),
    ],
)
def test_only_the_options_that_change_a_result_miss_the_cache(
    tmp_path: Path, change: dict, recomputed: bool
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "p.yml").write_text(playlist_yaml("P", blob_tracks(12, THREE_SOUNDS[:2])))
    options = pipeline.Options(data_dir=data, project_dir=tmp_path, features=UNIT_FEATURES,
                               clusters=2)
    cache = ResultCache(None)
    first = pipeline.analyse(options, cache)
    assert first.computed == 1
    first.wait()  # (results are computed when first needed, then cached)
    again = pipeline.analyse(replace(options, **change), cache)
    assert (again.computed, again.cache_hits) == ((1, 0) if recomputed else (0, 1))


def test_the_cache_key_covers_the_package_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p.yml").write_text(playlist_yaml("P", blob_tracks(3, THREE_SOUNDS)))
    options = pipeline.Options(data_dir=tmp_path, project_dir=tmp_path, features=UNIT_FEATURES)
    table = pipeline.survey(replace(options, min_tracks=1)).tables[0]
    settings = options.clustering_settings()
    key = cache_key(table, settings)
    assert cache_key(table, settings) == key
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert cache_key(table, settings) != key


def test_cache_false_writes_no_cache_and_says_so(site: Site) -> None:
    write_playlists(site, 1)
    site.configure(plugin={**FAST, "cache": False})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    assert any(m.endswith("(cache off)") for m in result.messages())
    assert not (site.root / ".cache").exists()


def test_cache_dir_moves_the_cache(site: Site) -> None:
    write_playlists(site, 1)
    site.configure(plugin={**FAST, "cache_dir": "build/clusters-cache"})
    assert site.build(strict=True).error is None
    assert len(list((site.root / "build/clusters-cache").glob("*.json"))) == 1
    assert not (site.root / ".cache").exists()


@pytest.mark.parametrize(
    ("cache_dir", "option"), [("docs/.cache", "docs_dir"), ("data", "data_dir")]
)
def test_a_cache_dir_inside_docs_or_data_is_refused(
    site: Site, cache_dir: str, option: str
) -> None:
    site.configure(plugin={"cache_dir": cache_dir})
    result = site.build()
    assert result.error is not None
    assert result.messages(logging.ERROR) == [
        f"Plugin 'clusters' option 'cache_dir': '{site.root / cache_dir}' is inside {option} "
        f"('{site.root / option.split('_')[0]}'); choose a folder outside it, such as the "
        "default '.cache/plugin/clusters', or set 'cache: false'"
    ]


def test_an_unwritable_cache_folder_only_costs_the_cache(site: Site) -> None:
    write_playlists(site, 1)
    site.write("blocker", "a file where the cache folder's parent should be")
    site.configure(plugin={**FAST, "cache_dir": "blocker/cache"})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    assert any(m.startswith(f"clusters: cannot write the cache ({site.root}/blocker/cache: ")
               and m.endswith("); results are kept in memory only") for m in result.messages())
    assert cache_counts(result) == (0, 1)


def test_a_build_from_the_cache_imports_neither_scikit_learn_nor_matplotlib(site: Site) -> None:
    write_playlists(site, 2)
    site.configure(plugin=FAST)
    assert site.build(strict=True).error is None
    script = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        f"build(load_config({str(site.root / 'mkdocs.yml')!r}))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'matplotlib'}))\n"
    )
    env = {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert "(cache: 2 hit(s), 0 computed)" in run.stderr


def test_the_data_folder_is_read_again_only_when_a_file_in_it_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "p.yml").write_text(playlist_yaml("P", blob_tracks(12, THREE_SOUNDS[:2])))
    options = pipeline.Options(data_dir=data, project_dir=tmp_path, features=UNIT_FEATURES)
    memo = pipeline.SurveyMemo()
    first = memo.survey(options)
    assert memo.survey(options) is first  # a rebuild after a page edit: nothing read
    assert memo.survey(replace(options, min_tracks=5)) is not first  # other options
    second = memo.survey(options)
    (data / "q.yml").write_text(playlist_yaml("Q", blob_tracks(12, THREE_SOUNDS[1:])))
    third = memo.survey(options)
    assert third is not second and [t.playlist.name for t in third.tables] == ["P", "Q"]
    (data / "q.yml").write_text(playlist_yaml("Q2", blob_tracks(12, THREE_SOUNDS[1:])))
    assert [t.playlist.name for t in memo.survey(options).tables] == ["P", "Q2"]
