"""Cluster names, profiles and the plain-words separation line (explain.py), and how the page
and the figure show them."""

from __future__ import annotations

import re

import markdown
import numpy as np
import pytest

from mkdocs_clusters import cluster as cluster_module
from mkdocs_clusters.explain import NO_BETTER, explain, separation
from mkdocs_clusters.features import build_features
from mkdocs_clusters.figures import draw_scatter
from mkdocs_clusters.links import PageIndex
from mkdocs_clusters.model import UNIT_FEATURES, Cluster, Clustering, Playlist, Track
from mkdocs_clusters.render import PageContext, render_page

#: A playlist's average track: every cluster below moves a few features away from it.
BASE = {"danceability": 0.5, "energy": 0.5, "speechiness": 0.06, "acousticness": 0.4,
        "instrumentalness": 0.1, "liveness": 0.15, "valence": 0.5}


def _tracks(prefix: str, count: int, rng: np.random.Generator, **shift: float) -> list[Track]:
    tracks = []
    for n in range(count):
        features = {f: float(np.clip(v + shift.get(f, 0.0) + rng.normal(0, 0.02), 0, 1))
                    for f, v in BASE.items()}
        features["tempo"] = 110.0 + 40 * shift.get("energy", 0.0) + n % 3
        tracks.append(Track(name=f"{prefix} {n}", key=f"{prefix}{n}", features=features,
                            artists=(f"{prefix} Band",), labels=("Sony Music",),
                            genres=(prefix.lower(),)))
    return tracks


def _clustering(groups: list[list[Track]], separated: tuple[float, float] | None = (0.6, 0.3),
                name: str = "Mix") -> Clustering:
    tracks = [t for group in groups for t in group]
    clusters, start = [], 0
    for n, group in enumerate(groups, start=1):
        clusters.append(Cluster(n, tuple(range(start, start + len(group))), "#E69F00", "o"))
        start += len(group)
    return Clustering(
        playlist=Playlist(name, "data/mix.yml", tuple(tracks)),
        tracks=tuple(tracks), clusters=tuple(clusters), criterion="Because.",
        xy=tuple((float(i), float(i % 5)) for i in range(len(tracks))),
        axis_words=(("Mellow", "Energetic"), ("Sad", "Happy")),
        features=UNIT_FEATURES, separation=separated,
    )


def _three(seed: int = 0) -> Clustering:
    rng = np.random.default_rng(seed)
    return _clustering([
        _tracks("Party", 20, rng, energy=0.35, danceability=0.35, valence=0.35,
                acousticness=-0.3),
        _tracks("Lullaby", 15, rng, energy=-0.35, acousticness=0.45, instrumentalness=0.6),
        _tracks("Stage", 10, rng, liveness=0.6, energy=0.2),
    ])


def test_names_say_how_each_cluster_differs() -> None:
    party, lullaby, stage = explain(_three())
    assert party.words[:2] == ("Danceable", "Happy")
    assert set(lullaby.words) == {"Instrumental", "Acoustic", "Quiet"}
    assert stage.words[0] == "Live"
    assert party.name == " · ".join(party.words)
    assert all(2 <= len(p.words) <= 3 for p in (party, lullaby, stage))


def test_live_only_when_liveness_is_really_higher() -> None:
    rng = np.random.default_rng(1)
    # The second cluster's liveness is many standard deviations above the others' but still
    # that of a studio recording (0.15 → 0.24): not "Live".
    quiet = _clustering([_tracks("Loud", 20, rng, energy=0.3),
                         _tracks("Room", 20, rng, energy=-0.3, liveness=0.09)])
    assert "Live" not in explain(quiet)[1].words
    # A cluster of live recordings is.
    live = _clustering([_tracks("Loud", 20, rng, energy=0.3),
                        _tracks("Club", 20, rng, energy=-0.3, liveness=0.6)])
    assert explain(live)[1].words[0] == "Live"


def test_a_word_must_be_true_of_the_cluster_itself() -> None:
    rng = np.random.default_rng(2)
    # A dance playlist's calmer half is still energetic (energy 0.7): it is not "Quiet".
    page = _clustering([_tracks("Peak", 20, rng, energy=0.45, speechiness=0.3),
                        _tracks("Warm", 20, rng, energy=0.2)])
    assert "Quiet" not in explain(page)[1].words


