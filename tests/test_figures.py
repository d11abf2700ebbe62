"""The figure: one path of markers per cluster, axes' words and no other text, and bytes that
depend on the clustering only (not on the machine's settings, nor on earlier figures)."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from conftest import FEATURES, ROOT, THREE_SOUNDS

from mkdocs_clusters.cluster import COLOURS, fit_clusters
from mkdocs_clusters.features import build_features
from mkdocs_clusters.figures import draw_scatter
from mkdocs_clusters.model import Clustering, Playlist, Track

#: A fourth sound for a playlist unlike THREE_SOUNDS': quiet, sad and spoken.
SPOKEN = [0.3, 0.2, 0.9, 0.6, 0.0, 0.3, 0.1]


def _clustering(
    count: int = 30, seed: int = 1, sounds: Sequence[Sequence[float]] = tuple(THREE_SOUNDS)
) -> Clustering:
    rng = np.random.default_rng(seed)
    tracks = []
    for i in range(count):
        centre = np.array(sounds[i % len(sounds)])
        values = np.clip(centre + rng.normal(0, 0.03, 7), 0, 1)
        tracks.append(Track(name=f"T{i}", key=f"k{i}", artists=("<b>$uicideboy$</b>",),
                            features=dict(zip(FEATURES, values.tolist(), strict=True))))
    table, _ = build_features(Playlist("P", "p.yml", tuple(tracks)), FEATURES)
    return fit_clusters(table, max_clusters=4, fixed=None, random_state=0)


def test_each_cluster_is_one_path_of_its_points_in_its_colour() -> None:
    clustering = _clustering()
    svg = draw_scatter(clustering).decode()
    points = re.findall(r'<path d="(M [^"]*)"[^>]*style="fill: (#[0-9a-f]{6}); stroke: #ffffff',
                        svg)
    assert [colour for _, colour in points] == [c.colour.lower() for c in clustering.clusters]
    assert [colour.upper() for _, colour in points] == list(COLOURS[: len(points)])
    # One closed marker outline per track.
    assert [d.count("M ") for d, _ in points] == [len(c.members) for c in clustering.clusters]
    assert [d.count("z") for d, _ in points] == [len(c.members) for c in clustering.clusters]


def test_the_only_text_is_the_axes_words() -> None:
    clustering = _clustering()
    svg = draw_scatter(clustering).decode()
    (x_low, x_high), (y_low, y_high) = clustering.axis_words
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert [t.split("\u00a0")[0] for t in texts] == [x_low, y_low]
    assert [t.split("\u00a0")[-1] for t in texts] == [x_high, y_high]
    # In the font matplotlib measured them with; names from data are the page's text
    # (render.legend), never the figure's.
    assert set(re.findall(r"font-family: ([^;\"]*)", svg)) == {"'DejaVu Sans', sans-serif"}
    assert "uicideboy" not in svg and "<b>" not in svg


def test_the_machines_matplotlib_settings_do_not_change_the_figure() -> None:
    import matplotlib
    import matplotlib.style

    clustering = _clustering()
    before = draw_scatter(clustering)
    with matplotlib.rc_context({"font.size": 20, "axes.linewidth": 3, "font.family": "serif",
                                "lines.markersize": 12, "patch.linewidth": 4,
                                "svg.fonttype": "path", "path.simplify_threshold": 1}):
        assert draw_scatter(clustering) == before
    with matplotlib.style.context("dark_background"):
        assert draw_scatter(clustering) == before


#: Draws each pickled clustering in order (after changing the process's matplotlib settings,
#: as another plugin might before our first figure) and writes the last figure's bytes.
_DRAW = """
import pickle, sys
import matplotlib, matplotlib.style
matplotlib.style.use("ggplot")
matplotlib.rcParams.update({"font.family": "serif", "lines.solid_capstyle": "round"})
from mkdocs_clusters.figures import draw_scatter
for clustering in pickle.loads(open(sys.argv[1], "rb").read()):
    svg = draw_scatter(clustering)
open(sys.argv[2], "wb").write(svg)
"""


def _draw_in_a_fresh_process(clusterings: list[Clustering], tmp_path: Path, name: str) -> bytes:
    source, out = tmp_path / f"{name}.pickle", tmp_path / f"{name}.svg"
    source.write_bytes(pickle.dumps(clusterings))
    subprocess.run([sys.executable, "-c", _DRAW, source, out], check=True, cwd=ROOT,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return out.read_bytes()


def test_a_figure_does_not_depend_on_the_figures_drawn_before_it(tmp_path: Path) -> None:
    # The process reuses one figure: A (more tracks, four sounds, other limits and words)
    # drawn before B must leave nothing in B.
    a, b = _clustering(80, 5, (*THREE_SOUNDS, SPOKEN)), _clustering()
    assert len(a.clusters) != len(b.clusters) and a.axis_words != b.axis_words
    after_a = _draw_in_a_fresh_process([a, b], tmp_path, "after-a")
    alone = _draw_in_a_fresh_process([b], tmp_path, "alone")
    assert after_a == alone
    # The same bytes in this process (settings untouched) and in another run.
    assert draw_scatter(b) == alone == _draw_in_a_fresh_process([b], tmp_path, "again")
