"""The Markdown of a "Clusters in <playlist>" page (strings only: no I/O, no MkDocs).

Every string that comes from data passes through `text()` or `attribute()` before it lands in
the page, so a name can never become markup, a link or a script.
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .explain import Profile, explain, separation
from .links import MEMO_SIZE, PageIndex, relative_link
from .model import Clustering, Track

# Every ASCII punctuation character: each means something to Markdown, one of its extensions
# (tables, attr_list, emoji, smarty's "--" and "...", magiclink's "www.", abbr), HTML or template
# plugins (macros' {{ }}); written as a numeric character reference, it reads as the same
# character and means nothing.
_SPECIAL = re.compile(r"[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@functools.lru_cache(maxsize=MEMO_SIZE)
def text(value: str) -> str:
    """Data text as inert Markdown that reads as the same text (newlines become spaces)."""
    value = " ".join(_CONTROL.sub(" ", value).split())
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", value)
    # A right-to-left name, or one holding bidi controls, must not reorder the text around it
    # (the commas between artists, "Clusters in"): isolate it.
    return f"<bdi>{escaped}</bdi>" if _needs_isolation(value) else escaped


def _needs_isolation(value: str) -> bool:
    return bool(_BIDI.search(value)) or any(
        unicodedata.bidirectional(c) in ("R", "AL") for c in value if c > "\u058f"
    )


@functools.lru_cache(maxsize=MEMO_SIZE)
def attribute(value: str) -> str:
    """Data text for a double-quoted HTML attribute inside a Markdown table."""
    value = " ".join(_CONTROL.sub(" ", _BIDI.sub("", value)).split())
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", value)


@functools.lru_cache(maxsize=MEMO_SIZE)
def web_url(value: str | None) -> str | None:
    """An http(s) URL from data, percent-encoded for an attribute; None for anything else."""
    if not value:
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _CONTROL.search(value):
        return None
    return html.escape(quote(value, safe=":/?#@!$&'()*+,;=%~[]"), quote=True).replace("|", "%7C")


@dataclass(frozen=True)
class PageContext:
    """Where the page is and what it may link to."""

    src_uri: str
    figure_src_uri: str
    pages: PageIndex
    representatives: int


def render_page(clustering: Clustering, context: PageContext) -> str:
    tracks = clustering.tracks
    name = text(clustering.playlist.name)
    columns = _columns(tracks)
    figure = relative_link(context.src_uri, context.figure_src_uri)
    profiles = explain(clustering)
    sizes = ", ".join(str(len(c.members)) for c in clustering.clusters)
    names = "; ".join(f"#{p.number} {attribute(p.name)}" for p in profiles if p.name)
    alt = (
        f"Scatter plot of the {len(tracks)} tracks of {attribute(clustering.playlist.name)} "
        f"on their first two principal components, in {len(clustering.clusters)} "
        f"clusters of {sizes} tracks" + (f" ({names})" if names else "")
    )
    # The wrapper lets the plugin's stylesheet give the figure the page's colour scheme.
    out = [*front_matter(f"Clusters in {clustering.playlist.name}"), f"# Clusters in {name}", "",
           '<div class="clusters-figure" markdown="1">', "", f"![{alt}]({figure})", "", "</div>",
           "", *legend(clustering, profiles)]
    summary = f"{len(tracks)} tracks in {plural(len(clustering.clusters), 'cluster')}. "
    summary += clustering.criterion
    plain = separation(clustering)
    out += [f"{summary} {plain}" if plain else summary, ""]
    notes = []
    if clustering.left_out:
        notes.append(
            f"{plural(clustering.left_out, 'track')} without usable audio features left out"
        )
    if clustering.duplicates:
        notes.append(f"{plural(clustering.duplicates, 'repeated entry', 'repeated entries')} "
                     "counted once")
    order = (
        f"Clusters are listed largest first; each table shows the "
        f"{plural(context.representatives, 'track')} nearest its cluster's centre."
    )
    out += [(f"{'; '.join(notes).capitalize()}. " if notes else "") + order, ""]

    for cluster, profile in zip(clustering.clusters, profiles, strict=True):
        members = [tracks[i] for i in cluster.members]
        shown, rest = members[: context.representatives], members[context.representatives :]
        out += [_heading(cluster.number, profile.name, marker(cluster.colour, cluster.marker)),
                "", f"{plural(len(members), 'track')}", ""]
        out += _profile(profile, cluster.colour, context, alone=len(profiles) == 1)
        out += _table(shown, columns, context)
        if rest:
            out += [
                "",
                '<details class="clusters-rest" markdown="1">',
                f"<summary>View all {len(members)} tracks ({len(rest)} more)</summary>",
                "",
                *_table(rest, columns, context),
                "",
                "</details>",
            ]
        out.append("")
    return "\n".join(out)


def legend(clustering: Clustering, profiles: Sequence[Profile]) -> list[str]:
    """The figure's legend, right under it as the page's own text (legible on a phone,
    selectable, read by screen readers): per cluster its marker, `#1 Name (size)` linking to
    its section, and its two most common artists."""
    entries = []
    for cluster, profile in zip(clustering.clusters, profiles, strict=True):
        size = len(cluster.members)
        title = f"#{cluster.number} {text(profile.name)} ({size})" if profile.name else (
            f"#{cluster.number} ({plural(size, 'track')})")
        artists = ", ".join(text(name) for name, _ in profile.artists[:2])
        entries.append(
            f"- {marker(cluster.colour, cluster.marker)}[{title}](#cluster-{cluster.number})"
            + (f'<br><span class="clusters-artists">{artists}</span>' if artists else "")
        )
    return ['<div class="clusters-legend" markdown="1">', "", *entries, "", "</div>", ""]


def _heading(number: int, name: str, shape: str) -> str:
    """A cluster's heading: its marker, `Cluster #<n>` and its name.

    Written as HTML (md_in_html turns it into a heading the table of contents lists) so its
    id stays `cluster-<n>` whatever the name: links to a cluster survive a renaming.
    """
    title = f"Cluster #{number}" + (f" · {text(name)}" if name else "")
    return f'<h2 id="cluster-{number}" markdown="1">{shape}{title}</h2>'


def _profile(profile: Profile, colour: str, context: PageContext, *, alone: bool) -> list[str]:
    """The cluster's sound against its playlist's, as a table whose numbers are text and
    whose bars only repeat them; then its most common artists, labels and genres."""
    if not profile.differences:
        sound: list[str] = []
    elif alone:
        sound = ["| Sound | Average |", "|:---|---:|"]
        sound += [f"| {d.label} | {_value(d.feature, d.cluster)} |" for d in profile.differences]
    else:
        sound = ["| Sound | Cluster | Playlist | Compared |", "|:---|---:|---:|:---|"]
        sound += [
            f"| {d.label} | {_value(d.feature, d.cluster)} | {_value(d.feature, d.playlist)} "
            f"| {bar(d.z, colour)}{d.words()} |"
            for d in profile.differences
        ]
    common = [
        f"- {title}: " + ", ".join(f"{_link(name, find, context)} ({n})" for name, n in found)
        for title, found, find in (
            ("Artists", profile.artists, context.pages.artist),
            ("Labels", profile.labels, context.pages.label),
            ("Genres", profile.genres, None),
        )
        if found
    ]
    if not sound and not common:
        return []
    out = ['<div class="clusters-profile" markdown="1">', ""]
    if sound:
        out += ['<div class="clusters-sound" markdown="1">', "", *sound, "", "</div>", ""]
    if common:
        out += ['<div class="clusters-common" markdown="1">', "",
                "**Most common** (tracks)", "", *common, "", "</div>", ""]
    return [*out, "</div>", ""]


def _value(feature: str, value: float) -> str:
    if feature == "tempo":
        return f"{value:.0f}\u00a0BPM"
    if feature == "loudness":
        return f"{value:.1f}\u00a0dB".replace("-", "\u2212")
    if feature == "mode":
        return f"{100 * value:.0f}%"
    if feature in ("key", "time_signature"):
        return f"{value:.1f}"
    return f"{value:.2f}"


def bar(z: float, colour: str) -> str:
    """A small inline SVG bar from the playlist's average (the centre line) to the cluster's,
    in the playlist's standard deviations (up to 2 each way). Hidden from screen readers: the
    words and numbers beside it say the same."""
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"expected a colour like '#E69F00', got {colour!r}")
    length = round(max(-2.0, min(2.0, z)) * 16, 1)
    rect = (
        f'<rect x="{36 + min(0.0, length):.1f}" y="2" width="{abs(length):.1f}" height="8" '
        f'fill="{colour}" stroke="currentColor" stroke-opacity="0.5" stroke-width="0.5"/>'
        if abs(length) >= 0.5 else ""
    )
    return (
        f'<svg class="clusters-bar" viewBox="0 0 72 12" width="72" height="12" '
        f'aria-hidden="true" focusable="false">'
        f'<line x1="0" y1="6" x2="72" y2="6" stroke="currentColor" stroke-opacity="0.25"/>'
        f'{rect}<line x1="36" y1="0" x2="36" y2="12" stroke="currentColor" stroke-width="1.5"/>'
        f"</svg> "
    )


def _link(name: str, find: Callable[[str], str | None] | None, context: PageContext) -> str:
    target = find(name) if find is not None else None
    label = text(name)
    return label if target is None else f"[{label}]({relative_link(context.src_uri, target)})"


def front_matter(title: str) -> list[str]:
    """The page title, set explicitly: MkDocs would otherwise take it from the heading with
    its character references decoded, and themes print it unescaped into `<title>` and the
    navigation, where a name like `</title><script>` would become markup."""
    # A YAML double-quoted string with every non-ASCII character escaped (\u or \U: YAML, unlike
    # JSON, has no surrogate pairs); attribute() already encoded '"' and '\\'.
    value = "".join(
        c if " " <= c < "\x7f" else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
        for c in attribute(title)
    )
    return ["---", f'title: "{value}"', "---", ""]


Column = tuple[str, str, Callable[[Track, PageContext], str]]


def _columns(tracks: Sequence[Track]) -> list[Column]:
    """The seed's columns, leaving out those the data cannot fill."""
    columns: list[Column] = []
    if any(web_url(t.image) for t in tracks):
        columns.append(("Art", ":---", _art))
    columns.append(("Track", ":---", lambda t, c: text(t.name)))
    if any(t.album for t in tracks):
        columns.append(("Album", ":---", lambda t, c: text(t.album)))
    if any(t.artists for t in tracks):
        columns.append(("Artists", ":---", lambda t, c: _names(t.artists, c.pages.artist, c)))
    if any(t.labels for t in tracks):
        columns.append(("Label", ":---", lambda t, c: _names(t.labels, c.pages.label, c)))
    if any(t.rank is not None for t in tracks):
        columns.append(("Rank", "---:", lambda t, c: "" if t.rank is None else str(t.rank)))
    elif any(t.popularity is not None for t in tracks):
        columns.append(("Popularity", "---:", _popularity))
    if any(t.liked is not None for t in tracks):
        columns.append(("💚", ":---:", lambda t, c: "💚" if t.liked else ""))
    if any(t.spotify_id for t in tracks):
        columns.append(("🔗", ":---:", _spotify))
    return columns