def test_names_are_distinct_within_a_page() -> None:
    rng = np.random.default_rng(3)
    # Two clusters that both lean the same way: the smaller one gets other words.
    page = _clustering([_tracks("A", 20, rng, energy=0.3, valence=0.3, danceability=0.3),
                        _tracks("B", 12, rng, energy=0.3, valence=0.3, danceability=0.3,
                                acousticness=-0.3, liveness=0.3),
                        _tracks("C", 30, rng, energy=-0.3, valence=-0.3, danceability=-0.3)])
    names = [frozenset(p.words) for p in explain(page)]
    assert len(set(names)) == len(names), names


def test_names_are_deterministic() -> None:
    first = [p.name for p in explain(_three(seed=4))]
    assert [p.name for p in explain(_three(seed=4))] == first
    assert first == [p.name for p in explain(_three(seed=4))]


def test_one_group_has_no_name_and_a_cluster_near_the_average_says_so() -> None:
    rng = np.random.default_rng(5)
    alone = _clustering([_tracks("All", 30, rng)], separated=None)
    assert explain(alone)[0].words == ()
    middle = _clustering([_tracks("Up", 15, rng, energy=0.4), _tracks("Mid", 15, rng),
                          _tracks("Down", 15, rng, energy=-0.4)])
    assert explain(middle)[1].name == "Near the average"


def test_profile_numbers_are_the_means_of_the_data() -> None:
    clustering = _three()
    profiles = explain(clustering)
    every = np.array([[t.features[f] for f in (*UNIT_FEATURES, "tempo")]
                      for t in clustering.tracks])
    for profile, cluster in zip(profiles, clustering.clusters, strict=True):
        rows = every[list(cluster.members)]
        assert [d.feature for d in profile.differences] == [*UNIT_FEATURES, "tempo"]
        assert [d.cluster for d in profile.differences] == pytest.approx(rows.mean(axis=0))
        assert [d.playlist for d in profile.differences] == pytest.approx(every.mean(axis=0))
        assert [d.spread for d in profile.differences] == pytest.approx(every.std(axis=0))
    party = profiles[0]
    assert party.artists == (("Party Band", 20),)
    assert party.labels == (("Sony Music", 20),)
    assert party.genres == (("party", 20),)


def test_label_variants_count_together_and_singletons_are_not_common() -> None:
    rng = np.random.default_rng(6)
    tracks = _tracks("X", 6, rng)
    spellings = ["Sony Music", "SONY MUSIC LABELS INC.", "Sony Music", "Once Only", "Sony", "Y"]
    tracks = [Track(t.name, t.key, artists=(f"Artist {i}",), labels=(label,), features=t.features)
              for i, (t, label) in enumerate(zip(tracks, spellings, strict=True))]
    (profile,) = explain(_clustering([tracks], separated=None))
    assert profile.labels == (("Sony Music", 4),)
    assert profile.artists == ()  # every artist once: none is "most common"


def test_page_shows_names_profiles_and_plain_words() -> None:
    clustering = _three()
    index = PageIndex(artists={"party band": "artists/party_band/overview.md"},
                      labels={"sony": "labels/sony/overview.md"})
    page = render_page(clustering, PageContext("playlists/mix/clusters.md",
                                               "playlists/mix/clusters.svg", index, 3))
    html = markdown.markdown(page, extensions=["tables", "md_in_html", "toc"])
    names = [p.name for p in explain(clustering)]
    headings = re.findall(r'<h2 id="cluster-(\d)"><svg [^>]*>.*?</svg> (Cluster #\d[^<]*)</h2>',
                          html)
    assert headings == [(str(n), f"Cluster #{n} · {name}") for n, name in enumerate(names, 1)]
    assert "In plain words: the clusters are clearly separated" in html
    assert "<td>Energy</td>" in html or ">Energy</td>" in html
    assert '<a href="../../artists/party_band/overview.md">Party Band</a> (20)' in html
    assert '<a href="../../labels/sony/overview.md">Sony Music</a> (20)' in html
    # The tempo row reads as text, and every bar is hidden from screen readers.
    assert re.search(">1\\d\\d\u00a0BPM</td>", html)
    assert html.count('class="clusters-bar"') == html.count('class="clusters-bar" viewBox="0 0 '
                                                          '72 12" width="72" height="12" '
                                                          'aria-hidden="true"')


