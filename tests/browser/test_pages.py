"""Every generated page as a reader's browser shows it: loads, images, links, "View all", hostile
names — for the example site and the fixture sites (MkDocs' theme and Material,
`use_directory_urls` true and false)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import unquote

import pytest

from .conftest import MORE_SITES, SITES, PageVisit, Served, new_context, watch

pytestmark = pytest.mark.browser


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@pytest.mark.parametrize("key", SITES)
def test_pages_load_without_errors(visits: Any, key: str) -> None:
    for visit in visits(key):
        assert visit.failed == [], visit.url
        assert visit.console_errors == [], visit.url
        assert visit.page_errors == [], visit.url
        assert visit.title.startswith("Clusters in ") == visit.clusters, visit.url


@pytest.mark.parametrize("key", SITES)
def test_figures_and_same_site_images_load(visits: Any, served: Any, key: str) -> None:
    site: Served = served(key)
    for visit in visits(key):
        figures = [i for i in visit.images if i["inFigure"]]
        assert len(figures) == visit.clusters, visit.url
        for figure in figures:
            assert figure["url"].endswith("clusters.svg"), figure
            assert figure["alt"].startswith("Scatter plot of the "), figure
        for image in visit.images:
            if image["url"].startswith(site.base):
                assert image["complete"] and image["naturalWidth"] > 0, (visit.url, image)


@pytest.mark.parametrize("key", SITES)
def test_external_images_are_well_formed(visits: Any, served: Any, key: str) -> None:
    """Album art cannot load here (no network): its tags are checked instead."""
    site: Served = served(key)
    external = [i for v in visits(key) for i in v.images if not i["url"].startswith(site.base)]
    if key != "example" and not site.hostile:
        assert len(external) > 10  # the fixture's art is shown
    for image in external:
        assert image["src"].startswith("https://"), image
        assert image["alt"] and image["alt"].startswith("Album art: "), image
        assert (image["width"] and image["height"]) or image["loading"] == "lazy", image


@pytest.mark.parametrize("key", SITES)
def test_internal_links_resolve_and_artists_land_on_their_pages(
    chromium: Any, visits: Any, served: Any, key: str
) -> None:
    site: Served = served(key)
    targets: dict[str, set[tuple[str, str]]] = {}
    for visit in visits(key):
        for link in visit.links:
            if link["url"].startswith(site.base):
                targets.setdefault(link["url"], set()).add((link["column"] or "", link["text"]))
    artist_links = [t for t in targets if any(c in ("Artists", "Label") for c, _ in targets[t])]
    assert artist_links, "no artist or label link on any page"

    ctx = new_context(chromium, site)
    page = ctx.new_page()
    seen = watch(page, site)
    try:
        documents: dict[str, list[str]] = {}
        for url in targets:
            document, _, fragment = url.partition("#")
            documents.setdefault(document, []).append(url)
        for document, urls in sorted(documents.items()):
            # Each page once, whatever fragments of it are linked.
            response = page.goto(document, wait_until="domcontentloaded")
            assert response is not None and response.ok, document
            for url in urls:
                fragment = url.partition("#")[2]
                if fragment:
                    assert page.locator(f"[id='{fragment}']").count() == 1, url
            uses = {use for url in urls for use in targets[url]}
            for column, text in uses:
                if column in ("Artists", "Label"):
                    # The page the link lands on is about that artist or label.
                    h1 = page.locator("h1").first.text_content() or ""
                    assert _fold(h1.replace("¶", "")) == _fold(text), (document, text)
                    assert _fold(page.title()).startswith(_fold(text)), (document, page.title())
    finally:
        ctx.close()
    assert seen.failed == [], seen.failed


@pytest.mark.parametrize("key", SITES)
def test_pages_do_not_scroll_sideways_on_a_phone(visits: Any, key: str) -> None:
    """Wide tables scroll inside themselves at 390 px, with every "View all" open."""
    for visit in visits(key):
        scroll_width, viewport = visit.phone_widths
        assert viewport == 390 and scroll_width <= viewport, visit.url


@pytest.mark.parametrize("key", SITES)
def test_view_all_opens_and_shows_the_rest(visits: Any, key: str) -> None:
    opened = 0
    for visit in visits(key):
        for details in visit.details:
            more = int(re.search(r"\((\d+) more\)", details["summary"]).group(1))
            assert details["rows"] == more, details
            assert details["hiddenBefore"], details
            assert details["open"] and details["visible"] == more, details
            opened += 1
    assert opened > 0, "no cluster with more tracks than its table shows"


@pytest.mark.parametrize("key", SITES)
def test_hostile_names_run_nothing(visits: Any, served: Any, key: str) -> None:
    site: Served = served(key)
    pages: list[PageVisit] = visits(key)
    for visit in pages:
        assert visit.dialogs == [], visit.url
        assert visit.pwned is None, visit.url
        assert visit.dangerous == [], visit.url
    if site.hostile:
        hostile = next(v for v in pages if "alert" in v.title)
        # The names are shown as the text they are.
        assert "<script>alert('playlist')</script>" in hostile.title
        assert any(h["text"].startswith("Clusters in <script>") for h in hostile.headings)
        assert any("<img src=x onerror" in (i["alt"] or "") for i in hostile.images)


@pytest.mark.parametrize("key", SITES)
def test_accessibility_basics(visits: Any, key: str) -> None:
    for visit in visits(key):
        levels = [h["level"] for h in visit.headings]
        assert levels[0] == 1 and levels.count(1) == 1, visit.headings
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        for image in visit.images:
            assert image["alt"], (visit.url, image)
        for link in visit.links:
            assert link["name"] and link["name"] != "🔗", (visit.url, link)
        spotify = [link for link in visit.links if "open.spotify.com" in link["url"]]
        assert spotify or not visit.clusters, visit.url
        assert all(re.fullmatch(r"Open .+ on Spotify", s["name"]) for s in spotify)


@pytest.mark.parametrize("key", SITES)
def test_cluster_headings_carry_the_figure_colours(
    visits: Any, served: Any, key: str
) -> None:
    site: Served = served(key)
    for visit in (v for v in visits(key) if v.clusters):
        clusters = [h for h in visit.headings if h["level"] == 2 and h["marker"]]
        assert clusters, visit.url
        # The text is "Cluster #<n>" and the cluster's name ("Cluster #1 · Energetic ·
        # Happy"); the id stays "cluster-<n>", so links to a cluster survive a renaming.
        numbers = [re.fullmatch(r"Cluster #(\d+)(?: · [A-Z][a-z-]+(?: [a-z]+)*)*", h["text"])
                   for h in clusters]
        assert all(numbers), [h["text"] for h in clusters]
        assert [int(m.group(1)) for m in numbers] == list(range(1, len(clusters) + 1))
        assert len(clusters) == 1 or all(" · " in h["text"] for h in clusters)
        assert [h["id"] for h in clusters] == [f"cluster-{n}" for n in
                                               range(1, len(clusters) + 1)]
        figure = next(i for i in visit.images if i["inFigure"])["url"]
        svg = (site.site_dir / unquote(figure[len(site.base):])).read_text(encoding="utf-8")
        # The figure draws each cluster's points as one path, #1 first.
        markers = [h["marker"]["fill"].lower() for h in clusters]
        assert _cluster_fills(svg) == markers
        for heading in clusters:
            assert heading["marker"]["hidden"] == "true"
            assert heading["marker"]["width"] > 4
            assert heading["marker"]["left"] <= heading["marker"]["textLeft"] + 1
        # The legend under the figure: the same markers, each entry linking to its cluster.
        legend = visit.legend
        assert [e["fill"].lower() for e in legend] == markers, visit.url
        assert [e["href"] for e in legend] == [f"#{h['id']}" for h in clusters]
        for entry, heading in zip(legend, clusters, strict=True):
            number, _, name = heading["text"].removeprefix("Cluster ").partition(" · ")
            assert entry["text"].startswith(f"{number} {name}".strip() + " ("), entry
            assert entry["hidden"] == "true" and entry["width"] > 4
            assert entry["fontSize"] >= 14  # real text, legible on a phone


def _cluster_fills(svg: str) -> list[str]:
    """The fill of each cluster's path of points (white-edged), in drawing order."""
    return re.findall(r'style="fill: (#[0-9a-f]{6}); stroke: #ffffff', svg)


