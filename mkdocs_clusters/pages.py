"""The pages around the clusters pages (strings and plain data only: no I/O, no MkDocs).

- the index of every clusters page, with its size and a thumbnail of its figure;
- generated pages for artists and labels that have no page of their own;
- the "Appears in clusters" section of an artist's or label's page, linking back.

As in `render`, every string from data goes through `text()` or `attribute()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .groups import KINDS, group_by
from .links import PageIndex, label_fold, name_fold, relative_link
from .model import Clustering, Playlist, Track
from .render import attribute, front_matter, plural, text

#: Section titles of the index page, by kind of clusters page.
SECTIONS = {"library": "Library", "playlist": "Playlists", "label": "Labels", "genre": "Genres"}


@dataclass(frozen=True)
class ClustersPage:
    """A clusters page as other pages refer to it."""

    kind: str
    name: str
    """The playlist's, label's or genre's name, or `groups.LIBRARY`."""
    page_uri: str
    figure_uri: str
    tracks: int
    clusters: int

    @property
    def title(self) -> str:
        return f"Clusters in {self.name}"

    def order(self) -> tuple[int, str, str]:
        """Library first, then playlists, labels, genres, each by name."""
        return (KINDS.index(self.kind), name_fold(self.name), self.name)


def cluster_anchor(number: int) -> str:
    """The id MkDocs gives the heading of cluster `number` ("Cluster #3" → `cluster-3`)."""
    return f"cluster-{number}"


#: Where an artist or label appears: clusters page → the numbers of the clusters holding them.
Mentions = Mapping[str, tuple[int, ...]]


def find_mentions(
    pages: Iterable[tuple[str, Clustering]],
) -> dict[tuple[str, str], dict[str, tuple[int, ...]]]:
    """For each ("artist", folded name) and ("label", label key): the clusters pages and the
    clusters on them that hold one of their tracks."""
    found: dict[tuple[str, str], dict[str, set[int]]] = {}
    for page_uri, clustering in pages:
        for cluster in clustering.clusters:
            for i in cluster.members:
                track = clustering.tracks[i]
                keys = {("artist", name_fold(a)) for a in track.artists}
                keys |= {("label", label_fold(x)) for x in track.labels}
                for key in keys:
                    found.setdefault(key, {}).setdefault(page_uri, set()).add(cluster.number)
    return {key: {uri: tuple(sorted(n)) for uri, n in by_page.items()}
            for key, by_page in found.items()}


def merge_mentions(mentions: Iterable[Mentions]) -> dict[str, tuple[int, ...]]:
    """Several names' mentions as one (a page serving several spellings of a label)."""
    merged: dict[str, set[int]] = {}
    for found in mentions:
        for uri, numbers in found.items():
            merged.setdefault(uri, set()).update(numbers)
    return {uri: tuple(sorted(n)) for uri, n in merged.items()}


def render_appears_in(
    src_uri: str, mentions: Mentions, clusters_pages: Mapping[str, ClustersPage]
) -> list[str]:
    """The "Appears in clusters" section: each clusters page and each cluster on it, linked."""
    listed = sorted((clusters_pages[uri] for uri in mentions), key=ClustersPage.order)
    # The wrapper lets a long name break anywhere rather than push a phone's page sideways.
    lines = ["## Appears in clusters", "", '<div class="clusters-about" markdown="1">', ""]
    for page in listed:
        link = relative_link(src_uri, page.page_uri)
        numbers = ", ".join(f"[#{n}]({link}#{cluster_anchor(n)})" for n in mentions[page.page_uri])
        lines.append(f"- [{_title(page)}]({link}): cluster {numbers}"
                     if len(mentions[page.page_uri]) == 1 else
                     f"- [{_title(page)}]({link}): clusters {numbers}")
    return [*lines, "", "</div>", ""]


