"""How a cluster page looks: the figure legible on light and dark pages, and screenshots of
desktop light, desktop dark and phone saved to `screenshots/` for a developer to open.

`CLUSTERS_README_IMAGES=1` also writes the README's cropped copies to `docs/images/`.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from typing import Any

import numpy as np
import pytest
from conftest import ROOT
from PIL import Image

from .conftest import PHONE, SCREENSHOTS, Served, new_context, watch

pytestmark = pytest.mark.browser

PAGE = "playlists/road_trip/clusters/"
README_IMAGES = ROOT / "docs" / "images"


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (last axis: r, g, b in 0..255)."""
    c = np.asarray(rgb, dtype=float)[..., :3] / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def _figure_ink(png: bytes) -> tuple[float, float]:
    """The luminance of the page behind the figure, and the best contrast of its text on it.

    The strip at the bottom holds only ink (the frame's lower edge and the axis' words), and
    the background is the figure's most common colour (the SVG is transparent).
    """
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    colours, counts = np.unique(pixels.reshape(-1, 3), axis=0, return_counts=True)
    background = float(_luminance(colours[counts.argmax()]))
    strip = _luminance(pixels[int(pixels.shape[0] * 0.905):])
    high, low = np.maximum(strip, background), np.minimum(strip, background)
    return background, float(((high + 0.05) / (low + 0.05)).max())


def _shoot_figure(chromium: Any, site: Served, url: str, scheme: str, toggle: bool) -> bytes:
    ctx = new_context(chromium, site, color_scheme=scheme, device_scale_factor=2)
    try:
        page = ctx.new_page()
        seen = watch(page, site)
        page.goto(url, wait_until="load")
        if toggle:
            # The reader flips Material's palette switch in the header.
            page.locator("form[data-md-component=palette] label:visible").click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        figure = page.locator(".clusters-figure img")
        figure.scroll_into_view_if_needed()
        png = figure.screenshot(animations="disabled")
        assert seen.console_errors == [] and seen.failed == []
        return png
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("key", "scheme", "toggle", "dark"),
    [
        ("example", "light", False, False),  # Material, default palette
        ("example", "dark", False, True),  # Material's slate, chosen by the OS setting
        ("example", "light", True, True),  # slate, chosen with the header's switch
        ("mkdocs-files", "dark", False, False),  # MkDocs' theme stays light on a dark OS
    ],
    ids=["material-light", "material-slate", "material-switched-to-slate", "mkdocs-dark-os"],
)
def test_figure_text_is_legible(
    chromium: Any, served: Any, key: str, scheme: str, toggle: bool, dark: bool
) -> None:
    site: Served = served(key)
    png = _shoot_figure(chromium, site, site.pages[0], scheme, toggle)
    background, contrast = _figure_ink(png)
    assert (background < 0.1) == dark, background
    # WCAG AA for text of normal size: the axis' words.
    assert contrast >= 4.5, (background, contrast)


def _art_tile(url: str) -> bytes:
    """A stand-in for album art (the CDN is out of reach here): a tile coloured by its URL."""
    digest = hashlib.sha256(url.encode()).digest()
    image = Image.new("RGB", (64, 64), tuple(64 + b % 160 for b in digest[:3]))
    image.paste(tuple(32 + b % 200 for b in digest[3:6]), (0, 40, 64, 64))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


VIEWS = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "phone": {**PHONE, "color_scheme": "light"},
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_screenshots_of_a_cluster_page(chromium: Any, served: Any, view: str) -> None:
    site: Served = served("example")
    ctx = new_context(chromium, site, **VIEWS[view])
    ctx.route(re.compile(r"^https://(picsum\.photos|i\.scdn\.co)/"),
              lambda route: route.fulfill(content_type="image/png", body=_art_tile(route.request.url)))
    try:
        page = ctx.new_page()
        seen = watch(page, site)
        page.goto(site.url(PAGE), wait_until="load")
        # A full-page screenshot shows every row: load the lazy album art now.
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((i) => i.loading = 'eager')")
        page.wait_for_function("[...document.images].every((i) => i.complete)", timeout=10_000)
        # Loaded album art (stand-ins) and figure: nothing shows as a broken image.
        broken = page.evaluate("[...document.images].filter((i) => !i.naturalWidth).length")
        assert broken == 0
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"cluster-page-{view}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        assert seen.console_errors == [] and seen.failed == [] and seen.page_errors == []
    finally:
        ctx.close()
    image = Image.open(path)
    width = VIEWS[view].get("viewport", {"width": 1280})["width"]
    scale = VIEWS[view].get("device_scale_factor", 1)
    assert image.width == width * scale and image.height > 1000
    if os.environ.get("CLUSTERS_README_IMAGES"):
        _readme_copy(image, view)


def _readme_copy(image: Image.Image, view: str) -> None:
    """The top of the page (title, figure, first cluster), small enough for the README."""
    README_IMAGES.mkdir(parents=True, exist_ok=True)
    height = {"light": 1500, "dark": 1500, "phone": 3000}[view]
    top = image.crop((0, 0, image.width, min(height, image.height)))
    if view == "phone":
        top = top.resize((top.width // 2, top.height // 2), Image.LANCZOS)
    path = README_IMAGES / f"cluster-page-{view}.png"
    top.convert("RGB").save(path, optimize=True)
    assert path.stat().st_size < 400_000, path