@pytest.mark.parametrize("key", MORE_SITES)
def test_every_kind_of_page_is_there_and_the_index_lists_each_clusters_page(
    visits: Any, served: Any, key: str
) -> None:
    site: Served = served(key)
    paths = [url[len(site.base):] for url in site.pages + site.other_pages]
    for prefix in ("playlists/", "library/", "labels/", "genres/", "artists/", "clusters"):
        assert any(p.startswith(prefix) for p in paths), (key, prefix)
    index = next(v for v in visits(key) if v.title.startswith("Clusters") and not v.clusters)
    thumbnails = [i for i in index.images if i["url"].endswith("/clusters.svg")]
    figures = {unquote(re.sub(r"clusters(/|\.html)$", "clusters.svg", u)) for u in site.pages}
    assert {unquote(i["url"]) for i in thumbnails} == figures
    for image in thumbnails:
        assert image["complete"] and image["naturalWidth"] > 0, image
    listed = {unquote(link["url"]) for link in index.links
              if link["text"].startswith("Clusters in")}
    assert listed == {unquote(url) for url in site.pages}


@pytest.mark.parametrize("key", MORE_SITES)
def test_artist_and_label_pages_link_back_to_their_clusters(visits: Any, key: str) -> None:
    """Every "Appears in clusters" entry lands on a cluster that exists (the link test checks
    each target and fragment); generated pages list theirs too."""
    back = [link for v in visits(key) if not v.clusters for link in v.links
            if re.fullmatch(r"#\d+", link["text"])]
    assert back and all(re.search(r"#cluster-\d+$", link["url"]) for link in back)
