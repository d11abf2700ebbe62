"""Hostile text from data stays text: no element, attribute or URL scheme comes from data, and
every name reads back as the same text, in the rendered page and in a whole built site."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import THREE_SOUNDS, Site, blob_tracks
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta

from mkdocs_clusters.links import PageIndex
from mkdocs_clusters.model import Cluster, Clustering, Playlist, Track
from mkdocs_clusters.render import PageContext, render_page

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "a | b || c",
    "`code` ``x``",
    "**bold** __also__ *em*",
    "{{ config.site_name }} {% include 'x' %}",
    "<!-- comment --> -->",
    "</td></table><table>",
    "line one\nline two\r\nthree",
    "\u202eevil\u202c and \u2067isolated\u2069",
    "مرحبا بالعالم",
    "שלום",
    "🎸🔥👩‍👩‍👧",
    "&lt;b&gt; &amp; &#60;",
    "{: onclick=alert(1) }",
    "www.example.com https://evil.example/",
    ":smile: -- ... (c) +/-",
    "\\*not em\\*",
    "<bdi>x</bdi>",
    '" onmouseover="alert(1)',
]
MARKDOWN_EXTENSIONS = [
    "tables", "toc", "attr_list", "md_in_html", "abbr", "def_list", "footnotes", "admonition",
    "smarty", "pymdownx.magiclink", "pymdownx.superfences", "pymdownx.betterem",
    "pymdownx.smartsymbols", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
]
PAGE = "playlists/x/clusters.md"
ARTIST_PAGE = "artists/a/overview.md"
LABEL_PAGE = "labels/l/overview.md"
# The page's own structure: the figure and table wrappers, the heading and legend markers and
# profile bars (inline SVG), the legend's and the profile's "Most common" lists.
PAGE_TAGS = {"h1", "h2", "p", "img", "table", "thead", "tbody", "tr", "th", "td", "a", "details",
             "summary", "bdi", "div", "svg", "circle", "polygon", "rect", "line", "strong", "ul",
             "li", "br", "span"}
PAGE_ATTRIBUTES = {"id", "src", "alt", "width", "height", "loading", "href", "aria-label",
                   "title", "class", "style", "align", "markdown", "viewbox", "aria-hidden",
                   "focusable", "fill", "r", "points", "x", "y", "transform", "x1", "y1", "x2",
                   "y2", "stroke", "stroke-opacity", "stroke-width"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: str) -> str:
    """How a data string reads on the page: control characters and runs of white space become
    one space (a table cell or heading is one line)."""
    return " ".join(_CONTROL.sub(" ", value).split())


def plain(value: str) -> str:
    """How a data string reads in an attribute (alt, aria-label, title): as `shown`, without
    bidi controls (an attribute cannot isolate them)."""
    return shown(_BIDI.sub("", value))


class Parsed(HTMLParser):
    """Every element with its attributes, and the text of each cell, heading and title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("td", "th", "h1", "h2", "title", "summary", "span"):
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            self.blocks.append((name, "".join(parts).strip()))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)


def parse(html: str) -> Parsed:
    parser = Parsed()
    parser.feed(html)
    parser.close()
    return parser


def _clustering(name: str, names: list[str], image: str) -> Clustering:
    tracks = tuple(
        Track(name=n, key=f"k{i}", album=n, artists=(n, "Plain"), labels=(n,),
              image=image, spotify_id="4uLU6hMCjMI75M1A2tKUQC", popularity=50, liked=i % 2 == 0,
              features={"energy": 0.5})
        for i, n in enumerate(names)
    )
    playlist = Playlist(name=name, source="data/x.yml", tracks=tracks)
    return Clustering(
        playlist=playlist, tracks=tracks,
        clusters=(Cluster(1, tuple(range(len(tracks))), "#1f77b4", "o"),),
        criterion="One cluster.", xy=tuple((0.0, 0.0) for _ in tracks),
        axis_words=(("low", "high"), ("low", "high")),
    )


def _check_page(name: str, names: list[str], image: str) -> Parsed:
    clustering = _clustering(name, names, image)
    pages = PageIndex(
        artists={unicodedata.normalize("NFC", n).strip().casefold(): ARTIST_PAGE for n in names},
        labels={},
    )
    context = PageContext(PAGE, "playlists/x/clusters.svg", pages, representatives=2)
    body, front = meta.get_data(render_page(clustering, context))
    assert parse(front["title"]).blocks == [] and html.unescape(front["title"]) == (
        plain(f"Clusters in {name}")
    )
    page = markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS)
    parsed = parse(page)
    for tag, attrs in parsed.elements:
        assert tag in PAGE_TAGS, (tag, page)
        assert set(attrs) <= PAGE_ATTRIBUTES, (tag, attrs)
        for key in ("href", "src"):
            url = attrs.get(key)
            if url is not None:
                allowed = (url in ("clusters.svg", "../../artists/a/overview.md", image,
                                   "#cluster-1")
                           or url == "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")
                assert allowed, (key, url)
                assert not url.lower().startswith(("javascript:", "data:"))
    headings = [text for tag, text in parsed.blocks if tag == "h1"]
    assert headings == [f"Clusters in {shown(name)}"]
    track_cells = [text for tag, text in parsed.blocks if tag == "td"]
    for n in names:
        assert shown(n) in track_cells  # Track, Album and Label columns
        assert f"{shown(n)}, Plain" in track_cells  # Artists column: linked name, then plain
    labels = [attrs.get("aria-label") for tag, attrs in parsed.elements if tag == "a"
              and "aria-label" in attrs]
    assert {plain(f"Open {n} on Spotify") for n in names} <= set(labels)
    # The legend under the figure lists the cluster's most common artists (held by two tracks
    # or more: "Plain" is every track's).
    legend = [text for tag, text in parsed.blocks if tag == "span"]
    assert len(legend) == (len(names) > 1)
    return parsed


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_names_render_as_the_same_text(hostile: str) -> None:
    # Given twice, the name is among the most common artists the legend shows.
    page = _check_page(hostile, [hostile, f"x {hostile} y", hostile],
                       "https://i.scdn.co/image/ab67")
    (legend,) = [text for tag, text in page.blocks if tag == "span"]
    assert legend in (f"{shown(hostile)}, Plain", f"Plain, {shown(hostile)}")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:x", "//evil.example/x.png",
    "https://evil.example/\nx.png", "/etc/passwd", "file:///etc/passwd", "",
])
def test_only_http_urls_from_data_become_images(url: str) -> None:
    clustering = _clustering("P", ["a", "b"], url)
    context = PageContext(PAGE, "playlists/x/clusters.svg", PageIndex({}, {}), 10)
    page = render_page(clustering, context)
    assert "<img" not in page
    assert "| Art |" not in page


