"""Built sites served on a loopback port and visited in Debian's headless Chromium.

Every site is built once per session with the real plugin, served by a stdlib HTTP server on
127.0.0.1, and each generated page is visited once; the tests then assert on what the browser
saw (`PageVisit`). Requests that leave the site are aborted, so nothing waits on the network.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, THREE_SOUNDS, Site, blob_tracks, playlist_yaml

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SCREENSHOTS = ROOT / "screenshots"

#: Names a hostile playlist file may hold: each must show as the same text, run nothing and
#: fire no dialog. `window.__pwned` is set by any of them that runs.
HOSTILE = [
    "<script>alert(1);window.__pwned='script'</script>",
    "<img src=x onerror=\"alert(2);window.__pwned='img'\">",
    "<svg onload=alert(3)>",
    "javascript:alert(4)",
    "[click me](javascript:alert(5))",
    "\"><iframe src=javascript:alert(6)>",
    "{{ config.site_name }} ${alert(7)} `code` *em* <b>bold</b>",
    "' onmouseover='alert(8)' x='",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (deselect: -m 'not browser')")


# --- serving --------------------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib's name)
        pass


@dataclass
class Served:
    """A built site on a loopback port."""

    key: str
    site_dir: Path
    base: str
    pages: list[str]
    """URLs of the generated "Clusters in …" pages: the playlists', then the library's, the
    labels' and the genres', each sorted."""
    theme: str
    directory_urls: bool
    hostile: bool = False
    other_pages: list[str] = field(default_factory=list)
    """URLs of the other generated pages: the index of clusters pages, generated artist and
    label pages."""
    sample: bool = False
    """Visit the playlists' pages and one page of each other kind, not every page (the
    example site: dozens of label, genre and artist pages alike, a second or two each)."""

    def visited(self) -> list[str]:
        """The generated pages the tests visit: every one, or a sample (see `sample`)."""
        if not self.sample:
            return self.pages + self.other_pages
        chosen, kinds = [], set()
        for url in self.pages + self.other_pages:
            path = url[len(self.base):]
            kind = (path.split("/")[0], url in self.pages)
            if kind[0] == "playlists" or kind not in kinds:
                chosen.append(url)
                kinds.add(kind)
        return chosen

    def url(self, path: str) -> str:
        return self.base + path


def _serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def _url(site_dir: Path, html: Path, base: str, directory_urls: bool) -> str:
    path = html.relative_to(site_dir).as_posix()
    return base + (path[: -len("index.html")] if directory_urls else path)


def _generated_pages(site_dir: Path, base: str, directory_urls: bool) -> list[str]:
    """Every clusters page: the HTML beside each figure (playlists' first)."""
    pages = []
    figures = sorted(site_dir.rglob("clusters.svg"),
                     key=lambda f: (not f.is_relative_to(site_dir / "playlists"), f))
    for figure in figures:
        html = figure.with_suffix("")
        html = html / "index.html" if directory_urls else html.with_suffix(".html")
        assert html.is_file(), f"no page beside {figure}"
        pages.append(_url(site_dir, html, base, directory_urls))
    return pages


def _other_generated_pages(
    site_dir: Path, docs_dir: Path, base: str, directory_urls: bool, clusters: list[str]
) -> list[str]:
    """Every other page made by the plugin: those with no Markdown source in docs_dir."""
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        path = html.relative_to(site_dir).as_posix()
        if path in ("404.html", "search.html") or path.startswith(("assets/", "search/")):
            continue
        stem = path.removesuffix(".html")
        if directory_urls:
            stem = stem.removesuffix("index").rstrip("/") or "index"
        sources = (f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md")
        url = _url(site_dir, html, base, directory_urls)
        if url not in clusters and not any((docs_dir / s).is_file() for s in sources):
            pages.append(url)
    return pages


# --- the sites --------------------------------------------------------------------------------


def _fixture_library(site: Site, hostile: bool) -> None:
    """Two small playlists whose clusters overflow "View all", links to artist/label pages, art."""
    art = "https://i.scdn.co/image/ab67616d00004851{:04d}"
    tracks = blob_tracks(36, THREE_SOUNDS, prefix="Road ", album="Highway Songs",
                         artists=["The Hosts", "Kyra & The Comets", "Nobody With A Page"],
                         label="EMI, Мир Звука", liked=True, popularity=50)
    for i, track in enumerate(tracks):
        track["image"] = art.format(i)
        track["genres"] = ["indie rock"]  # a genre page in the fixture sites too
    site.write("data/road-trip.yml", playlist_yaml("Road Trip", tracks))
    site.write("data/late.yml", playlist_yaml(
        "Late Night", blob_tracks(12, THREE_SOUNDS[:2], seed=1, prefix="Late ",
                                  artists=["The Hosts"], rank=1)))
    site.write("docs/artists/the_hosts/overview.md", "# The Hosts\n")
    site.write("docs/artists/favourites/kyra.md",
               "---\nartist: Kyra & The Comets\n---\n\n# Kyra & The Comets\n")
    site.write("docs/labels/emi/overview.md", "# EMI\n")
    site.write("docs/labels/мир_звука/overview.md", "# Мир Звука\n")
    if hostile:
        rows = []
        for i, track in enumerate(blob_tracks(24, THREE_SOUNDS, seed=2, prefix="H")):
            name = HOSTILE[i % len(HOSTILE)]
            # HOSTILE[0] and [7] are on every row: they get generated artist and label pages.
            track.update(track=f"{name} #{i}", album=name,
                         artists=[name, "The Hosts", HOSTILE[0]],
                         label=f"{name}; EMI; {HOSTILE[7]}", image=["javascript:alert(9)",
                         "https://x.test/a.png\" onerror=\"alert(10)", None][i % 3])
            rows.append(track)
        site.write("data/hostile.yml", playlist_yaml(
            "<script>alert('playlist')</script> <img src=x onerror=alert(11)>", rows))


#: Every page beyond the playlists' switched on (as in the example site).
MORE_PAGES = {"library": True, "labels": True, "genres": True, "index": True,
              "artist_pages": True, "label_pages": True, "appears_in": True}

#: key → (theme, use_directory_urls, hostile names, MORE_PAGES); the new pages in one site of
#: each URL style (and in the example site), to keep the suite quick.
CONFIGURATIONS = {
    "mkdocs-dirurls": ("mkdocs", True, True, True),
    "mkdocs-files": ("mkdocs", False, False, False),
    "material-dirurls": ("material", True, True, False),
    "material-files": ("material", False, False, True),
}
SITES = ["example", *CONFIGURATIONS]
#: The sites with the pages beyond the playlists'.
MORE_SITES = ["example", *(key for key, c in CONFIGURATIONS.items() if c[3])]


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Served]]:
    """`served(key)`: that site, built on first use and served until the session ends."""
    cache: dict[str, Served] = {}
    servers: list[ThreadingHTTPServer] = []

    def build(key: str) -> Served:
        if key in cache:
            return cache[key]
        cache[key] = _build(key, tmp_path_factory.mktemp(f"site-{key}"), servers)
        return cache[key]

    yield build
    for server in servers:
        server.shutdown()
        server.server_close()


