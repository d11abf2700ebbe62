"""The plugin's options: typed, validated by MkDocs, documented in the README's reference."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .model import ALL_FEATURES, UNIT_FEATURES
from .sources import FORMATS


class _Features(c.ListOfItems):
    """A non-empty list of audio feature names, each known and given once."""

    def __init__(self) -> None:
        super().__init__(c.Choice(ALL_FEATURES), default=list(UNIT_FEATURES))

    def run_validation(self, value: object) -> list[str]:
        result = super().run_validation(value)
        if not result:
            raise base.ValidationError("Expected at least one feature.")
        duplicates = sorted({f for f in result if result.count(f) > 1})
        if duplicates:
            raise base.ValidationError(f"Feature(s) listed twice: {', '.join(duplicates)}.")
        return result


class _PathTemplate(c.Type):
    """A site path with a `{slug}` placeholder (unless `slug=False`), ending in the suffix."""

    def __init__(self, default: str, suffix: str = ".md", slug: bool = True) -> None:
        super().__init__(str, default=default)
        self.suffix = suffix
        self.slug = slug

    def run_validation(self, value: object) -> str:
        result = super().run_validation(value)
        if self.slug and "{slug}" not in result:
            raise base.ValidationError(f"Expected a path containing '{{slug}}', got {result!r}.")
        if not result.endswith(self.suffix):
            raise base.ValidationError(
                f"Expected a path ending in '{self.suffix}', got {result!r}."
            )
        if result.startswith("/") or "\\" in result or ".." in result.split("/"):
            raise base.ValidationError(f"Expected a relative path inside the docs, got {result!r}.")
        return result


class _AtLeast(c.Type):
    """An integer no smaller than `minimum`."""

    def __init__(self, minimum: int, default: int | None = None) -> None:
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise base.ValidationError(
                f"Expected an integer of at least {self.minimum} but received: {value!r}"
            )
        return value


class ClustersConfig(base.Config):
    data_dir = c.Dir(exists=True)
    """Folder with the playlist files, relative to mkdocs.yml (required)."""
    format = c.Choice(FORMATS, default="auto")
    """Format of the files: `auto` detects it per file."""
    features = _Features()
    """Audio features to cluster on (default: the seven 0..1 features)."""
    max_clusters = _AtLeast(2, default=10)
    """The largest number of clusters to consider when choosing automatically."""
    clusters = c.Optional(_AtLeast(1))
    """A fixed number of clusters instead of choosing automatically."""
    min_tracks = _AtLeast(1, default=10)
    """Playlists with fewer usable tracks get no page."""
    representatives = _AtLeast(1, default=10)
    """Tracks shown per cluster before "View all"."""
    random_state = c.Type(int, default=0)
    """Seed for the clustering: the same seed and data give the same pages."""
    page = _PathTemplate("playlists/{slug}/clusters.md")
    """Where each playlist's page goes in the site; its figure goes beside it as `.svg`."""
    artist_page = _PathTemplate("artists/{slug}/overview.md")
    """Where an artist's own page is, if the site has one."""
    label_page = _PathTemplate("labels/{slug}/overview.md")
    """Where a label's own page is, if the site has one."""
    library = c.Type(bool, default=False)
    """Add a "Clusters in your library" page over all distinct tracks of all playlists."""
    library_page = _PathTemplate("library/clusters.md", slug=False)
    """Where the library's page goes; its figure goes beside it as `.svg`."""
    labels = c.Type(bool, default=False)
    """Add a clusters page for each record label with at least `min_tracks` usable tracks."""
    label_clusters_page = _PathTemplate("labels/{slug}/clusters.md")
    """Where each label's clusters page goes (beside its `label_page` by default)."""
    genres = c.Type(bool, default=False)
    """Add a clusters page for each genre with at least `min_tracks` usable tracks."""
    genre_page = _PathTemplate("genres/{slug}/clusters.md")
    """Where each genre's clusters page goes."""
    index = c.Type(bool, default=False)
    """Add a page listing every clusters page with its size and a thumbnail of its figure."""
    index_page = _PathTemplate("clusters.md", slug=False)
    """Where the index page goes."""
    artist_pages = c.Type(bool, default=False)
    """Generate a page at `artist_page` for each artist with no page of their own and at least
    `generated_min_tracks` tracks."""
    label_pages = c.Type(bool, default=False)
    """The same for record labels, at `label_page`."""
    generated_min_tracks = _AtLeast(1, default=5)
    """The fewest tracks an artist or label needs for a generated page."""
    appears_in = c.Type(bool, default=False)
    """Append an "Appears in clusters" section to the site's own artist and label pages."""
    cache = c.Type(bool, default=True)
    """Keep each playlist's clustering and figure between builds, in memory and in `cache_dir`."""
    cache_dir = c.Dir(exists=False, default=".cache/plugin/clusters")
    """Where the cache is kept, relative to mkdocs.yml; never inside `docs_dir` or `data_dir`."""
    workers = c.Optional(_AtLeast(0))
    """Worker processes that cluster while MkDocs renders (default: one per CPU but one, at
    least one); 0 computes everything in the MkDocs process."""
