"""Clustering a whole library at once (100k to 1M tracks): `cluster.fit_library`."""

from __future__ import annotations

import numpy as np
from conftest import THREE_SOUNDS

from mkdocs_clusters.cluster import LARGE, fit_clusters, fit_library
from mkdocs_clusters.features import build_features
from mkdocs_clusters.model import UNIT_FEATURES, Playlist, Track


def test_fit_library_finds_the_groups_of_a_large_library_largest_first() -> None:
    rng = np.random.default_rng(3)
    centres = np.array(THREE_SOUNDS)
    truth = rng.choice(3, size=60_000, p=[0.2, 0.5, 0.3])
    matrix = (centres[truth] + rng.normal(0, 0.04, (len(truth), 7))).astype(np.float32)
    result = fit_library(matrix, UNIT_FEATURES)
    assert result.labels.dtype == np.int32 and result.labels.shape == truth.shape
    # Cluster 0 is the largest (truth 1), then truth 2, then truth 0; every track right.
    assert np.array_equal(result.labels, np.array([2, 0, 1])[truth])
    assert np.allclose(result.centres, centres[[1, 2, 0]], atol=0.01)
    assert result.criterion.startswith("3 clusters")
    again = fit_library(matrix, UNIT_FEATURES)
    assert np.array_equal(again.labels, result.labels)


def test_fit_library_keeps_a_structureless_library_as_one_group() -> None:
    matrix = np.random.default_rng(5).normal(0.5, 0.1, (20_000, 7)).astype(np.float32)
    result = fit_library(matrix, UNIT_FEATURES)
    assert not result.labels.any()
    assert result.criterion.startswith("One group: no clear structure")


def test_a_page_of_more_than_large_tracks_is_clustered_as_a_library() -> None:
    rng = np.random.default_rng(4)
    truth = rng.choice(3, size=LARGE + 2000, p=[0.2, 0.5, 0.3])
    rows = np.array(THREE_SOUNDS)[truth] + rng.normal(0, 0.04, (len(truth), 7))
    tracks = tuple(Track(name=f"T{i}", key=f"k{i}", features=dict(zip(UNIT_FEATURES, row, strict=True)))
                   for i, row in enumerate(rows.tolist()))
    table, _ = build_features(Playlist("Library", "data", tracks), UNIT_FEATURES)
    clustering = fit_clusters(table, max_clusters=10, fixed=None, random_state=0)
    # Largest first, every track in the cluster of its sound.
    assert [len(c.members) for c in clustering.clusters] == sorted(np.bincount(truth))[::-1]
    for cluster in clustering.clusters:
        assert len({truth[i] for i in cluster.members}) == 1
    assert clustering.criterion.startswith("3 clusters")
    assert clustering.criterion.endswith(
        f"The number was chosen on a seeded sample of 2,000 tracks; mini-batch k-means placed "
        f"all {len(truth):,} tracks.")
    assert len(clustering.xy) == len(truth)
