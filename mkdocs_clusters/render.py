"""The Markdown of a "Clusters in <playlist>" page (strings only: no I/O, no MkDocs).

Every string that comes from data passes through `text()` or `attribute()` before it lands in
the page, so a name can never become markup, a link or a script.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .links import PageIndex, relative_link
from .model import Clustering, Track

# Every ASCII punctuation character: each means something to Markdown, one of its extensions
# (tables, attr_list, emoji, smarty's "--" and "...", magiclink's "www.", abbr), HTML or template
# plugins (macros' {{ }}); written as a numeric character reference, it reads as the same
# character and means nothing.
_SPECIAL = re.compile(r"[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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


def attribute(value: str) -> str:
    """Data text for a double-quoted HTML attribute inside a Markdown table."""
    value = " ".join(_CONTROL.sub(" ", _BIDI.sub("", value)).split())
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", value)


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
    sizes = ", ".join(str(len(c.members)) for c in clustering.clusters)
    alt = (
        f"Scatter plot of the {len(tracks)} tracks of {attribute(clustering.playlist.name)} "
        f"on their first two principal components, in {len(clustering.clusters)} "
        f"clusters of {sizes} tracks"
    )
    out = [*_front_matter(f"Clusters in {clustering.playlist.name}"), f"# Clusters in {name}", "",
           f"![{alt}]({figure})", ""]
    summary = f"{len(tracks)} tracks in {_plural(len(clustering.clusters), 'cluster')}. "
    summary += clustering.criterion
    out += [summary, ""]
    notes = []
    if clustering.left_out:
        notes.append(f"{_plural(clustering.left_out, 'track')} without audio features left out")
    if clustering.duplicates:
        notes.append(f"{_plural(clustering.duplicates, 'repeated entry', 'repeated entries')} "
                     "counted once")
    order = (
        f"Clusters are listed largest first; each table shows the "
        f"{_plural(context.representatives, 'track')} nearest its cluster's centre."
    )
    out += [(f"{'; '.join(notes).capitalize()}. " if notes else "") + order, ""]

    for cluster in clustering.clusters:
        members = [tracks[i] for i in cluster.members]
        shown, rest = members[: context.representatives], members[context.representatives :]
        out += [f"## Cluster #{cluster.number}", "", f"{_plural(len(members), 'track')}", ""]
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


def _front_matter(title: str) -> list[str]:
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
    lines = [
        "| " + " | ".join(title for title, _, _ in columns) + " |",
        "|" + "|".join(align for _, align, _ in columns) + "|",
    ]
    for track in tracks:
        lines.append("| " + " | ".join(cell(track, context) for _, _, cell in columns) + " |")
    return lines


def _art(track: Track, context: PageContext) -> str:
    url = web_url(track.image)
    if url is None:
        return ""
    alt = attribute(f"Album art: {track.album or track.name}")
    return f'<img src="{url}" alt="{alt}" width="48" height="48" loading="lazy">'


def _names(names: Sequence[str], find: Callable[[str], str | None], context: PageContext) -> str:
    cells = []
    for name in names:
        target = find(name)
        label = text(name)
        if target is None:
            cells.append(label)
        else:
            cells.append(f"[{label}]({relative_link(context.src_uri, target)})")
    return ", ".join(cells)


def _popularity(track: Track, context: PageContext) -> str:
    return "" if track.popularity is None else f"{track.popularity:g}"


def _spotify(track: Track, context: PageContext) -> str:
    if not track.spotify_id:
        return ""
    label = attribute(f"Open {track.name} on Spotify")
    url = f"https://open.spotify.com/track/{track.spotify_id}"
    return f'<a href="{url}" aria-label="{label}" title="{label}">🔗</a>'


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
