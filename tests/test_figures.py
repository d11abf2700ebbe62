"""The figure with names from data: drawn as plain text, whatever the name holds."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pytest
from conftest import FEATURES, THREE_SOUNDS

from mkdocs_clusters.cluster import fit_clusters
from mkdocs_clusters.features import build_features
from mkdocs_clusters.figures import draw_scatter
from mkdocs_clusters.model import Playlist, Track


def _clustering(artist: str):
    rng = np.random.default_rng(1)
    tracks = []
    for i in range(30):
        centre = np.array(THREE_SOUNDS[i % 3])
        values = np.clip(centre + rng.normal(0, 0.03, 7), 0, 1)
        tracks.append(Track(name=f"T{i}", key=f"k{i}", artists=(artist,),
                            features=dict(zip(FEATURES, values.tolist(), strict=True))))
    table, _ = build_features(Playlist("P", "p.yml", tuple(tracks)), FEATURES)
    return fit_clusters(table, max_clusters=4, fixed=None, random_state=0)


@pytest.mark.parametrize(
    ("artist", "shown"),
    [
        ("$uicideboy$", "$uicideboy$"),  # a real artist: not mathematics
        ("a $\\frac{ b$", "a $\\frac{ b$"),  # broken mathtext must not stop the build
        ("Tab\there\x07\u202e", "Tab here"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_artist_names_in_the_legend_are_plain_text(artist: str, shown: str) -> None:
    svg = draw_scatter(_clustering(artist)).decode()
    texts = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert shown in texts
    assert "<script" not in svg


def test_the_machines_matplotlib_settings_do_not_change_the_figure() -> None:
    import matplotlib

    clustering = _clustering("Someone")
    before = draw_scatter(clustering)
    with matplotlib.rc_context({"font.size": 20, "axes.linewidth": 3, "font.family": "serif",
                                "lines.markersize": 12}):
        assert draw_scatter(clustering) == before
