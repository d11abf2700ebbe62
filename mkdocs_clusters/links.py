"""Slugs, page paths, and finding the site's artist and label pages (no MkDocs imports)."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

# spotify-stats' rule (whitespace and & # . * % ? $ ' " / \ become "_"), plus the characters
# that are unsafe in paths, URLs or markup: < > : | ` and every control character.
_SLUG_UNSAFE = re.compile(r"[\s&#.*%?$'\"/\\<>:|`\x00-\x1f\x7f-\x9f]")
# Windows refuses these as file or folder names, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}
# Bidi controls and other invisible format characters must not end up in a path.
_FORMAT_CATEGORY = "Cf"
_MAX_SLUG_BYTES = 200


def slugify(name: str) -> str:
    """Return the file-name slug of an artist, label or playlist name.

    >>> slugify("Sony Music Labels Inc.")
    'sony_music_labels_inc_'
    >>> slugify("Les Misérables Cast")
    'les_misérables_cast'
    """
    text = unicodedata.normalize("NFC", name).lower()
    text = "".join(c for c in text if unicodedata.category(c) != _FORMAT_CATEGORY)
    slug = _SLUG_UNSAFE.sub("_", text)
    # File systems allow 255 bytes per name: keep room for "-N" and ".md".
    while len(slug.encode()) > _MAX_SLUG_BYTES:
        slug = slug[:-1]
    if not slug:
        return "_"
    if slug in _RESERVED:
        return slug + "_"
    return slug


# Company suffixes and a leading year, which spotify-stats ignored when grouping labels.
_LABEL_SUFFIX = re.compile(r"(?:\s+(?:records?|labels?|music|llc|inc|ltd|limited))+$")
_LABEL_YEAR = re.compile(r"^(?:[(]?[pc℗©][)]?\s*)?(?:19|20)\d\d\s+")
_LABEL_PUNCTUATION = re.compile(r"[.,'’\"]")


#: Names repeat across a library's pages (an artist in many playlists): the pure functions
#: below that every table cell goes through keep their answers for that many names.
MEMO_SIZE = 1 << 16


@functools.lru_cache(maxsize=MEMO_SIZE)
def label_key(name: str) -> str:
    """What variants of one record label have in common, for linking them to one page.

    Case, punctuation, a leading year ("2019 Sony Music") and the suffixes Records, Label,
    Music, LLC, Inc, Ltd are ignored, as spotify-stats did: "SONY MUSIC LABELS INC." and
    "Sony Music" share a key. A name that is nothing but such words has an empty key.

    >>> label_key("2019 Sony Music Labels Inc.")
    'sony'
    """
    text = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    text = _LABEL_PUNCTUATION.sub("", text)
    text = _LABEL_YEAR.sub("", text)
    text = _LABEL_SUFFIX.sub("", " " + text).strip()
    return "" if text in {"records", "record", "label", "labels", "music", "llc", "inc", "ltd",
                          "limited"} else text


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Map each name to a slug no other name has.

    Names are taken in sorted order, so the same set of names always gets the same slugs: the
    first name keeps the plain slug, later ones get `-2`, `-3`, ...
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in sorted(set(names)):
        base = slugify(name)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[name] = slug
    return result


def page_path(template: str, slug: str) -> str:
    """Fill a path template such as `playlists/{slug}/clusters.md`."""
    return template.replace("{slug}", slug)


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """A URL from one page's source path to another source file, as Markdown wants it."""
    rel = posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")
    return quote(rel, safe="/")


@dataclass(frozen=True)
class PageIndex:
    """Where the site's artist and label pages are, by the name they are about."""

    artists: Mapping[str, str]
    labels: Mapping[str, str]

    @classmethod
    def build(
        cls,
        pages: Mapping[str, Mapping[str, object]],
        artist_template: str,
        label_template: str,
        names: tuple[Iterable[str], Iterable[str]],
    ) -> PageIndex:
        """Index the pages (src_uri → front matter) for the given artist and label names.

        A page is an artist's (label's) page when its front matter says `artist: <name>`
        (`label: <name>`), or when it sits at the path the template gives for the name's slug.
        Front matter wins over the template path.
        """
        found: list[dict[str, str]] = []
        for kind, template, wanted, fold in (
            ("artist", artist_template, names[0], name_fold),
            ("label", label_template, names[1], label_fold),
        ):
            index: dict[str, str] = {}
            for name in sorted(set(wanted)):
                path = page_path(template, slugify(name))
                if path in pages:
                    index.setdefault(fold(name), path)
            if kind == "label":
                # A label page at the template path of one variant of the name serves every
                # variant ("labels/sony_music/..." for "2019 Sony Music Labels Inc.").
                pattern = re.compile(re.escape(template).replace(re.escape("{slug}"), "([^/]+)"))
                for src_uri in sorted(pages):
                    match = pattern.fullmatch(src_uri)
                    if match and (key := label_key(match.group(1).replace("_", " "))):
                        index.setdefault(key, src_uri)
            for src_uri in sorted(pages):
                declared = pages[src_uri].get(kind)
                if isinstance(declared, str) and declared.strip():
                    index[fold(declared)] = src_uri
            found.append(index)
        return cls(artists=found[0], labels=found[1])

    def artist(self, name: str) -> str | None:
        return self.artists.get(name_fold(name))

    def label(self, name: str) -> str | None:
        """The page of a label or of a variant of its name (see `label_key`)."""
        return self.labels.get(label_fold(name))


@functools.lru_cache(maxsize=MEMO_SIZE)
def name_fold(name: str) -> str:
    """What an artist's (or genre's) name is matched by: case and Unicode form ignored."""
    return unicodedata.normalize("NFC", name).strip().casefold()


@functools.lru_cache(maxsize=MEMO_SIZE)
def label_fold(name: str) -> str:
    """What a label's name is matched by: its `label_key`, or the folded name when that is
    empty; variants of one label share it."""
    return label_key(name) or name_fold(name)