def test_http_image_urls_are_kept_and_encoded() -> None:
    url = 'https://i.example/a b"<c>|d\'e'
    clustering = _clustering("P", ["a"], url)
    context = PageContext(PAGE, "playlists/x/clusters.svg", PageIndex({}, {}), 10)
    body, _ = meta.get_data(render_page(clustering, context))
    page = markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS)
    srcs = [a["src"] for t, a in parse(page).elements if t == "img" and a.get("src") != "clusters.svg"]
    assert srcs == ["https://i.example/a%20b%22%3Cc%3E%7Cd'e"]


# Random text: mostly Markdown/HTML fragments glued to random characters of every kind but
# surrogates (which no UTF-8 file can hold).
_fragments = st.sampled_from(
    ["<", ">", "&", "|", "`", "*", "_", "[", "](", ")", "{{", "}}", "{%", "<!--", "-->", "\n",
     "\u202e", "\u2067", "javascript:", "data:", "<script>", "</td>", "www.", "#", ":", "\\"]
)
_chars = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
hostile_text = st.lists(st.one_of(_fragments, _chars), min_size=1, max_size=8).map("".join)
visible_text = hostile_text.filter(lambda s: shown(s) != "")


@settings(max_examples=60, deadline=None)
@given(name=visible_text, names=st.lists(visible_text, min_size=1, max_size=3))
def test_random_text_renders_inert(name: str, names: list[str]) -> None:
    _check_page(name, names, "https://i.scdn.co/image/ab67")


def _build(root: Path, name: str, names: list[str]) -> Path:
    """Build a Material site with one playlist of 9 tracks named after `names`; its page."""
    site = Site(root)
    site.write("docs/index.md", "# Home\n")
    tracks = blob_tracks(9, THREE_SOUNDS, album="Album")
    for i, track in enumerate(tracks):
        track["track"] = f"{names[i % 3]} {i}"
        track["artists"] = [names[i % 3]]
        track["label"] = names[(i + 1) % 3]
        track["image"] = "javascript:alert(1)" if i % 2 else "data:image/png;base64,AAAA"
    site.write("data/list.yml", yaml.safe_dump({"playlist": name, "tracks": tracks},
                                               allow_unicode=True))
    site.configure(plugin={"min_tracks": 3, "clusters": 1},
                   markdown_extensions=MARKDOWN_EXTENSIONS, theme={"name": "material"})
    result = site.build()
    assert result.error is None, result.warnings
    pages = sorted(Path(result.site_dir, "playlists").rglob("index.html"))
    assert len(pages) == 1
    return pages[0]


def _shape(parsed: Parsed) -> list[tuple[str, tuple[str, ...]]]:
    """Each element's tag and attribute names, in document order (<bdi> isolation aside)."""
    return [(tag, tuple(sorted(attrs))) for tag, attrs in parsed.elements if tag != "bdi"]


_baseline: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.I)


@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=visible_text, names=st.lists(visible_text, min_size=3, max_size=3, unique_by=shown))
@example(name="</title><script>alert(1)</script>",
         names=["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "\u202eevil | `x`"])
@example(name='" onmouseover="alert(1)', names=["{{ x }}", "x\ny", "🎸 a.b -- c..."])
def test_random_text_in_a_built_site_stays_text(
    tmp_path_factory: pytest.TempPathFactory, name: str, names: list[str]
) -> None:
    # The same site with plain names gives the elements and attributes the theme and the
    # plugin make; data must not add, remove or change a single one.
    if "shape" not in _baseline:
        benign = _build(tmp_path_factory.mktemp("plain") / "project", "Plain", ["a", "b", "c"])
        _baseline["shape"] = _shape(parse(benign.read_text(encoding="utf-8")))
    page = _build(tmp_path_factory.mktemp("hostile") / "project", name, names)
    parsed = parse(page.read_text(encoding="utf-8"))
    assert _shape(parsed) == _baseline["shape"]
    for tag, attrs in parsed.elements:
        for key, value in attrs.items():
            scheme = _SCHEME.match(value or "")
            if key in ("href", "src") and scheme:
                assert scheme.group(1).lower() in ("http", "https"), (tag, key, value)
    blocks = [(tag, text) for tag, text in parsed.blocks]
    heading = f"Clusters in {shown(name)}"
    assert ("h1", heading) in blocks
    assert ("title", f"{plain(f'Clusters in {name}')} - Test site") in blocks
    cells = {text for tag, text in blocks if tag == "td"}
    for i in range(9):
        assert shown(f"{names[i % 3]} {i}") in cells
    for n in names:
        assert shown(n) in cells
