"""The scatter figure of a playlist's clusters (matplotlib lives here, object API only)."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .model import Clustering

#: The axes, ticks, labels and legend text are drawn in this placeholder colour, then written
#: as `currentColor`: the SVG's own stylesheet (`INK_STYLE`) picks the ink from the colour
#: scheme the figure is shown in. The background stays transparent, so the figure takes the
#: page's colour. (Drawn colours never equal it: cluster colours come from `cluster.COLOURS`.)
INK = "#808080"

#: Dark grey on light pages (6.4:1 on white), light grey on dark ones (6.8:1 on Material's
#: slate): a single grey can reach at best 4:1 on both, too little for 8-px tick labels.
#: Browsers evaluate the media query against the scheme of the page around the `<img>`.
INK_STYLE = (
    "<style>svg{color:#5f5f5f}"
    "@media (prefers-color-scheme: dark){svg{color:#a8a8a8}}</style>"
)


def draw_scatter(clustering: Clustering) -> bytes:
    """An SVG of the tracks on the first two principal components, coloured by cluster.

    The bytes depend only on the clustering: no date, fixed ids, text kept as text (so the
    reader's fonts render every script and the file stays small).
    """
    figure = Figure(figsize=(8, 5.2))
    # Fixed margins (room for the legend on the right): constrained layout would cost more
    # than the rest of the drawing.
    figure.subplots_adjust(left=0.085, right=0.79, bottom=0.11, top=0.97)
    figure.patch.set_alpha(0)
    axes = figure.add_subplot()
    axes.set_facecolor("none")
    for cluster in clustering.clusters:
        points = [clustering.xy[i] for i in cluster.members]
        axes.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=36,
            c=cluster.colour,
            marker=cluster.marker,
            edgecolors="white",
            linewidths=0.4,
            label=f"Cluster #{cluster.number} ({len(cluster.members)})",
        )
    (x_low, x_high), (y_low, y_high) = clustering.axis_words
    axes.set_xlabel(_axis_label(x_low, x_high), color=INK, fontsize=11)
    axes.set_ylabel(_axis_label(y_low, y_high), color=INK, fontsize=11)
    axes.tick_params(colors=INK, labelsize=9)
    for spine in axes.spines.values():
        spine.set_color(INK)
    axes.grid(True, color=INK, alpha=0.2, linewidth=0.5)
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=10, labelcolor=INK
    )
    legend.set_title("Clusters", prop={"size": 10})
    legend.get_title().set_color(INK)

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mkdocs-clusters", "svg.fonttype": "none"}):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return _follow_scheme(buffer.getvalue())


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
