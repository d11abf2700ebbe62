"""The plugin's logger: under `mkdocs.plugins`, so `--strict` counts its warnings."""

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("clusters")