def _table(tracks: Sequence[Track], columns: list[Column], context: PageContext) -> list[str]:
    # The wrapper scrolls a wide table inside itself on a phone, so the page never scrolls
    # sideways (Material wraps tables itself; MkDocs' own theme does not).
    lines = [
        '<div class="clusters-table" markdown="1">',
        "",
        "| " + " | ".join(title for title, _, _ in columns) + " |",
        "|" + "|".join(align for _, align, _ in columns) + "|",
    ]
    for track in tracks:
        lines.append("| " + " | ".join(cell(track, context) for _, _, cell in columns) + " |")
    return [*lines, "", "</div>"]


def _art(track: Track, context: PageContext) -> str:
    url = web_url(track.image)
    if url is None:
        return ""
    alt = attribute(f"Album art: {track.album or track.name}")
    return f'<img src="{url}" alt="{alt}" width="48" height="48" loading="lazy">'


def _names(names: Sequence[str], find: Callable[[str], str | None], context: PageContext) -> str:
    return ", ".join(_link(name, find, context) for name in names)


def _popularity(track: Track, context: PageContext) -> str:
    return "" if track.popularity is None else f"{track.popularity:g}"


def _spotify(track: Track, context: PageContext) -> str:
    if not track.spotify_id:
        return ""
    label = attribute(f"Open {track.name} on Spotify")
    url = f"https://open.spotify.com/track/{track.spotify_id}"
    return f'<a href="{url}" aria-label="{label}" title="{label}">🔗</a>'


