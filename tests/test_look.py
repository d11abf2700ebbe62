"""The pages' look without a browser: heading markers, the figure's ink, the stylesheet."""

from __future__ import annotations

import re

import pytest

from mkdocs_clusters.cluster import COLOURS, MARKERS
from mkdocs_clusters.pipeline import stylesheet
from mkdocs_clusters.render import SHAPES, marker


def test_every_figure_marker_has_a_heading_shape() -> None:
    assert set(MARKERS) <= set(SHAPES)
    # Distinct shapes, so clusters stay apart without colour too.
    assert len({SHAPES[m] for m in MARKERS}) == len(MARKERS)


def test_marker_is_hidden_decoration_in_the_clusters_colour() -> None:
    svg = marker(COLOURS[0], MARKERS[2])
    assert svg.startswith('<svg class="clusters-marker"') and svg.endswith("</svg> ")
    assert f'fill="{COLOURS[0]}"' in svg and 'aria-hidden="true"' in svg
    assert SHAPES[MARKERS[2]] in svg


@pytest.mark.parametrize("colour", ['red" onload="alert(1)', "#12345", "url(#x)"])
def test_marker_refuses_anything_but_a_hex_colour(colour: str) -> None:
    with pytest.raises(ValueError, match="expected a colour"):
        marker(colour, "o")


def test_stylesheet_is_scoped_to_the_plugins_classes() -> None:
    css = re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.S)
    selectors = [s.strip() for s in re.findall(r"([^{}]+)\{", css)]
    assert selectors
    for group in selectors:
        for selector in re.split(r",(?![^()]*\))", group):  # commas outside :is(...)
            assert "clusters-" in selector, selector
