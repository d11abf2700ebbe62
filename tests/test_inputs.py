"""Every file users really have, and bad ones: what is read, and the exact messages for the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Site

from mkdocs_clusters.links import label_key, slugify, unique_slugs
from mkdocs_clusters.sources import read_library

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"

WARNINGS = [
    "data/broken.csv, row 6, column 'Energy': expected a number, got 'fast'",
    "data/broken.csv, row 7, column 'Danceability': expected a number, got 'NaN'",
    "data/broken.csv, row 7, column 'Valence': expected a number from 0 to 1, got 1.5",
    "data/broken.csv, row 10: 25 cells, but the header has 24 columns (a stray comma or quote?); "
    "row left out",
    "data/broken.csv, row 11, column 'Explicit': the row stops after 7 of the header's 24 "
    "columns; row left out",
    "data/broken.csv, row 12, column 'Loudness': the file ends in the middle of this row (after "
    "15 of 24 columns): was it cut short? row left out",
    "data/budget.csv: unknown format: the header matches no known playlist format (Exportify, "
    "spotify-stats tables, the native format's 'track' column) nor a features table (a Spotify "
    "track URI/URL/id column and audio feature columns); left out",
    "data/cover.csv: not a text file (binary data); left out",
    "data/cyrillic.csv, row 2: not UTF-8 text (byte 0xCC), and not recognisably Latin-1 either; "
    "re-save the file as UTF-8; left out",
    "data/exportify 2018.csv: playlist 'exportify 2018' has no audio features: no feature "
    "columns (Danceability, Energy, ...) with values, and no features table in the data folder "
    "covers its tracks; add the features (see the README's 'Audio features from a separate file'); no page",
    "data/broken.csv, row 8, column 'speechiness': track 'Some features' has some audio "
    "features but not speechiness, acousticness; left out",
]
INFOS = [
    "data/stats/playlists.csv, row 2, column 'uri': playlist 'Road Trip': 1 track(s) of "
    "playlist_track.csv have no row in tracks.csv; left out",
    "data/stats/playlist_track.csv: 1 playlist(s) have no row in playlists.csv; their tracks are "
    "left out",
    "data/stats/tracks.csv: 2 track(s) reference an album missing from albums.csv; shown without "
    "album and label",
    "data/stats/tracks.csv: 2 track(s) have an album without a label; shown without label",
    "data/stats/tracks.csv: 3 track(s) reference an artist missing from artists.csv; shown "
    "without that artist",
    "data/latin1.csv: not UTF-8: read as Latin-1 (Windows-1252); if names look wrong, re-save "
    "the file as UTF-8",
    "data/reccobeats_features.csv: 1 row(s) without a Spotify track reference in 'href', 'id' "
    "left out",
    "data/reccobeats_features.csv: features table: audio features for 5 track(s), used for 4 "
    "track(s) of the playlists (joined by Spotify track id)",
    "data/exportify 2019.csv: playlist 'exportify 2019': 1 track(s) without audio features left "
    "out",
    "data/exportify 2019.csv: playlist 'exportify 2019': 1 repeated track(s) counted once",
    "data/exportify 2025 resaved.csv: playlist 'exportify 2025 resaved': 1 track(s) without "
    "audio features left out",
    "data/watsonbox deutsch.csv: playlist 'watsonbox deutsch': 1 track(s) without audio "
    "features left out",
    "data: playlists 'Road Trip' and 'road_trip' share the slug 'road_trip': 'Road Trip' keeps "
    "it, 'road_trip' gets 'road_trip-2'",
]
PAGES = [
    "broken", "exportify_2019", "exportify_2024_tabs", "exportify_2025_resaved", "latin1",
    "road-trip!_", "road_trip", "road_trip-2", "watsonbox_deutsch", "watsonbox_no_features",
]


def _mixed(site: Site) -> None:
    shutil.rmtree(site.data)
    shutil.copytree(FIXTURES, site.data)
    site.configure(plugin={"min_tracks": 3})


def _plugin_messages(result, level: int) -> list[str]:  # noqa: ANN001
    prefix = "clusters: "
    return [r.getMessage()[len(prefix):] for r in result.records
            if r.name.startswith("mkdocs.plugins.clusters") and r.levelno == level]


def test_mixed_folder_builds_and_reports_every_problem(site: Site) -> None:
    _mixed(site)
    result = site.build()
    assert result.error is None
    assert _plugin_messages(result, 30) == WARNINGS
    infos = _plugin_messages(result, 20)
    assert set(INFOS) <= set(infos), sorted(set(INFOS) - set(infos))
    built = sorted(p.parent.name for p in (result.site_dir / "playlists").glob("*/clusters"))
    assert built == PAGES


def test_mixed_folder_fails_strict_with_the_full_list(site: Site) -> None:
    _mixed(site)
    result = site.build(strict=True)
    assert str(result.error) == f"Aborted with {len(WARNINGS)} warnings in strict mode!"
    assert _plugin_messages(result, 30) == WARNINGS


def _library(tmp_path: Path, *names: str):  # noqa: ANN202
    data = tmp_path / "data"
    data.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, data / name)
    library = read_library(data, tmp_path)
    return {p.name: p for p in library.playlists}, library.problems


def test_exportify_2019_bare_ids_comma_artists_and_local_file(tmp_path: Path) -> None:
    playlists, problems = _library(tmp_path, "exportify 2019.csv")
    tracks = playlists["exportify 2019"].tracks
    assert [t.name for t in tracks] == ["Song 0", "Song 1", "Song 2", "Song 3", "Song 4",
                                        "Song 0", "Tape"]
    assert tracks[0].artists == ("Ann", "Bob")
    assert tracks[0].spotify_id is not None and len(tracks[0].spotify_id) == 22
    assert tracks[6].spotify_id is None and tracks[6].features == {}
    assert problems == ()


def test_exportify_tab_header_uris_and_two_labels(tmp_path: Path) -> None:
    playlists, problems = _library(tmp_path, "exportify 2024 tabs.csv")
    track = playlists["exportify 2024 tabs"].tracks[0]
    assert track.labels == ("EMI", "Interscope Records")
    assert len(track.features) == 12 and track.spotify_id is not None
    assert problems == ()


def test_exportify_spreadsheet_resave_semicolon_artists_crlf(tmp_path: Path) -> None:
    playlists, _ = _library(tmp_path, "exportify 2025 resaved.csv")
    tracks = playlists["exportify 2025 resaved"].tracks
    assert tracks[0].artists == ("Crosby, Stills & Nash", "Neil Young")
    assert tracks[0].labels == ("Atlantic Records",)
    assert tracks[-1].name == "Home Recording" and tracks[-1].features == {}


def test_watsonbox_german_header_escaped_commas_and_local_null(tmp_path: Path) -> None:
    playlists, problems = _library(tmp_path, "watsonbox deutsch.csv")
    tracks = playlists["watsonbox deutsch"].tracks
    assert tracks[0].artists == ("Crosby, Stills & Nash", "Neil Young")
    assert tracks[0].album == "Déjà Vu" and tracks[0].labels == ("Atlantic",)
    assert tracks[0].image and tracks[0].image.startswith("https://i.scdn.co/image/")
    assert set(tracks[0].features) == {"danceability", "energy", "key", "loudness", "mode",
                                       "speechiness", "acousticness", "instrumentalness",
                                       "liveness", "valence", "tempo", "time_signature"}
    assert tracks[-1].album == "" and tracks[-1].features == {}
    assert problems == ()


def test_features_table_is_joined_by_spotify_url(tmp_path: Path) -> None:
    playlists, _ = _library(tmp_path, "watsonbox no features.csv", "reccobeats_features.csv")
    tracks = playlists["watsonbox no features"].tracks
    assert [bool(t.features) for t in tracks] == [True, True, True, True, False]
    assert tracks[0].origin == ("data/reccobeats_features.csv", 2)
    assert tracks[0].features["tempo"] == 120.0 and "time_signature" not in tracks[0].features


def test_latin1_is_decoded_not_mojibake(tmp_path: Path) -> None:
    playlists, _ = _library(tmp_path, "latin1.csv")
    track = playlists["latin1"].tracks[0]
    assert (track.name, track.album, track.artists) == ("Café 0", "Ça va", ("Zoë Noël",))


def test_hidden_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "data" / ".hidden").mkdir(parents=True)
    shutil.copy(FIXTURES / "cover.csv", tmp_path / "data" / ".hidden" / "cover.csv")
    shutil.copy(FIXTURES / ".~lock.budget.csv#", tmp_path / "data" / ".~lock.budget.csv#")
    library = read_library(tmp_path / "data", tmp_path)
    assert library.playlists == () and library.problems == ()


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "exportify 2024 tabs.csv").read_text(encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "utf16.csv").write_bytes(text.encode("utf-16"))
    library = read_library(tmp_path / "data", tmp_path)
    assert len(library.playlists[0].tracks) == 4 and library.problems == ()


def test_unterminated_quote_at_the_end_is_a_truncated_row(tmp_path: Path) -> None:
    header = (FIXTURES / "exportify 2019.csv").read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cut.csv").write_text("\n".join(header[:3]) + '\nabc,"x,Cut')
    library = read_library(tmp_path / "data", tmp_path)
    assert [str(p) for p in library.problems] == [
        "data/cut.csv, row 4, column 'Artist IDs': the file ends inside this quoted cell: was "
        "it cut short? row left out"
    ]


def test_semicolon_separated_resave_with_decimal_commas(tmp_path: Path) -> None:
    lines = (FIXTURES / "exportify 2024 tabs.csv").read_text(encoding="utf-8").splitlines()
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in csv.reader(lines):
        writer.writerow([c.replace(".", ",") if c[:1].isdigit() or c[:2] == "-0" else c
                         for c in row])
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "semi.csv").write_text(out.getvalue())
    library = read_library(tmp_path / "data", tmp_path)
    features = library.playlists[0].tracks[0].features
    assert 0 < features["danceability"] < 1 and features["loudness"] == -6.5
    assert library.problems == ()


@pytest.mark.parametrize("name, slug", [
    ("..", "__"), (".", "_"), ("../../etc/passwd", "______etc_passwd"), ("/abs", "_abs"),
    ("a\\b", "a_b"), ("C:\\x", "c__x"), ("nul\x00byte", "nul_byte"), ("CON", "con_"),
    ("lpt1", "lpt1_"), ("", "_"), ("   ", "___"), ("a<b>c|d?e*f", "a_b_c_d_e_f"),
    ("\u202eevil", "evil"), ("Рабочий ритм", "рабочий_ритм"), ("東京の夜", "東京の夜"),
    ("Sony Music Labels Inc.", "sony_music_labels_inc_"),
])
def test_slugs_stay_inside_the_docs_and_readable(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert "/" not in slug and "\\" not in slug and "\x00" not in slug and slug not in (".", "..")


def test_long_names_give_slugs_a_file_system_accepts() -> None:
    assert len(slugify("夜" * 300).encode()) <= 200


def test_colliding_slugs_are_distinct_and_deterministic() -> None:
    names = ["road_trip", "Road-Trip!?", "Road Trip", "ROAD TRIP"]
    expected = {"ROAD TRIP": "road_trip", "Road Trip": "road_trip-2", "Road-Trip!?": "road-trip!_",
                "road_trip": "road_trip-3"}
    assert unique_slugs(names) == expected
    assert unique_slugs(reversed(names)) == expected


def test_label_variants_share_a_key() -> None:
    assert label_key("2019 Sony Music Labels Inc.") == label_key("SONY MUSIC") == "sony"
    assert label_key("Interscope Records") == label_key("Interscope") == "interscope"
    assert label_key("Records") == ""


def test_label_variants_link_to_one_page(site: Site) -> None:
    shutil.copytree(FIXTURES / "stats", site.data / "stats")
    site.write("docs/labels/sony_music/overview.md", "# Sony Music\n")
    site.configure(plugin={"min_tracks": 3})
    result = site.build()
    page = result.html("playlists/road_trip/clusters/index.html")
    assert ('<td style="text-align: left;"><a href="../../../labels/sony_music/overview/">2019 '
            'Sony Music Labels Inc&#46;</a>, EMI</td>') in page


def test_real_files_are_read(shared_data: Path) -> None:
    library = read_library(shared_data, shared_data.parent)
    by_source: dict[str, int] = {}
    for playlist in library.playlists:
        by_source[playlist.source.split("/")[1]] = by_source.get(
            playlist.source.split("/")[1], 0) + len(playlist.tracks)
    assert by_source == {"custom": 534, "exportify": 2645, "reccobeats": 5952,
                         "spotify-stats": 6652}
    liked = next(p for p in library.playlists if p.name == "liked")
    assert sum(bool(t.features) for t in liked.tracks) == 2751
    assert [str(p) for p in library.problems if p.level == "warning"] == [
        "data/README.md: unknown format: expected a .csv, .yml, .yaml or .json playlist "
        "file; left out"
    ]
