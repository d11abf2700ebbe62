"""Whole temporary sites built with the real MkDocs, as a user builds them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import THREE_SOUNDS, Site, blob_tracks, playlist_yaml


def _library(site: Site) -> None:
    tracks = blob_tracks(60, THREE_SOUNDS, artists=["The Hosts"], label="EMI, Interscope Records",
                         album="Album One")
    site.write("data/road-trip.yml", playlist_yaml("Road Trip", tracks))
    site.write("docs/artists/the_hosts/overview.md", "# The Hosts\n")
    site.write("docs/labels/emi/overview.md", "# EMI\n")
    site.write("docs/labels/interscope_records/overview.md", "# Interscope Records\n")


def test_strict_build_makes_the_page_and_figure(site: Site) -> None:
    _library(site)
    site.configure()
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    page = result.html("playlists/road_trip/clusters/index.html")
    assert "<h1 id=\"clusters-in-road-trip\">Clusters in Road Trip</h1>" in page
    assert (result.site_dir / "playlists/road_trip/clusters.svg").read_bytes().startswith(b"<?xml")
    # Each heading starts with its cluster's marker (an inline SVG), then the plain text.
    headings = re.findall(r"<h2 id=\"cluster-\d\"><svg [^>]*>.*?</svg> Cluster #(\d)", page)
    assert headings == ["1", "2", "3"]
    assert page.count("20 tracks") >= 3
    assert any("1 playlist page(s), 60 tracks, 3 clusters" in m for m in result.messages())


@pytest.mark.parametrize("directory_urls", [True, False])
def test_artist_and_label_links_land_on_their_pages(site: Site, directory_urls: bool) -> None:
    _library(site)
    site.configure(use_directory_urls=directory_urls)
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    page_path = "playlists/road_trip/clusters/index.html" if directory_urls else \
        "playlists/road_trip/clusters.html"
    page = result.html(page_path)
    tables = "".join(re.findall(r"<table>.*?</table>", page, re.S))
    hrefs = set(re.findall(r'<a href="([^"#]+)"', tables))
    internal = {h for h in hrefs if not h.startswith("https://")}
    assert len(internal) >= 3
    base = (result.site_dir / page_path).parent
    for href in internal:
        target = base / href
        target = target / "index.html" if href.endswith("/") else target
        assert target.is_file(), href
        assert target.suffix == ".html"
    # The two labels of "EMI, Interscope Records" are linked one by one.
    assert "EMI</a>, <a" in page and ">Interscope Records</a>" in page
    assert ">The Hosts</a>" in page


def test_docs_dir_is_not_written(site: Site) -> None:
    _library(site)
    site.configure()

    def snapshot() -> dict[str, str]:
        return {str(p.relative_to(site.root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.root.rglob("*"))
                if p.is_file() and "site" not in p.parts and ".cache" not in p.parts}

    before = snapshot()
    assert site.build(strict=True).error is None
    assert snapshot() == before


def test_same_input_gives_the_same_bytes(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs itself stamps the build date into index.html unless SOURCE_DATE_EPOCH is set.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _library(site)
    for i, size in enumerate((200, 12, 90, 30, 150)):
        site.write(f"data/p{i}.yml", playlist_yaml(f"P{i}", blob_tracks(
            size, THREE_SOUNDS, seed=i, prefix=f"P{i}-", artists=["The Hosts", f"Band {i % 2}"])))
    # Computed in MkDocs' own process, then by three worker processes (in whatever order they
    # finish), with the pages that need every clustering: the same bytes.
    options = {"cache": False, "index": True, "artist_pages": True, "appears_in": True}
    site.configure(plugin={**options, "workers": 0})
    first = site.build(strict=True, site_dir=tmp_path / "one")
    site.configure(plugin={**options, "workers": 3})
    second = site.build(strict=True, site_dir=tmp_path / "two")

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    one, two = digest(first.site_dir), digest(second.site_dir)
    assert one == two
    assert "playlists/road_trip/clusters.svg" in one
    assert "artists/band_1/overview/index.html" in one  # (a generated artist page)
    assert "Appears in clusters" in first.html("artists/the_hosts/overview/index.html")


def test_a_users_own_page_wins_with_a_warning(site: Site) -> None:
    _library(site)
    own = site.write("docs/playlists/road_trip/clusters.md", "# My own notes\n")
    site.configure()
    result = site.build()
    assert result.warnings == [
        "clusters: 'playlists/road_trip/clusters.md' is generated from the playlist data, but "
        f"the docs already have 'playlists/road_trip/clusters.md' ({own}); keeping that file "
        "and leaving the generated one out"
    ]
    assert "My own notes" in result.html("playlists/road_trip/clusters/index.html")
    assert own.read_text() == "# My own notes\n"
    assert site.build(strict=True).error is not None


def test_pages_join_the_navigation_under_playlists(site: Site) -> None:
    _library(site)
    site.configure()
    result = site.build(strict=True)
    home = result.html("index.html")
    menu = home.split(">Playlists</a>", 1)[1].split("</ul>", 1)[0]
    assert "Clusters in Road Trip" in menu


def test_with_an_explicit_nav_pages_are_built_quietly(site: Site) -> None:
    _library(site)
    site.configure(nav=[{"Home": "index.md"}])
    result = site.build(strict=True)
    assert result.error is None
    assert (result.site_dir / "playlists/road_trip/clusters/index.html").is_file()
    assert "Clusters in Road Trip" not in result.html("index.html")
    noise = [m for m in result.messages() if "not included in the \"nav\"" in m]
    assert noise == ["The following pages exist in the docs directory, but are not included in "
                     "the \"nav\" configuration:\n  - artists/the_hosts/overview.md\n"
                     "  - labels/emi/overview.md\n  - labels/interscope_records/overview.md"]


def test_small_playlists_get_no_page_and_an_info_line(site: Site) -> None:
    site.write("data/tiny.yml", playlist_yaml("Tiny", blob_tracks(4, THREE_SOUNDS)))
    site.write("data/empty.yml", playlist_yaml("Empty", []))
    site.configure()
    result = site.build(strict=True)
    assert result.error is None
    assert "clusters: data/tiny.yml: playlist 'Tiny': 4 usable track(s), fewer than " \
        "min_tracks (10); no page" in result.messages()
    assert "clusters: data/empty.yml: playlist 'Empty': 0 usable track(s), fewer than " \
        "min_tracks (10); no page" in result.messages()
    assert not (result.site_dir / "playlists").exists()


def test_the_example_site_builds_strict(tmp_path: Path) -> None:
    from conftest import ROOT
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    build(config)
    pages = sorted(p.parent.parent.name for p in (tmp_path / "site/playlists").glob("*/clusters/index.html"))
    assert len(pages) == 6
    road_trip = (tmp_path / "site/playlists/road_trip/clusters/index.html").read_text()
    assert "Clusters in Road Trip" in road_trip
    assert 'href="../../../labels/' in road_trip and 'href="../../../artists/' in road_trip


def test_two_playlists_with_one_name_both_get_a_page(site: Site) -> None:
    site.write("data/a/mix.yml", playlist_yaml("Mix", blob_tracks(30, THREE_SOUNDS, prefix="A")))
    site.write("data/b/mix.yml", playlist_yaml("Mix", blob_tracks(30, THREE_SOUNDS, prefix="B")))
    site.configure()
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    assert "clusters: data/b/mix.yml: two playlists are named 'Mix'; this one is shown as " \
        "'Mix (2)'" in result.messages()
    from html import unescape

    assert "Clusters in Mix (2)" in unescape(result.html("playlists/mix_(2)/clusters/index.html"))
    assert "Clusters in Mix<" in unescape(result.html("playlists/mix/clusters/index.html"))


def test_two_generated_pages_at_one_path_warn(site: Site) -> None:
    site.write("data/library.yml", playlist_yaml("Library", blob_tracks(30, THREE_SOUNDS)))
    site.configure(plugin={"page": "{slug}/clusters.md", "library": True})
    result = site.build()
    assert result.warnings == [
        "clusters: library/clusters.md: the clusters of 'your library' would be generated at the "
        "same path as the clusters of 'Library'; left out (give the page templates different "
        "paths)"
    ]
