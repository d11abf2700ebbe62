"""`python -m mkdocs_clusters`: the same as the `mkdocs-clusters` command."""

from .cli import main

if __name__ == "__main__":
    main()