def _build(key: str, out: Path, servers: list[ThreadingHTTPServer]) -> Served:
    """Build one configuration in strict mode and serve it."""
    if key == "example":
        result = Site(ROOT).build(strict=True, site_dir=out / "site")
        theme, directory_urls, hostile = "material", True, False
    else:
        theme, directory_urls, hostile, more = CONFIGURATIONS[key]
        site = Site(out / "project")
        site.write("docs/index.md", "# Home\n")
        _fixture_library(site, hostile)
        # MkDocs' theme fetches highlight.js from a CDN unless told not to: offline here.
        extra = {"highlightjs": False} if theme == "mkdocs" else {}
        site.configure(plugin={"representatives": 5, **(MORE_PAGES if more else {})},
                       theme={"name": theme, **extra},
                       use_directory_urls=directory_urls)
        result = site.build(strict=True)
    assert result.error is None, result.warnings
    server, base = _serve(result.site_dir)
    servers.append(server)
    pages = _generated_pages(result.site_dir, base, directory_urls)
    docs = ROOT / "example_site/docs" if key == "example" else out / "project/docs"
    others = _other_generated_pages(result.site_dir, docs, base, directory_urls, pages)
    return Served(key, result.site_dir, base, pages, theme, directory_urls, hostile, others,
                  sample=key == "example")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


