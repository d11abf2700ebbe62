"""The page's Markdown: golden output, columns the data can fill, and inert data text."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from mkdocs_clusters.links import PageIndex
from mkdocs_clusters.model import Cluster, Clustering, Playlist, Track
from mkdocs_clusters.render import PageContext, render_page, text, web_url

GOLDEN = Path(__file__).parent / "golden"


def _track(n: int, **fields: object) -> Track:
    defaults: dict = {
        "name": f"Song {n}",
        "key": f"id{n}",
        "album": f"Album {n % 2}",
        "artists": ("Ayumi Hamasaki", "Guest") if n == 0 else ("Ayumi Hamasaki",),
        "labels": ("EMI", "Interscope Records"),
        "image": f"https://i.scdn.co/image/{n:04d}",
        "spotify_id": f"{n:022d}",
        "popularity": 50 + n,
        "liked": n % 2 == 0,
        "genres": ("j-pop", "dance pop") if n % 2 == 0 else ("j-pop",),
        # Even tracks loud and happy, odd ones acoustic and sad: two clusters with names.
        "features": {
            "danceability": 0.6, "energy": 0.8 - 0.5 * (n % 2) + 0.01 * n, "speechiness": 0.05,
            "acousticness": 0.1 + 0.7 * (n % 2), "instrumentalness": 0.0, "liveness": 0.1,
            "valence": 0.7 - 0.4 * (n % 2), "tempo": 120.0 - 20 * (n % 2) + n,
        },
    }
    defaults.update(fields)
    return Track(**defaults)


def _clustering(tracks: list[Track], groups: list[list[int]]) -> Clustering:
    playlist = Playlist("International Pop", "data/international-pop.yml", tuple(tracks))
    clusters = tuple(
        Cluster(number=n, members=tuple(members), colour="#E69F00", marker="o")
        for n, members in enumerate(groups, start=1)
    )
    return Clustering(
        playlist=playlist,
        tracks=tuple(tracks),
        clusters=clusters,
        criterion="The number of clusters is set in the site's configuration.",
        xy=tuple((0.0, 0.0) for _ in tracks),
        axis_words=(("Mellow", "Energetic"), ("Sad", "Happy")),
        left_out=2,
        duplicates=1,
        separation=(0.62, 0.30),
    )


def _context(representatives: int = 2) -> PageContext:
    pages = PageIndex(
        artists={"ayumi hamasaki": "artists/ayumi_hamasaki/overview.md"},
        labels={"emi": "labels/emi/overview.md"},
    )
    return PageContext(
        "playlists/international_pop/clusters.md",
        "playlists/international_pop/clusters.svg",
        pages,
        representatives,
    )


def test_page_matches_the_golden_markdown() -> None:
    """`CLUSTERS_GOLDEN=1` rewrites the golden page from the code (then read its diff)."""
    tracks = [_track(n) for n in range(5)]
    page = render_page(_clustering(tracks, [[2, 0, 4], [1, 3]]), _context())
    golden = GOLDEN / "international-pop.md"
    if os.environ.get("CLUSTERS_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_links_climb_exactly_to_the_docs_root() -> None:
    page = render_page(_clustering([_track(0)], [[0]]), _context())
    # The seed page climbed one "../" too many; ours are relative to the page's own folder.
    assert "[Ayumi Hamasaki](../../artists/ayumi_hamasaki/overview.md)" in page
    assert "[EMI](../../labels/emi/overview.md), Interscope Records" in page
    assert "![" in page and "](clusters.svg)" in page


def test_columns_the_data_cannot_fill_are_left_out() -> None:
    bare = [Track(name=f"Song {n}", key=str(n)) for n in range(3)]
    page = render_page(_clustering(bare, [[0, 1, 2]]), _context(representatives=10))
    assert "| Track |\n|:---|\n| Song 0 |" in page
    for column in ("Art", "Album", "Artists", "Label", "Rank", "Popularity", "💚", "🔗"):
        assert f"| {column} |" not in page and f" {column} |" not in page


def test_rank_is_preferred_to_popularity() -> None:
    tracks = [_track(n, rank=n + 1) for n in range(2)]
    page = render_page(_clustering(tracks, [[0, 1]]), _context())
    assert "| Rank |" in page and "Popularity" not in page


def test_rest_of_cluster_is_behind_view_all() -> None:
    tracks = [_track(n) for n in range(5)]
    page = render_page(_clustering(tracks, [[0, 1, 2, 3, 4]]), _context(representatives=2))
    html = markdown.markdown(page, extensions=["tables", "md_in_html"])
    assert '<details class="clusters-rest">' in html
    assert "<summary>View all 5 tracks (3 more)</summary>" in html
    rest = html.split("<summary>", 1)[1]
    assert [f"Song {n}" in rest for n in range(5)] == [False, False, True, True, True]
    assert rest.count("<tr>") == 4  # header + the three others


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "a | b",
        "`code` **bold** _it_",
        "{{ config }} {% raw %}",
        "<!-- comment -->",
        "</td></table>",
        "line\nbreak",
        ":smile: & &amp;",
    ],
)
def test_data_text_reads_back_as_itself(hostile: str) -> None:
    html = markdown.markdown(f"| h |\n|---|\n| {text(hostile)} |", extensions=["tables"])
    cell = html.split("<td>", 1)[1].split("</td>", 1)[0]
    assert "<" not in cell.replace("&lt;", "")
    import html as html_module

    assert html_module.unescape(cell) == " ".join(hostile.split())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://i.scdn.co/image/ab67", "https://i.scdn.co/image/ab67"),
        ("http://example.org/a b.png", "http://example.org/a%20b.png"),
        ('https://x.org/"onerror="alert(1)', "https://x.org/%22onerror=%22alert(1)"),
        ("javascript:alert(1)", None),
        ("data:image/png;base64,AAAA", None),
        ("//evil.example/x.png", None),
        ("", None),
    ],
)
def test_only_web_urls_become_images(url: str, expected: str | None) -> None:
    assert web_url(url) == expected