def _regular(corners: int, radius: float, turn: float = 0.0) -> str:
    """The points of a regular polygon around 0,0 with a corner straight up (SVG: y down)."""
    points = []
    for k in range(corners):
        angle = math.pi * (2 * k / corners + turn) - math.pi / 2
        points.append(f"{radius * math.cos(angle):.3f},{radius * math.sin(angle):.3f}")
    return " ".join(points)


def _star(points: int, outer: float, inner: float) -> str:
    corners = _regular(2 * points, 1.0).split()
    scaled = []
    for k, corner in enumerate(corners):
        x, y = (float(v) * (outer if k % 2 == 0 else inner) for v in corner.split(","))
        scaled.append(f"{x:.3f},{y:.3f}")
    return " ".join(scaled)


_PLUS = ("-0.3,-0.9 0.3,-0.9 0.3,-0.3 0.9,-0.3 0.9,0.3 0.3,0.3 "
         "0.3,0.9 -0.3,0.9 -0.3,0.3 -0.9,0.3 -0.9,-0.3 -0.3,-0.3")

#: Each matplotlib marker of `cluster.MARKERS` as an SVG shape in the box -1..1, so the
#: marker of a heading or a legend entry has the shape of its cluster's points in the figure.
SHAPES: dict[str, str] = {
    "o": '<circle r="0.8"/>',
    "s": '<rect x="-0.72" y="-0.72" width="1.44" height="1.44"/>',
    "^": f'<polygon points="{_regular(3, 0.95)}"/>',
    "v": f'<polygon points="{_regular(3, 0.95, 1 / 3)}"/>',
    "D": f'<polygon points="{_regular(4, 0.95)}"/>',
    "P": f'<polygon points="{_PLUS}"/>',
    "X": f'<polygon points="{_PLUS}" transform="rotate(45)"/>',
    "*": f'<polygon points="{_star(5, 1.0, 0.42)}"/>',
    "h": f'<polygon points="{_regular(6, 0.9)}"/>',
    "p": f'<polygon points="{_regular(5, 0.9)}"/>',
}
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def marker(colour: str, shape: str) -> str:
    """The inline SVG drawn before a cluster's heading and legend entry: its colour and
    marker in the figure.

    Hidden from screen readers: the text beside it already names the cluster, and the figure's
    alt text describes the figure.
    """
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"expected a colour like '#E69F00', got {colour!r}")
    return (
        f'<svg class="clusters-marker" viewBox="-1 -1 2 2" width="16" height="16" '
        f'aria-hidden="true" focusable="false" fill="{colour}">'
        f'{SHAPES.get(shape, SHAPES["o"])}</svg> '
    )


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 track", "2 tracks" ("1 repeated entry", "2 repeated entries" with `many`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