# --- visiting ---------------------------------------------------------------------------------


@dataclass
class PageVisit:
    """What the browser saw on one page (plus what happened when "View all" was opened)."""

    url: str
    clusters: bool = True
    """A "Clusters in …" page (else the index, or a generated artist or label page)."""
    title: str = ""
    failed: list[str] = field(default_factory=list)
    """Requests to the site itself that failed or answered 4xx/5xx."""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pwned: Any = None
    images: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    headings: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    """Each entry of the legend under the figure: its marker's fill and size, link and text."""
    details: list[dict[str, Any]] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)
    phone_widths: tuple[int, int] = (0, 0)
    """The page's scroll width and the viewport's width at 390 px."""


def same_site(url: str, base: str) -> bool:
    return url.startswith(base)


def new_context(browser: Any, served: Served, **options: Any) -> Any:
    """A browser context (desktop unless told otherwise) whose requests leave only to the site."""
    ctx = browser.new_context(**{**DESKTOP, **options})
    ctx.route(lambda url: not same_site(url, served.base), lambda route: route.abort())
    return ctx


def watch(page: Any, served: Served) -> PageVisit:
    """Record the page's failed requests, console errors, uncaught errors and dialogs."""
    visit = PageVisit(url="")

    def on_response(response: Any) -> None:
        if same_site(response.url, served.base) and response.status >= 400:
            visit.failed.append(f"{response.status} {response.url}")

    def on_failed(request: Any) -> None:
        # ERR_ABORTED: a fetch cut short by leaving the page (a missing file answers 404).
        if same_site(request.url, served.base) and request.failure != "net::ERR_ABORTED":
            visit.failed.append(f"{request.failure} {request.url}")

    def on_console(message: Any) -> None:
        # Errors about the aborted external requests (fonts, album art) are expected here.
        source = (message.location or {}).get("url", "")
        if message.type == "error" and (not source or same_site(source, served.base)):
            visit.console_errors.append(f"{message.text} ({source})")

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    return visit


