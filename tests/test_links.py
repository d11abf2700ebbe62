"""Slugs, relative links and finding the site's artist and label pages."""

from __future__ import annotations

import pytest

from mkdocs_clusters.links import PageIndex, relative_link, slugify, unique_slugs


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("International Pop", "international_pop"),
        ("Sony Music Labels Inc.", "sony_music_labels_inc_"),
        ("Les Misérables Cast", "les_misérables_cast"),
        ("EMI / Interscope", "emi___interscope"),
        ("Rock & Roll #1 *100% $?", "rock___roll__1__100____"),
        ("東京の夜", "東京の夜"),
        ("a<b>c:d|e`f", "a_b_c_d_e_f"),
        ("..", "__"),
        ("", "_"),
        ("CON", "con_"),
        ("tab\there", "tab_here"),
    ],
)
def test_slug_rule(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_colliding_names_get_distinct_stable_slugs() -> None:
    names = ["Road Trip", "road_trip", "ROAD TRIP"]
    first = unique_slugs(names)
    assert first == unique_slugs(reversed(names))
    assert sorted(first.values()) == ["road_trip", "road_trip-2", "road_trip-3"]
    assert first["ROAD TRIP"] == "road_trip"  # sorted order: upper case first


def test_relative_link_from_a_generated_page() -> None:
    assert relative_link("playlists/x/clusters.md", "artists/yoasobi/overview.md") == (
        "../../artists/yoasobi/overview.md"
    )
    assert relative_link("playlists/x/clusters.md", "playlists/x/clusters.svg") == "clusters.svg"
    assert relative_link("p.md", "artists/ミカ/overview.md") == (
        "artists/%E3%83%9F%E3%82%AB/overview.md"
    )


def test_page_index_by_template_and_front_matter() -> None:
    pages = {
        "index.md": {},
        "artists/yoasobi/overview.md": {},
        "people/favourite.md": {"artist": "Kyra & The Comets"},
        "labels/emi/overview.md": {},
        "labels/my-label.md": {"label": "Interscope Records"},
    }
    index = PageIndex.build(
        pages,
        "artists/{slug}/overview.md",
        "labels/{slug}/overview.md",
        (["YOASOBI", "Kyra & The Comets", "Nobody"], ["EMI", "Interscope Records", "Avex"]),
    )
    assert index.artist("YOASOBI") == "artists/yoasobi/overview.md"
    assert index.artist("kyra & the comets") == "people/favourite.md"
    assert index.artist("Nobody") is None
    assert index.label("EMI") == "labels/emi/overview.md"
    assert index.label("Interscope Records") == "labels/my-label.md"
    assert index.label("Avex") is None
