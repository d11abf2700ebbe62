"""More than playlists: library, label and genre clusters pages, the index of every clusters
page, generated artist and label pages, and "Appears in clusters" sections — all in real
strict builds."""

from __future__ import annotations

import hashlib
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import THREE_SOUNDS, BuildResult, Site, blob_tracks, playlist_yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

#: Every new page switched on; a fixed number of clusters keeps the builds quick.
EVERYTHING = {
    "library": True, "labels": True, "genres": True, "index": True, "artist_pages": True,
    "label_pages": True, "appears_in": True, "min_tracks": 6, "clusters": 2,
}


def _library(site: Site) -> None:
    """Two playlists sharing three tracks; artists, labels and genres of every size.

    Road Trip (24): The Hosts, Kyra & The Comets and Nobody Yet by turns (8 each); EMI and
    Interscope Records by turns (12 each); rock then jazz (12 each). Late Night (12 own + 3 of
    Road Trip's): Solo Artist on all 12, Rare Guest on 2; "EMI Music" (a variant of EMI) on 8,
    Tiny Label on 4; jazz, and "Rare" on 2.
    """
    road = blob_tracks(24, THREE_SOUNDS, prefix="Road ", album="Highway Songs")
    for i, track in enumerate(road):
        track["artists"] = [("The Hosts", "Kyra & The Comets", "Nobody Yet")[i % 3]]
        track["label"] = ("EMI", "Interscope Records")[i % 2]
        track["genres"] = ["rock" if i < 12 else "jazz"]
    late = blob_tracks(12, THREE_SOUNDS, seed=1, prefix="Late ")
    for i, track in enumerate(late):
        track["artists"] = ["Solo Artist", "Rare Guest"] if i < 2 else ["Solo Artist"]
        track["label"] = "EMI Music" if i < 8 else "Tiny Label"
        track["genres"] = ["Jazz", "Rare"] if i < 2 else ["Jazz"]
    site.write("data/road-trip.yml", playlist_yaml("Road Trip", road))
    site.write("data/late-night.yml", playlist_yaml("Late Night", late + road[:3]))
    site.write("docs/artists/the_hosts/overview.md", "# The Hosts\n\nMy notes.\n")
    site.write("docs/artists/favourites/kyra.md",
               "---\nartist: Kyra & The Comets\n---\n\n# Kyra & The Comets\n")
    site.write("docs/labels/emi/overview.md", "# EMI\n")


def _page(result: BuildResult, src: str, directory_urls: bool = True) -> str:
    stem = src.removesuffix(".md")
    return result.html(f"{stem}/index.html" if directory_urls else f"{stem}.html")


def _article(html: str) -> str:
    """The page's content (MkDocs' theme), without the navigation."""
    return html.split('<div class="col-md-9" role="main">', 1)[1].split("<footer", 1)[0]