_INSPECT = """() => {
  const abs = (u) => u ? new URL(u, document.baseURI).href : u;
  const images = [...document.querySelectorAll('img')].map((img) => ({
    src: img.getAttribute('src'), url: img.currentSrc || abs(img.getAttribute('src')),
    alt: img.getAttribute('alt'), width: img.getAttribute('width'),
    height: img.getAttribute('height'), loading: img.getAttribute('loading'),
    complete: img.complete, naturalWidth: img.naturalWidth,
    inFigure: !!img.closest('.clusters-figure'),
  }));
  const links = [];
  for (const a of document.querySelectorAll('article a[href], .md-content a[href], [role=main] a[href]')) {
    let column = null;
    const cell = a.closest('td');
    if (cell) {
      const table = cell.closest('table');
      const th = table.querySelectorAll('thead th')[cell.cellIndex];
      column = th ? th.textContent.trim() : null;
    }
    links.push({href: a.getAttribute('href'), url: a.href, text: a.textContent.trim(),
                name: a.getAttribute('aria-label') || a.textContent.trim(), column});
  }
  const headings = [...document.querySelectorAll('article h1, article h2, article h3, .md-content h1, .md-content h2, .md-content h3, [role=main] h1, [role=main] h2, [role=main] h3')]
    .filter((h, i, all) => all.indexOf(h) === i)
    .map((h) => ({level: +h.tagName[1], text: h.textContent.replace(/¶/g, '').trim(), id: h.id,
                  marker: (() => { const m = h.querySelector('svg.clusters-marker');
                    return m ? {fill: m.getAttribute('fill'), hidden: m.getAttribute('aria-hidden'),
                                width: m.getBoundingClientRect().width,
                                left: m.getBoundingClientRect().left,
                                textLeft: (() => { const r = document.createRange();
                                  r.selectNodeContents(h); return r.getBoundingClientRect().left; })()
                               } : null; })()}));
  const dangerous = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const v = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on') && el.closest('article, .md-content, [role=main]'))
        dangerous.push(`${el.tagName} ${attr.name}=${attr.value}`);
      if ((attr.name === 'href' || attr.name === 'src') && v.startsWith('javascript:'))
        dangerous.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  for (const el of document.querySelectorAll('article iframe, article script, .md-content iframe, .md-content script, [role=main] iframe, [role=main] script'))
    dangerous.push(el.outerHTML.slice(0, 80));
  const legend = [...document.querySelectorAll('.clusters-legend li')].map((li) => {
    const m = li.querySelector('svg.clusters-marker'), a = li.querySelector('a');
    return {fill: m && m.getAttribute('fill'), hidden: m && m.getAttribute('aria-hidden'),
            width: m ? m.getBoundingClientRect().width : 0, href: a && a.getAttribute('href'),
            text: a && a.textContent.trim(), fontSize: parseFloat(getComputedStyle(li).fontSize)};
  });
  return {title: document.title, images, links, headings, legend, dangerous,
          pwned: window.__pwned ?? null};
}"""

_VIEW_ALL = """async () => {
  const out = [];
  for (const d of document.querySelectorAll('details.clusters-rest')) {
    const rows = [...d.querySelectorAll('tbody tr')];
    // checkVisibility(): a closed <details> still lays its content out, hidden.
    const hiddenBefore = rows.every((r) => !r.checkVisibility());
    const summary = d.querySelector('summary');
    summary.scrollIntoView();
    out.push({summary: summary.textContent.trim(), hiddenBefore, rows: rows.length});
  }
  return out;
}"""


def visit_generated_page(ctx: Any, served: Served, url: str) -> PageVisit:
    page = ctx.new_page()
    visit = watch(page, served)
    visit.url = url
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        details = page.evaluate(_VIEW_ALL)
        # Open each "View all" as a reader does: a click on its summary.
        summaries = page.locator("details.clusters-rest > summary")
        for i, info in enumerate(details):
            summaries.nth(i).click()
            rest = page.locator("details.clusters-rest").nth(i)
            info["open"] = rest.evaluate("(d) => d.open")
            info["visible"] = rest.locator("tbody tr").evaluate_all(
                "(rows) => rows.filter((r) => r.checkVisibility()).length")
        visit.details = details
        seen = page.evaluate(_INSPECT)
        visit.title = seen["title"]
        visit.images, visit.links = seen["images"], seen["links"]
        visit.headings, visit.legend, visit.dangerous, visit.pwned = (
            seen["headings"], seen["legend"], seen["dangerous"], seen["pwned"])
        # The same page on a phone-wide viewport, every "View all" open.
        page.set_viewport_size(PHONE["viewport"])
        visit.phone_widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    finally:
        page.close()
    return visit


@pytest.fixture(scope="session")
def visits(chromium: Any, served: Callable[[str], Served]) -> Callable[[str], list[PageVisit]]:
    """`visits(key)`: the generated pages of that site (`Served.visited`, clusters pages
    first), each visited once per session."""
    cache: dict[str, list[PageVisit]] = {}

    def get(key: str) -> list[PageVisit]:
        if key not in cache:
            site = served(key)
            assert site.pages, f"{key}: no generated page"
            ctx = new_context(chromium, site)
            try:
                cache[key] = []
                for url in site.visited():
                    visit = visit_generated_page(ctx, site, url)
                    visit.clusters = url in site.pages
                    cache[key].append(visit)
            finally:
                ctx.close()
        return cache[key]

    return get
