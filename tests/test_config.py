"""Option validation, as a user meets it: through `mkdocs build` of a real config."""

from __future__ import annotations

import pytest
from conftest import Site


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_clusters": 1}, "option 'max_clusters': Expected an integer of at least 2 but received: 1"),
        ({"min_tracks": 0}, "option 'min_tracks': Expected an integer of at least 1 but received: 0"),
        ({"clusters": "four"}, "option 'clusters': Expected an integer of at least 1 but received: 'four'"),
        ({"representatives": True}, "option 'representatives': Expected an integer of at least 1 but received: True"),
        ({"format": "xlsx"}, "option 'format': Expected one of: ('auto', 'spotify-stats', 'exportify', 'native') but received: 'xlsx'"),
        ({"features": ["energy", "loudness", "energy"]}, "option 'features': Feature(s) listed twice: energy."),
        ({"features": []}, "option 'features': Expected at least one feature."),
        ({"features": ["groove"]}, "option 'features': Expected one of: ('danceability',"),
        ({"page": "playlists/clusters.md"}, "option 'page': Expected a path containing '{slug}', got 'playlists/clusters.md'."),
        ({"page": "../{slug}.md"}, "option 'page': Expected a relative path inside the docs, got '../{slug}.md'."),
        ({"artist_page": "artists/{slug}.html"}, "option 'artist_page': Expected a path ending in '.md', got 'artists/{slug}.html'."),
        ({"data_dir": "nowhere"}, "option 'data_dir': The path '"),
        ({"colour": "blue"}, "option 'colour': Unrecognised configuration name: colour"),
    ],
)
def test_bad_options_stop_the_build_with_a_clear_message(
    site: Site, options: dict, message: str
) -> None:
    site.configure(plugin=options)
    result = site.build(strict=True)
    assert result.error is not None
    text = "\n".join(result.warnings + [str(result.error)])
    assert message in text
    assert "Plugin 'clusters'" in text or "plugin 'clusters'" in text.lower()


def test_missing_data_dir_names_the_path(site: Site) -> None:
    site.configure(plugin={"data_dir": "no-such-folder"})
    result = site.build()
    text = "\n".join(result.warnings)
    assert "option 'data_dir': The path '" in text
    assert "no-such-folder' isn't an existing directory." in text


def test_data_dir_is_required(site: Site) -> None:
    (site.root / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - clusters\n", encoding="utf-8"
    )
    result = site.build()
    assert result.error is not None
    assert "option 'data_dir': Required configuration not provided." in "\n".join(
        result.warnings + [str(result.error)]
    )