def _links(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the page's content."""
    return [(unescape(h), re.sub(r"<[^>]+>", "", unescape(t)).strip())
            for h, t in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', _article(html), re.S)]


def _resolve(result: BuildResult, page: Path, href: str) -> tuple[Path, str]:
    """The file a relative link of `page` lands on, and its fragment."""
    parts = urlsplit(href)
    target = page.parent / unquote(parts.path) if parts.path else page
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), parts.fragment


def _assert_every_link_lands(result: BuildResult) -> int:
    """Every relative link in every built page lands on a file, and on an element with the
    fragment's id; returns how many links were followed."""
    followed = 0
    for page in sorted(result.site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for href, _ in _links(html) if 'role="main"' in html else []:
            if href.startswith(("https:", "http:", "#", "mailto:")):
                continue
            target, fragment = _resolve(result, page, href)
            assert target.is_file(), (page, href)
            if fragment:
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), (page, href)
            followed += 1
    return followed


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_page_kind_is_built_with_working_links(site: Site, directory_urls: bool) -> None:
    _library(site)
    site.configure(plugin=EVERYTHING, use_directory_urls=directory_urls)
    result = site.build(strict=True)
    assert result.error is None, result.warnings

    def h1(src: str) -> str:
        return re.search(r"<h1[^>]*>(.*?)</h1>", _page(result, src, directory_urls)).group(1)

    assert h1("library/clusters.md") == "Clusters in your library"
    assert h1("labels/emi/clusters.md") == "Clusters in EMI"
    assert h1("labels/interscope_records/clusters.md") == "Clusters in Interscope Records"
    assert h1("genres/jazz/clusters.md") == "Clusters in Jazz"
    assert h1("genres/rock/clusters.md") == "Clusters in rock"
    assert h1("clusters.md") == "Clusters"
    assert h1("artists/nobody_yet/overview.md") == "Nobody Yet"
    assert h1("artists/solo_artist/overview.md") == "Solo Artist"
    assert h1("labels/interscope_records/overview.md") == "Interscope Records"
    # The library holds every distinct track once; EMI's page its variants' tracks together.
    assert "36 tracks in 2 clusters" in _page(result, "library/clusters.md", directory_urls)
    assert "20 tracks in 2 clusters" in _page(result, "labels/emi/clusters.md", directory_urls)
    assert "24 tracks in 2 clusters" in _page(result, "genres/jazz/clusters.md", directory_urls)
    assert any("2 playlist page(s), 39 tracks, 4 clusters, a library page, 2 label page(s), "
               "2 genre page(s) in" in m for m in result.messages())
    assert _assert_every_link_lands(result) > 100


def test_new_pages_are_off_by_default_and_each_option_turns_one_on(site: Site) -> None:
    _library(site)
    site.configure(plugin={"min_tracks": 6, "clusters": 2})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    built = {p.relative_to(result.site_dir).as_posix() for p in result.site_dir.rglob("*.html")}
    assert not [p for p in built if p.startswith(("library/", "genres/", "clusters/"))]
    assert "artists/nobody_yet/overview/index.html" not in built
    assert "labels/interscope_records/overview/index.html" not in built
    assert "Appears in clusters" not in _page(result, "artists/the_hosts/overview.md")

    site.configure(plugin={"min_tracks": 6, "clusters": 2, "genres": True, "artist_pages": True})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    built = {p.relative_to(result.site_dir).as_posix() for p in result.site_dir.rglob("*.html")}
    assert {p for p in built if p.startswith("genres/")} == {
        "genres/jazz/clusters/index.html", "genres/rock/clusters/index.html"}
    assert "artists/nobody_yet/overview/index.html" in built
    assert not [p for p in built if p.startswith(("library/", "clusters/", "labels/interscope"))]
    assert not [p for p in built if p.startswith("labels/") and "clusters" in p]


def test_groups_below_min_tracks_get_no_page(site: Site) -> None:
    _library(site)
    # Rock, Interscope Records: 12 tracks; Tiny Label: 4; Rare: 2 (Late Night has 15, Road
    # Trip 24). Generated pages: Solo Artist has 12 tracks, Nobody Yet 8, Rare Guest 2.
    site.configure(plugin={**EVERYTHING, "min_tracks": 13, "generated_min_tracks": 9})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    built = {p.relative_to(result.site_dir).as_posix() for p in result.site_dir.rglob("*.html")}
    clusters = sorted(p for p in built if p.endswith("clusters/index.html"))
    assert clusters == ["clusters/index.html", "genres/jazz/clusters/index.html",
                        "labels/emi/clusters/index.html", "library/clusters/index.html",
                        "playlists/late_night/clusters/index.html",
                        "playlists/road_trip/clusters/index.html"]
    generated = sorted(p for p in built if p.endswith("overview/index.html"))
    assert generated == ["artists/solo_artist/overview/index.html",
                         "artists/the_hosts/overview/index.html",
                         "labels/emi/overview/index.html",
                         "labels/interscope_records/overview/index.html"]


def test_a_users_page_wins_over_a_generated_one_by_path_and_by_front_matter(site: Site) -> None:
    _library(site)
    site.configure(plugin={**EVERYTHING, "generated_min_tracks": 1})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    assert result.warnings == []
    # The Hosts (by path) and Kyra (by front matter) keep their own pages, untouched on disk.
    assert not (result.site_dir / "artists/kyra___the_comets").exists()
    hosts = _page(result, "artists/the_hosts/overview.md")
    assert "My notes." in hosts and "generated from the playlist data" not in hosts
    assert (site.docs / "artists/the_hosts/overview.md").read_text() == "# The Hosts\n\nMy notes.\n"
    # The cluster tables link to the user's pages and to the generated ones.
    road = [h for h, text in _links(_page(result, "playlists/road_trip/clusters.md"))]
    assert "../../../artists/the_hosts/overview/" in road
    assert "../../../artists/favourites/kyra/" in road
    assert "../../../artists/nobody_yet/overview/" in road
    assert "../../../labels/interscope_records/overview/" in road
    # With generated_min_tracks 1, Rare Guest's two tracks are enough.
    assert "Rare Guest" in _page(result, "artists/rare_guest/overview.md")


def test_a_file_at_a_generated_pages_path_wins_with_a_warning(site: Site) -> None:
    _library(site)
    own = site.write("docs/library/clusters.md", "# Mine\n")
    site.configure(plugin=EVERYTHING)
    result = site.build()
    assert result.warnings == [
        "clusters: 'library/clusters.md' is generated from the playlist data, but the docs "
        f"already have 'library/clusters.md' ({own}); keeping that file and leaving the "
        "generated one out"
    ]
    assert "Mine" in _page(result, "library/clusters.md")


def _appears_in(html: str) -> list[str]:
    """The link texts of a page's "Appears in clusters" section."""
    section = _article(html).split('id="appears-in-clusters"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", unescape(item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_appears_in_lists_the_clusters_pages_that_mention_them(site: Site) -> None:
    _library(site)
    site.configure(plugin=EVERYTHING)
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    hosts = _appears_in(_page(result, "artists/the_hosts/overview.md"))
    # The Hosts' first track is also in Late Night; their tracks are on both labels.
    assert [item.split(":")[0] for item in hosts] == [
        "Clusters in your library", "Clusters in Late Night", "Clusters in Road Trip",
        "Clusters in EMI", "Clusters in Interscope Records", "Clusters in Jazz",
        "Clusters in rock"]
    solo = _appears_in(_page(result, "artists/solo_artist/overview.md"))
    assert [item.split(":")[0] for item in solo] == [
        "Clusters in your library", "Clusters in Late Night", "Clusters in EMI",
        "Clusters in Jazz"]
    # The user's label page, by the variant "EMI Music" too: the same pages as EMI's tracks.
    emi = _appears_in(_page(result, "labels/emi/overview.md"))
    assert [item.split(":")[0] for item in emi] == [
        "Clusters in your library", "Clusters in Late Night", "Clusters in Road Trip",
        "Clusters in EMI", "Clusters in Jazz", "Clusters in rock"]
    # Each cluster named is one that holds the artist's tracks: follow the link and look.
    page = result.site_dir / "artists/the_hosts/overview/index.html"
    for href, text in _links(page.read_text(encoding="utf-8")):
        if text.startswith("#"):
            target, fragment = _resolve(result, page, href)
            cluster = target.read_text(encoding="utf-8").split(f'id="{fragment}"', 1)[1]
            assert "The Hosts" in cluster.split("<h2", 1)[0], href
    # Pages with nothing to list get no section; nothing was written into docs_dir.
    assert "Appears in clusters" not in result.html("index.html")
    assert (site.docs / "labels/emi/overview.md").read_text() == "# EMI\n"


def test_generated_artist_page_lists_tracks_playlists_and_clusters(site: Site) -> None:
    _library(site)
    site.configure(plugin=EVERYTHING)
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    html = _page(result, "artists/solo_artist/overview.md")
    assert "12 tracks by Solo Artist in your library, in 1 playlist." in html
    links = _links(html)
    assert ("../../../playlists/late_night/clusters/", "Late Night") in links
    assert ("../../../labels/emi/overview/", "EMI Music") in links
    assert _article(html).count("<tr>") == 13  # header and 12 tracks
    label = _page(result, "labels/interscope_records/overview.md")
    assert "12 tracks on the label Interscope Records in your library, in 2 playlists." in label


def test_index_lists_every_clusters_page_with_a_thumbnail(site: Site) -> None:
    _library(site)
    site.configure(plugin=EVERYTHING, use_directory_urls=False)
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    index = result.site_dir / "clusters.html"
    html = index.read_text(encoding="utf-8")
    sections = re.findall(r"<h2 [^>]*>(.*?)</h2>", html)
    assert sections == ["Library", "Playlists", "Labels", "Genres"]
    rows = re.findall(r"<tr>\s*<td[^>]*><img alt=\"([^\"]*)\" src=\"([^\"]*)\" /></td>\s*"
                      r"<td[^>]*><a href=\"([^\"]*)\">(.*?)</a></td>\s*<td[^>]*>(\d+)</td>\s*"
                      r"<td[^>]*>(\d+)</td>", html)
    figures = sorted(p.relative_to(result.site_dir).as_posix()
                     for p in result.site_dir.rglob("clusters.svg"))
    assert sorted(_resolve(result, index, r[1])[0].relative_to(result.site_dir).as_posix()
                  for r in rows) == figures
    assert len(rows) == 7
    for alt, figure, page, title, tracks, clusters in rows:
        assert alt == title.replace("Clusters in", "Scatter plot of the clusters in")
        assert figure.removesuffix(".svg") == page.removesuffix(".html")
        assert f"{tracks} tracks in {clusters} clusters" in (index.parent / page).read_text()
    assert "clusters-index" in html


def test_navigation_has_sections_without_nav_and_nothing_with_one(site: Site) -> None:
    _library(site)
    site.configure(plugin=EVERYTHING)
    result = site.build(strict=True)
    toggle = r'<a [^>]*class="[^"]*dropdown-toggle"[^>]*>(.*?)</a>'
    menu = re.findall(toggle, result.html("index.html"))
    assert {"Library", "Labels", "Genres", "Playlists", "Artists"} <= set(menu)

    site.configure(plugin=EVERYTHING, nav=[{"Home": "index.md"}])
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    assert "Clusters in your library" not in result.html("index.html")
    noise = [m for m in result.messages() if "not included in the \"nav\"" in m]
    assert noise == ["The following pages exist in the docs directory, but are not included in "
                     "the \"nav\" configuration:\n  - artists/favourites/kyra.md\n"
                     "  - artists/the_hosts/overview.md\n  - labels/emi/overview.md"]


def test_group_pages_are_cached_and_the_same_bytes_every_build(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _library(site)
    site.configure(plugin=EVERYTHING)
    first = site.build(strict=True, site_dir=tmp_path / "one")
    second = site.build(strict=True, site_dir=tmp_path / "two")
    assert any("cache: 0 hit(s), 7 computed" in m for m in first.messages())
    assert any("cache: 7 hit(s), 0 computed" in m for m in second.messages())

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    one, two = digest(first.site_dir), digest(second.site_dir)
    assert one == two
    assert "library/clusters.svg" in one and "artists/solo_artist/overview/index.html" in one


def test_hostile_label_and_genre_names_stay_text(site: Site) -> None:
    name = "<script>alert(1)</script> [x](javascript:alert(2))"
    tracks = blob_tracks(12, THREE_SOUNDS, artists=[name], label=name, genres=[name])
    site.write("data/h.yml", playlist_yaml("H", tracks))
    site.configure(plugin={**EVERYTHING, "library": False})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    pages = [p.read_text(encoding="utf-8") for p in result.site_dir.rglob("*.html")]
    assert not any("<script>alert" in p or 'href="javascript' in p for p in pages)
    shown = unescape(re.sub(r"<[^>]+>", "", "".join(pages)))
    assert f"Clusters in {name}" in shown


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"library_page": "library/clusters.html"},
         "option 'library_page': Expected a path ending in '.md', got 'library/clusters.html'."),
        ({"genre_page": "genres/all.md"},
         "option 'genre_page': Expected a path containing '{slug}', got 'genres/all.md'."),
        ({"index_page": "../clusters.md"},
         "option 'index_page': Expected a relative path inside the docs, got '../clusters.md'."),
        ({"generated_min_tracks": 0},
         "option 'generated_min_tracks': Expected an integer of at least 1 but received: 0"),
        ({"library": "yes"}, "option 'library': Expected type: <class 'bool'> but received: "
                             "<class 'str'>"),
    ],
)
def test_bad_page_options_stop_the_build(site: Site, options: dict, message: str) -> None:
    site.configure(plugin=options)
    result = site.build(strict=True)
    assert result.error is not None
    assert message in "\n".join(result.warnings + [str(result.error)])