def render_index(src_uri: str, clusters_pages: Iterable[ClustersPage]) -> str:
    """The index page: every clusters page by kind, with its size and a thumbnail."""
    listed = sorted(clusters_pages, key=ClustersPage.order)
    out = [*front_matter("Clusters"), "# Clusters", ""]
    out += [f"Every page of clusters in this site: {plural(len(listed), 'page')}.", ""]
    for kind in KINDS:
        of_kind = [p for p in listed if p.kind == kind]
        if not of_kind:
            continue
        # The wrapper scales the thumbnails (see clusters.css) and scrolls a wide table.
        out += [f"## {SECTIONS[kind]}", "", '<div class="clusters-table clusters-index" '
                'markdown="1">', "", "| Figure | Page | Tracks | Clusters |",
                "|:---:|:---|---:|---:|"]
        for page in of_kind:
            alt = attribute(f"Scatter plot of the clusters in {page.name}")
            figure = relative_link(src_uri, page.figure_uri)
            link = relative_link(src_uri, page.page_uri)
            out.append(f"| ![{alt}]({figure}) | [{_title(page)}]({link}) | {page.tracks} | "
                       f"{page.clusters} |")
        out += ["", "</div>", ""]
    return "\n".join(out)


@dataclass(frozen=True)
class Subject:
    """An artist or label that gets a generated page."""

    kind: str
    """"artist" or "label"."""
    name: str
    tracks: tuple[Track, ...]
    """Their distinct tracks in the library, sorted by name."""


def subjects(
    kind: str, tracks: Sequence[Track], minimum: int, has_page: Callable[[str], bool]
) -> list[Subject]:
    """The artists (labels) with at least `minimum` distinct tracks and no page yet."""
    names_of = (lambda t: t.artists) if kind == "artist" else (lambda t: t.labels)
    fold = name_fold if kind == "artist" else label_fold
    return [
        Subject(kind, name, tuple(sorted(held, key=lambda t: (name_fold(t.name), t.name, t.key))))
        for name, held in group_by(tracks, names_of, fold)
        if len(held) >= minimum and not has_page(name)
    ]


def render_subject(
    src_uri: str,
    subject: Subject,
    *,
    library: Sequence[Playlist],
    playlist_pages: Mapping[str, str],
    links: PageIndex,
    mentions: Mentions,
    clusters_pages: Mapping[str, ClustersPage],
) -> str:
    """A generated artist or label page: the tracks, the playlists and the clusters they are
    in, each linked."""
    keys = {t.key for t in subject.tracks}
    in_playlists = []
    playlists_of: dict[str, list[str]] = {}
    for playlist in library:
        held = {t.key for t in playlist.tracks if t.key in keys}
        if held:
            in_playlists.append((playlist.name, len(held)))
            for key in held:
                playlists_of.setdefault(key, []).append(playlist.name)

    def playlist_link(name: str) -> str:
        target = playlist_pages.get(name)
        return f"[{text(name)}]({relative_link(src_uri, target)})" if target else text(name)

    def names(values: Sequence[str], find: Callable[[str], str | None]) -> str:
        cells = []
        for value in values:
            target = find(value)
            cells.append(text(value) if target in (None, src_uri) else
                         f"[{text(value)}]({relative_link(src_uri, target)})")
        return ", ".join(cells)

    what = "by" if subject.kind == "artist" else "on the label"
    out = [*front_matter(subject.name), f"# {text(subject.name)}", "",
           '<div class="clusters-about" markdown="1">', "",
           f"{plural(len(subject.tracks), 'track')} {what} {text(subject.name)} in your "
           f"library, in {plural(len(in_playlists), 'playlist')}. This page is generated "
           "from the playlist data.", "", "</div>", ""]
    if mentions:
        out += render_appears_in(src_uri, mentions, clusters_pages)
    out += ["## Playlists", "", '<div class="clusters-about" markdown="1">', ""]
    for name, count in sorted(in_playlists, key=lambda p: (name_fold(p[0]), p[0])):
        out.append(f"- {playlist_link(name)}: {plural(count, 'track')}")
    out += ["", "</div>", "", "## Tracks", "", '<div class="clusters-table" markdown="1">', ""]
    has_album = any(t.album for t in subject.tracks)
    out.append("| Track |" + (" Album |" if has_album else "") + " Artists | Label | Playlists |")
    out.append("|:---|" + (":---|" if has_album else "") + ":---|:---|:---|")
    for track in subject.tracks:
        cells = [text(track.name)]
        if has_album:
            cells.append(text(track.album))
        cells += [names(track.artists, links.artist), names(track.labels, links.label),
                  ", ".join(playlist_link(n) for n in sorted(playlists_of.get(track.key, ())))]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "</div>", ""]
    return "\n".join(out)


def _title(page: ClustersPage) -> str:
    return "Clusters in " + text(page.name)

