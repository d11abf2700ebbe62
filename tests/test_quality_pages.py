"""What a reader sees of the clustering: the partition on the page, and honest one-group pages."""

from __future__ import annotations

import re

import numpy as np
from conftest import FEATURES, THREE_SOUNDS, Site, blob_tracks, playlist_yaml


def _spotify_links(page: str) -> list[str]:
    return re.findall(r'href="https://open\.spotify\.com/track/([0-9A-Za-z]{22})"', page)


def test_every_track_appears_once_with_its_link(site: Site) -> None:
    tracks = blob_tracks(60, THREE_SOUNDS)
    site.write("data/road-trip.yml", playlist_yaml("Road Trip", tracks))
    site.configure(plugin={"representatives": 5})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    page = result.html("playlists/road_trip/clusters/index.html")
    assert sorted(_spotify_links(page)) == sorted(t["spotify"] for t in tracks)
    assert page.count("View all 20 tracks (15 more)") == 3


def test_a_playlist_without_structure_is_one_group(site: Site) -> None:
    rng = np.random.default_rng(3)
    tracks = blob_tracks(80, [[0.5] * 7])
    for track, values in zip(tracks, np.clip(rng.normal(0.5, 0.12, (80, 7)), 0, 1), strict=True):
        track.update({f: round(float(v), 4) for f, v in zip(FEATURES, values, strict=True)})
    site.write("data/shuffle.yml", playlist_yaml("Shuffle", tracks))
    site.configure()
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    page = result.html("playlists/shuffle/clusters/index.html")
    assert "80 tracks in 1 cluster. One group: no clear structure." in page
    assert re.findall(r"<h2 id=\"cluster-\d\">(?:<svg.*?</svg> )?Cluster #(\d)", page) == ["1"]
    assert sorted(_spotify_links(page)) == sorted(t["spotify"] for t in tracks)
