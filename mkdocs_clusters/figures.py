"""The scatter figure of a playlist's clusters (matplotlib lives here, object API only)."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .model import Clustering

#: Mid grey reads on a white page and on Material's dark (slate) page alike; the background
#: stays transparent so the figure takes the page's colour.
INK = "#808080"


def draw_scatter(clustering: Clustering) -> bytes:
    """An SVG of the tracks on the first two principal components, coloured by cluster.

    The bytes depend only on the clustering: no date, fixed ids, text kept as text (so the
    reader's fonts render every script and the file stays small).
    """
    figure = Figure(figsize=(8, 5.2))
    # Fixed margins (room for the legend on the right): constrained layout would cost more
    # than the rest of the drawing.
    figure.subplots_adjust(left=0.08, right=0.8, bottom=0.1, top=0.97)
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
    axes.set_xlabel(_axis_label(x_low, x_high), color=INK)
    axes.set_ylabel(_axis_label(y_low, y_high), color=INK)
    axes.tick_params(colors=INK, labelsize=8)
    for spine in axes.spines.values():
        spine.set_color(INK)
    axes.grid(True, color=INK, alpha=0.2, linewidth=0.5)
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9, labelcolor=INK
    )
    legend.set_title("Clusters", prop={"size": 9})
    legend.get_title().set_color(INK)

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mkdocs-clusters", "svg.fonttype": "none"}):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _axis_label(low: str, high: str) -> str:
    if not low and not high:
        return ""
    # No-break spaces: SVG collapses ordinary runs of spaces.
    gap = "\u00a0" * 4
    return f"{low}{gap}←{gap}→{gap}{high}"
