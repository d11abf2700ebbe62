"""The scatter figure of a playlist's clusters (matplotlib lives here, object API only)."""

from __future__ import annotations

import io
import math
import unicodedata
import warnings

import matplotlib
import matplotlib.style
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .explain import explain
from .model import Clustering

#: The fonts the reader's browser draws the figure's text with (the SVG keeps text as text):
#: DejaVu Sans first, the font matplotlib measures the text with (it ships with matplotlib, so
#: the layout is the same everywhere), then fonts that cover the scripts names come in: Noto
#: (Debian's fonts-noto-core and fonts-noto-cjk; Android, many Linux desktops), then the system
#: fonts of Windows and macOS for Latin, Cyrillic, Hebrew and Arabic (Segoe UI, Helvetica Neue
#: and Arial cover all four) and for Japanese, Korean and Chinese. Browsers take each character
#: from the first font in the list that has it, then from any installed font.
FONTS = (
    "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC",
    "Noto Sans Hebrew", "Noto Sans Arabic", "Segoe UI", "Helvetica Neue", "Arial",
    "Hiragino Sans", "Yu Gothic", "Apple SD Gothic Neo", "Malgun Gothic", "PingFang SC",
    "Microsoft YaHei",
)
#: A legend line is cut to this many columns (East Asian wide characters count two), so it
#: stays inside the figure whatever the reader's fonts.
LEGEND_COLUMNS = 44

# matplotlib measures text with DejaVu Sans only and warns about every character it lacks;
# the reader's browser draws those characters (see FONTS), so the warning says nothing useful.
warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)

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
    reader's fonts render every script and the file stays small), and matplotlib's own
    defaults rather than the machine's settings (a `matplotlibrc`, another plugin's style).
    """
    with matplotlib.style.context("default"):
        return _draw(clustering)


def _draw(clustering: Clustering) -> bytes:
    profiles = explain(clustering)
    columns = 1 if len(profiles) == 1 else 2
    rows = math.ceil(len(profiles) / columns)
    # The plot keeps its size; the legend below it grows with the number of clusters. Fixed
    # margins: constrained layout would cost more than the rest of the drawing.
    plot, legend_height = 5.4, 0.3 + 0.45 * rows
    height = plot + legend_height
    figure = Figure(figsize=(8, height))
    figure.subplots_adjust(left=0.085, right=0.98, bottom=(legend_height + 0.55) / height,
                           top=1 - 0.12 / height)
    figure.patch.set_alpha(0)
    axes = figure.add_subplot()
    axes.set_facecolor("none")
    for cluster, profile in zip(clustering.clusters, profiles, strict=True):
        points = [clustering.xy[i] for i in cluster.members]
        axes.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=36,
            c=cluster.colour,
            marker=cluster.marker,
            edgecolors="white",
            linewidths=0.4,
            label=_legend_label(cluster.number, profile.name, len(cluster.members),
                                [name for name, _ in profile.artists[:2]]),
        )
    (x_low, x_high), (y_low, y_high) = clustering.axis_words
    axes.set_xlabel(_axis_label(x_low, x_high), color=INK, fontsize=11)
    axes.set_ylabel(_axis_label(y_low, y_high), color=INK, fontsize=11)
    axes.tick_params(colors=INK, labelsize=9)
    for spine in axes.spines.values():
        spine.set_color(INK)
    axes.grid(True, color=INK, alpha=0.2, linewidth=0.5)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        # Row by row (#1 #2, then #3 #4): matplotlib fills a legend's columns top to bottom.
        order = _row_major(len(handles), rows)
        axes.legend(
            [handles[i] for i in order], [labels[i] for i in order],
            loc="upper left", bbox_to_anchor=(0, -0.55 / plot), frameon=False, fontsize=10,
            labelcolor=INK, ncols=columns, columnspacing=1.5, handletextpad=0.4,
            labelspacing=0.7, borderaxespad=0,
        )

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mkdocs-clusters", "svg.fonttype": "none",
                                "font.family": "sans-serif", "font.sans-serif": list(FONTS)}):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return _follow_scheme(buffer.getvalue())


def _row_major(count: int, rows: int) -> list[int]:
    """Indices of `count` legend entries in the order that makes matplotlib's column-major
    layout read row by row (#1 #2 on the first row, #3 #4 on the next)."""
    columns = math.ceil(count / rows) if rows else 0
    return [r * columns + c for c in range(columns) for r in range(rows) if r * columns + c < count]


def _legend_label(number: int, name: str, size: int, artists: list[str]) -> str:
    """`#1 Energetic · Danceable (20)` and, below, the cluster's most common artists."""
    first = f"#{number} {name} ({size})" if name else f"#{number} ({size} tracks)"
    lines = [first]
    if artists:
        lines.append(_cut(", ".join(_plain(a) for a in artists), LEGEND_COLUMNS))
    return "\n".join(lines)


def _plain(name: str) -> str:
    """A name from data as plain figure text: one line, no control or format characters, and
    every `$` escaped, or matplotlib would read "$uicideboy$" as mathematics (and fail on
    "$\\frac{$")."""
    one_line = " ".join(name.split())
    visible = "".join(c for c in one_line if unicodedata.category(c) not in ("Cc", "Cf"))
    return visible.replace("$", r"\$")


def _cut(value: str, columns: int) -> str:
    """The value, cut with "…" to at most `columns` display columns."""
    width = 0
    for i, char in enumerate(value):
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if width > columns:
            return value[:i].rstrip(" ,") + "…"
    return value


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
