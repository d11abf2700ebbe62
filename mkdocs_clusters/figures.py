"""The scatter figure of a playlist's clusters (matplotlib lives here, object API only).

The figure holds the points and the words of its axes; its legend is the page's own text,
right under it (`render.legend`).
"""

from __future__ import annotations

import functools
import io

import matplotlib
import matplotlib.style
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, IdentityTransform

from .model import Clustering

#: The frame, centre lines and words are drawn in this placeholder colour, then written as
#: `currentColor`: the SVG's own stylesheet (`INK_STYLE`) picks the ink from the colour scheme
#: the figure is shown in. The background stays transparent, so the figure takes the page's
#: colour. (Drawn colours never equal it: cluster colours come from `cluster.COLOURS`.)
INK = "#808080"

#: Dark grey on light pages (6.4:1 on white), light grey on dark ones (6.8:1 on Material's
#: slate): a single grey can reach at best 4:1 on both.
#: Browsers evaluate the media query against the scheme of the page around the `<img>`.
INK_STYLE = (
    "<style>svg{color:#5f5f5f}"
    "@media (prefers-color-scheme: dark){svg{color:#a8a8a8}}</style>"
)

#: On top of matplotlib's defaults: fixed ids, and text kept as text (the browser draws it) in
#: DejaVu Sans, the font matplotlib measures with (it ships with matplotlib, so the layout is
#: the same on every machine).
_SVG_SETTINGS = {"svg.hashsalt": "mkdocs-clusters", "svg.fonttype": "none",
                 "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}

#: A point's marker, in points (the area of the seed's `s=36`).
MARKER_SIZE = 6.0

#: Points are placed to 0.1 pt (0.13 CSS px at the figure's full width): 2 decimals made the
#: SVGs 14% larger (median 22.4 against 19.6 KiB over 30 playlists), for no visible change.
_DECIMALS = 1


def draw_scatter(clustering: Clustering) -> bytes:
    """An SVG of the tracks on the first two principal components, coloured and shaped by
    cluster.

    The bytes depend only on the clustering: no date, fixed ids, and matplotlib's own defaults
    rather than the machine's settings (a `matplotlibrc`, another plugin's style). One figure
    is built per process and redrawn for every clustering (`_Scatter`), so this function is
    not thread-safe: the pipeline draws in worker processes, each with its own figure.
    """
    with matplotlib.style.context("default"), matplotlib.rc_context(_SVG_SETTINGS):
        return _scatter().draw(clustering)


@functools.cache
def _scatter() -> _Scatter:
    """The process's one figure, built on first use (under `draw_scatter`'s settings)."""
    return _Scatter()


class _Scatter:
    """A figure built once, whose points, words and limits every draw replaces.

    A fresh figure per draw took 13.0 ms, this one 6.4 ms (median over 30 playlists of 137
    to 266 tracks, benchmarks/synth.py's library). A draw sets everything that differs between
    clusterings, so the bytes never depend on what was drawn before (tests/test_figures.py
    draws A then B and compares B with B drawn by a fresh process).
    """

    def __init__(self) -> None:
        # 72 dpi, the SVG backend's: display coordinates are the SVG's points (see `draw`).
        self.figure = Figure(figsize=(8, 5.6), dpi=72)
        self.figure.patch.set_alpha(0)
        self.canvas = FigureCanvasSVG(self.figure)
        left, bottom, margin = 0.05, 0.075, 0.015
        self.axes: Axes = self.figure.add_axes((left, bottom, 1 - margin - left,
                                                1 - margin - bottom))
        # No axis machinery: ticks in principal-component units mean nothing to a reader, and
        # ticks and their labels took about 45% of the previous figure's time (profiled). A
        # light frame, and the axes' words as two texts.
        self.axes.set_axis_off()
        self.axes.add_artist(Rectangle((0, 0), 1, 1, transform=self.axes.transAxes, fill=False,
                                       edgecolor=INK, alpha=0.5, linewidth=0.8))
        words = {"color": INK, "fontsize": 12, "ha": "center", "va": "center"}
        self.x_words = self.figure.text((1 - margin + left) / 2, bottom / 2, "", **words)
        self.y_words = self.figure.text(left / 2, (1 - margin + bottom) / 2, "", rotation=90,
                                        **words)
        # A faint cross at the playlist's average (the principal components are centred on
        # it), under the points.
        for line in (self.axes.axhline(0), self.axes.axvline(0)):
            line.set(color=INK, alpha=0.3, linewidth=0.6, zorder=0)
        self.points: list[PathPatch] = []

    def draw(self, clustering: Clustering) -> bytes:
        for patch in self.points:
            patch.remove()
        self.axes.set_xlim(*_limits([x for x, _ in clustering.xy]))
        self.axes.set_ylim(*_limits([y for _, y in clustering.xy]))
        centres = self.axes.transData.transform(np.array(clustering.xy).reshape(-1, 2))
        self.points = [self._cluster(centres[list(c.members)], c.marker, c.colour)
                       for c in clustering.clusters]
        (x_low, x_high), (y_low, y_high) = clustering.axis_words
        self.x_words.set_text(_axis_label(x_low, x_high))
        self.y_words.set_text(_axis_label(y_low, y_high))
        buffer = io.BytesIO()
        self.canvas.print_svg(buffer, metadata={"Date": None, "Creator": None})
        return _follow_scheme(buffer.getvalue())

    def _cluster(self, centres: np.ndarray, marker: str, colour: str) -> PathPatch:
        """A cluster's points as one path of markers (in display coordinates, the SVG's).

        matplotlib's own markers write one `<use>` per point with its own style, built point
        by point in Python: 9.7 ms per figure against 6.4 (medians as in `_Scatter`). Their
        SVGs are larger (28.5 against 19.6 KiB) but gzip better (3.9 against 6.0 KiB).
        """
        shape = _shape(marker)
        vertices = centres[:, None, :] + shape.vertices[None]
        path = Path(np.round(vertices.reshape(-1, 2), _DECIMALS),
                    np.tile(shape.codes, len(centres)))
        patch = PathPatch(path, transform=IdentityTransform(), facecolor=colour,
                          edgecolor="white", linewidth=0.4, joinstyle="round", zorder=2)
        self.axes.add_artist(patch)
        return patch


#: A circle of four cubic Béziers (0.03% off a true circle): matplotlib's has eight, which made
#: the SVGs half as large again (29.3 against 19.6 KiB); circles are each largest cluster.
_ARC = 0.5523
_CIRCLE = Path(
    [(0, -1), (_ARC, -1), (1, -_ARC), (1, 0), (1, _ARC), (_ARC, 1), (0, 1), (-_ARC, 1),
     (-1, _ARC), (-1, 0), (-1, -_ARC), (-_ARC, -1), (0, -1), (0, -1)],
    [Path.MOVETO, *[Path.CURVE4] * 12, Path.CLOSEPOLY],
)


@functools.cache
def _shape(marker: str) -> Path:
    """A matplotlib marker's outline at `MARKER_SIZE`, in points around 0,0."""
    style = MarkerStyle(marker)
    path = _CIRCLE if marker == "o" else style.get_path()
    return path.transformed(style.get_transform() + Affine2D().scale(MARKER_SIZE))


def _limits(values: list[float]) -> tuple[float, float]:
    """The values' range with matplotlib's default margins (5% each side); -1..1 around a
    single value (tracks that all sound the same sit at 0)."""
    low, high = min(values), max(values)
    margin = 0.05 * (high - low) or 1.0
    return low - margin, high + margin


def _follow_scheme(svg: bytes) -> bytes:
    """Turn the placeholder ink into `currentColor` and add the stylesheet that sets it."""
    svg = svg.replace(INK.encode(), b"currentColor")
    start = svg.index(b"<svg")
    end = svg.index(b">", start) + 1
    return svg[:end] + b"\n " + INK_STYLE.encode() + svg[end:]


def _axis_label(low: str, high: str) -> str:
    if not low and not high:
        return ""
    # No-break spaces: SVG collapses ordinary runs of spaces.
    gap = "\u00a0" * 4
    return f"{low}{gap}←{gap}→{gap}{high}"