def test_hostile_names_in_profiles_stay_inert() -> None:
    rng = np.random.default_rng(7)
    hostile = "<script>alert(1)</script>"
    tracks = [Track(t.name, t.key, artists=(hostile, "[x](javascript:alert(2))"),
                    labels=("<img src=x onerror=alert(3)>",), genres=("{{ config }} | `a`",),
                    features=t.features) for t in _tracks("H", 8, rng)]
    page = render_page(_clustering([tracks[:4], tracks[4:]]),
                       PageContext("p/clusters.md", "p/clusters.svg", PageIndex({}, {}), 2))
    html = markdown.markdown(page, extensions=["tables", "md_in_html"])
    common = "".join(re.findall(r'<div class="clusters-common">.*?</div>', html, re.S))
    assert common.count("<li>") == 6  # artists, labels, genres of both clusters
    for markup in ("<script", "<img", "<a ", "<code>", "{{"):
        assert markup not in common, markup
    # Each name reads back as itself (character references), with its count.
    assert "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62; (4)" in common
    assert "&#123;&#123; config &#125;&#125; &#124; &#96;a&#96; (4)" in common


@pytest.mark.parametrize(
    ("scores", "words"),
    [((0.62, 0.30), "clearly separated"), ((0.42, 0.23), "moderately separated"),
     ((0.30, 0.25), "only a little more distinct"), ((0.26, 0.25), "no better than")],
)
def test_separation_in_plain_words(scores: tuple[float, float], words: str) -> None:
    rng = np.random.default_rng(8)
    clustering = _clustering([_tracks("A", 5, rng, energy=0.3), _tracks("B", 5, rng)], scores)
    assert words in separation(clustering)


def test_plain_words_agree_with_the_choice_of_clusters() -> None:
    # "No better than a cloud" starts exactly where the automatic choice stops showing
    # clusters at all.
    assert NO_BETTER == cluster_module.STRUCTURE_MARGIN
    rng = np.random.default_rng(9)
    assert separation(_clustering([_tracks("A", 10, rng)], separated=None)) is None


def test_fitted_clustering_records_features_and_separation() -> None:
    clustering = _three()
    table, _ = build_features(clustering.playlist, UNIT_FEATURES)
    fitted = cluster_module.fit_clusters(table, max_clusters=6, fixed=None, random_state=0)
    assert fitted.features == UNIT_FEATURES
    score, cloud = fitted.separation
    assert f"theirs is {score:.2f}" in fitted.criterion and f"gets {cloud:.2f}" in fitted.criterion
    fixed = cluster_module.fit_clusters(table, max_clusters=6, fixed=2, random_state=0)
    assert fixed.separation is not None and -1 <= fixed.separation[0] <= 1
    one = cluster_module.fit_clusters(table, max_clusters=6, fixed=1, random_state=0)
    assert one.separation is None


def test_legend_names_the_clusters_and_their_artists_in_every_script() -> None:
    rng = np.random.default_rng(11)
    groups = [_tracks(p, 8, rng, energy=e) for p, e in (("東京", 0.3), ("서울", -0.3))]
    groups[0] = [Track(t.name, t.key, artists=("ミカ・ソラ", "שלום עליכם"), features=t.features)
                 for t in groups[0]]
    groups[1] = [Track(t.name, t.key, artists=("Дима Бит", "فيروز"), features=t.features)
                 for t in groups[1]]
    clustering = _clustering(groups)
    page = render_page(clustering, PageContext("p/clusters.md", "p/clusters.svg",
                                               PageIndex({}, {}), 2))
    html = markdown.markdown(page, extensions=["tables", "md_in_html"])
    legend = re.search(r'<div class="clusters-legend">(.*?)</div>', html, re.S).group(1)
    entries = re.findall(r'<li><svg class="clusters-marker" [^>]*>.*?</svg> '
                         r'<a href="#cluster-(\d)">(.*?)</a><br><span class="clusters-artists">'
                         r"(.*?)</span></li>", legend)
    names = [p.name for p in explain(clustering)]
    # Right-to-left names are isolated (<bdi>) as everywhere else on the page.
    assert entries == [
        ("1", f"#1 {names[0]} (8)", "<bdi>שלום עליכם</bdi>, ミカ・ソラ"),
        ("2", f"#2 {names[1]} (8)", "Дима Бит, <bdi>فيروز</bdi>"),
    ]
    # The figure's only text is its axes' words: names are the page's text.
    svg = draw_scatter(clustering).decode()
    gap = "\u00a0" * 4
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg) == [
        f"Mellow{gap}←{gap}→{gap}Energetic", f"Sad{gap}←{gap}→{gap}Happy"]


