"""mkdocs-clusters: clusters of similar-sounding tracks, as pages of a MkDocs site."""

__version__ = "0.1.0"
