"""Names and profiles as Chromium draws them: every script without tofu, the profile's bars
in the page's own ink, light and dark."""

from __future__ import annotations

import os
from typing import Any

import pytest

from .conftest import ROOT, SCREENSHOTS, Served, new_context

README_IMAGES = ROOT / "docs" / "images"

#: A name in each script the pages must show. Each is compared with as many unassigned code
#: points (drawn as the missing-glyph box by any font): equal pictures mean tofu.
SCRIPTS = {
    "Japanese": "ミカ・ソラ 東京の夜",
    "Korean": "서울 브라더스",
    "Chinese": "周杰倫",
    "Hebrew": "שלום עליכם",
    "Arabic": "فيروز",
    "Cyrillic": "Дима Бит",
}
_UNASSIGNED = "\u0378"


@pytest.mark.browser
def test_every_script_renders_in_the_legend(chromium: Any, served: Any) -> None:
    """Names are the page's text (the figure holds none): the legend under the figure shows
    them in the theme's fonts, falling back on any installed font."""
    site: Served = served("example")
    ctx = new_context(chromium, site)
    page = ctx.new_page()
    page.goto(site.pages[0])
    artists = page.locator(".clusters-legend .clusters-artists").first
    tofu = []
    for script, sample in SCRIPTS.items():
        shots = []
        for text in (sample, "".join(" " if c == " " else _UNASSIGNED for c in sample)):
            artists.evaluate("(span, text) => { span.textContent = text; }", text)
            shots.append(artists.screenshot())
        if shots[0] == shots[1]:
            tofu.append(script)
    ctx.close()
    assert tofu == [], f"drawn as missing-glyph boxes: {tofu} (install fonts-noto-core, -cjk)"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_profiles_read_in_both_schemes(chromium: Any, served: Any, scheme: str) -> None:
    site: Served = served("example")
    ctx = new_context(chromium, site, color_scheme=scheme)
    page = ctx.new_page()
    page.goto(site.pages[0])
    found = page.evaluate("""() => [...document.querySelectorAll('h2[id^=cluster-]')].map((h) => {
        const profile = h.nextElementSibling.nextElementSibling;
        const rows = [...profile.querySelectorAll('.clusters-sound tbody tr')];
        const bar = profile.querySelector('svg.clusters-bar');
        const cell = bar.closest('td');
        return {heading: h.textContent.trim(), isProfile: profile.matches('.clusters-profile'),
                rows: rows.map((r) => [...r.cells].map((c) => c.textContent.trim())),
                barInk: getComputedStyle(bar).color, textInk: getComputedStyle(cell).color,
                barHidden: bar.getAttribute('aria-hidden'),
                barWidth: bar.getBoundingClientRect().width,
                common: profile.querySelector('.clusters-common')?.textContent ?? ''};
    })""")
    ctx.close()
    assert len(found) >= 2
    for cluster in found:
        assert cluster["isProfile"], cluster["heading"]
        assert " · " in cluster["heading"]
        # Every number is text: feature, this cluster, playlist, compared in words.
        for feature, mine, playlist, compared in cluster["rows"]:
            assert feature and compared.endswith(("higher", "lower", "the same")), compared
            for value in (mine, playlist):
                assert value.replace("\u00a0BPM", "").replace(".", "").isdigit(), value
        assert cluster["rows"][-1][0] == "Tempo"
        # The bars are drawn in the text's own ink, whatever the scheme.
        assert cluster["barInk"] == cluster["textInk"] and cluster["barHidden"] == "true"
        assert cluster["barWidth"] == 72
        assert "Artists:" in cluster["common"] and "Genres:" in cluster["common"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_a_named_profiled_cluster(chromium: Any, served: Any, scheme: str) -> None:
    """One cluster's heading, profile and first tracks, saved to `screenshots/` (and, with
    `CLUSTERS_README_IMAGES=1`, to `docs/images/` for the README)."""
    site: Served = served("example")
    ctx = new_context(chromium, site, color_scheme=scheme)
    page = ctx.new_page()
    page.goto(site.url("playlists/東京の夜/clusters/"))
    box = page.evaluate("""() => {
        const h = document.getElementById('cluster-2');
        const profile = h.parentElement.querySelector('#cluster-2 ~ .clusters-profile');
        const top = h.getBoundingClientRect().top + scrollY - 12;
        const bottom = profile.getBoundingClientRect().bottom + scrollY + 8;
        const left = h.getBoundingClientRect().left - 16;
        return {x: left, y: top, width: 760, height: bottom - top};
    }""")
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = page.screenshot(clip=box, full_page=True, animations="disabled")
    ctx.close()
    (SCREENSHOTS / f"cluster-profile-{scheme}.png").write_bytes(shot)
    assert box["height"] > 200
    if os.environ.get("CLUSTERS_README_IMAGES"):
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        (README_IMAGES / f"cluster-profile-{scheme}.png").write_bytes(shot)