def test_the_command_generates_the_new_pages_too(site: Site) -> None:
    from click.testing import CliRunner

    from mkdocs_clusters.cli import cli

    _library(site)
    site.configure(plugin={**EVERYTHING, "enabled": False}, markdown_extensions=["md_in_html"])
    config = str(site.root / "mkdocs.yml")
    # Into a folder inside docs_dir: the generated artist and label pages belong outside it.
    result = CliRunner().invoke(cli, ["generate", "-f", config, "-o", str(site.docs / "c")])
    assert result.exit_code == 0, result.output
    assert (f"3 generated artist/label page(s) belong outside {site.docs / 'c'} (first: "
            "artists/nobody_yet/overview.md); left out") in result.stderr
    assert (site.docs / "c/library/clusters.md").is_file()
    assert (site.docs / "c/assets/mkdocs-clusters.css").is_file()
    assert not (site.docs / "c/artists").exists()
    shutil.rmtree(site.docs / "c")

    result = CliRunner().invoke(cli, ["generate", "-f", config, "-o", str(site.docs)])
    assert result.exit_code == 0, result.output
    for path in ("clusters.md", "library/clusters.md", "labels/emi/clusters.md",
                 "genres/rock/clusters.svg", "artists/solo_artist/overview.md"):
        assert (site.docs / path).is_file(), path
    built = site.build(strict=True)
    assert built.error is None, built.warnings
    assert _assert_every_link_lands(built) > 100


def test_only_the_sites_own_artist_and_label_pages_wait_for_the_clusterings_and_are_read_last(
    site: Site,
) -> None:
    _library(site)
    site.configure(plugin={**EVERYTHING, "cache": False, "workers": 0})
    config = load_config(str(site.root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    own = ["artists/favourites/kyra.md", "artists/the_hosts/overview.md", "labels/emi/overview.md"]
    # MkDocs reads pages in this order: those with a section come after every clusters page.
    assert [f.src_uri for f in files.documentation_pages()][-3:] == own

    # Without workers a page's clustering is computed when first needed: reading any other
    # page computes none; the first page with a section computes them all.
    plugin = config.plugins["clusters"]
    outcomes = [r.outcome for r in plugin._analysis.results]  # (this build's, until on_post_build)
    for file in files.documentation_pages()[:-3]:
        if file.generated_by is None:
            page = Page(None, file, config)
            plugin.on_page_markdown("# Text\n", page=page, config=config, files=files)
    assert not any(o.done for o in outcomes)
    page = Page(None, files.get_file_from_path(own[1]), config)
    assert "Appears in clusters" in plugin.on_page_markdown("# T\n", page=page, config=config,
                                                            files=files)
    assert all(o.done for o in outcomes)
