"""The three input formats, read from real files in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FEATURES, THREE_SOUNDS, Site, blob_tracks, playlist_yaml

from mkdocs_clusters.sources import read_library

EXPORTIFY_HEADER = (
    "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,"
    "Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,"
    "Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature"
)
EXPORTIFY_ROWS = [
    'spotify:track:1fepvHow7M6YOsFN153O01,Ricky Thai,Ophilia,Psychic Mirrors,7/2/2021,326120,16,'
    'FALSE,,2026-03-05T04:18:53Z,"post-disco,funk",Amnisia,0.67,0.764,5,-4.872,0,0.0605,0.209,'
    '0.205,0.101,0.886,115.987,4',
    'spotify:track:3f8xPR60MwwiwVX27Hn9ja,Abyss of Time,TEKKEN 2,Nami Nakagawa;TEKKEN Project,'
    '2/26/2024,234080,36,FALSE,,2026-01-26T16:57:35Z,"soundtrack,japanese vgm",'
    '"Bandai Namco, EMI",0.463,0.966,10,-4.915,1,0.0511,0.0000413,0.837,0.0347,0.85,145.018,4',
    "spotify:local:::Home+Recording:200,Home Recording,,Me,,200000,0,FALSE,,2026-01-01T00:00:00Z,",
]


def test_exportify_current_format(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "Road Trip.csv").write_text(
        "\ufeff" + "\r\n".join([EXPORTIFY_HEADER, *EXPORTIFY_ROWS]) + "\r\n", encoding="utf-8"
    )
    library = read_library(data, tmp_path)
    assert library.problems == ()
    (playlist,) = library.playlists
    assert playlist.name == "Road Trip"
    assert playlist.source == "data/Road Trip.csv"
    first, second, local = playlist.tracks
    assert first.spotify_id == "1fepvHow7M6YOsFN153O01"
    assert first.features["danceability"] == 0.67 and first.features["time_signature"] == 4
    assert first.labels == ("Amnisia",) and first.popularity == 16
    assert second.artists == ("Nami Nakagawa", "TEKKEN Project")
    assert second.labels == ("Bandai Namco", "EMI")
    assert second.origin == ("data/Road Trip.csv", 3)
    assert local.spotify_id is None and local.features == {}


def test_native_yaml_json_and_csv_read_alike(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    track = {
        "track": "Mr. Brightside", "album": "Hot Fuss", "artists": ["The Killers"],
        "label": "Island Records / Vertigo", "image": "https://example.org/a.jpg",
        "spotify": "https://open.spotify.com/track/003vvx7Niy0yvhvHt4a68B?si=x",
        "popularity": 88, "rank": 3, "liked": True, "genres": ["rock"],
        **{f: 0.5 for f in FEATURES}, "tempo": 148.0,
    }
    (data / "a.yml").write_text(playlist_yaml("From YAML", [track]), encoding="utf-8")
    (data / "b.json").write_text(json.dumps({"playlist": "From JSON", "tracks": [track]}))
    columns = ["playlist", *track]
    row = ["From CSV", *("; ".join(v) if isinstance(v, list) else str(v) for v in track.values())]
    (data / "c.csv").write_text(",".join(columns) + "\n" + ",".join(row) + "\n")
    library = read_library(data, tmp_path)
    assert library.problems == ()
    assert [p.name for p in library.playlists] == ["From YAML", "From JSON", "From CSV"]
    tracks = [p.tracks[0] for p in library.playlists]
    for t in tracks:
        assert (t.name, t.album, t.artists, t.labels) == (
            "Mr. Brightside", "Hot Fuss", ("The Killers",), ("Island Records", "Vertigo"))
        assert (t.spotify_id, t.popularity, t.rank, t.liked, t.genres) == (
            "003vvx7Niy0yvhvHt4a68B", 88, 3, True, ("rock",))
        assert t.features == {**{f: 0.5 for f in FEATURES}, "tempo": 148.0}


def test_native_problems_name_file_row_and_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    tracks = [
        {"track": "Good", "energy": 0.5},
        {"track": "Loud", "energy": 1.5},
        {"track": "Word", "energy": "fast"},
        {"album": "No name"},
        {"track": "Typo", "danceabilty": 0.3},
    ]
    (data / "mix.yml").write_text(playlist_yaml("Mix", tracks), encoding="utf-8")
    library = read_library(data, tmp_path)
    assert [str(p) for p in library.problems] == [
        "data/mix.yml, row 2, column 'energy': expected a number from 0 to 1, got 1.5",
        "data/mix.yml, row 3, column 'energy': expected a number, got 'fast'",
        "data/mix.yml, row 4, column 'track': a track needs a name",
        "data/mix.yml, row 5, column 'danceabilty': unknown field; expected one of "
        "acousticness, album, artists, danceability, energy, genres, image, instrumentalness, "
        "key, label, liked, liveness, loudness, mode, playlist, popularity, rank, speechiness, "
        "spotify, tempo, time_signature, track, valence",
    ]
    assert [t.name for t in library.playlists[0].tracks] == ["Good", "Loud", "Word", "Typo"]


def test_spotify_stats_tables(tmp_path: Path) -> None:
    data = tmp_path / "data" / "spotify"
    data.mkdir(parents=True)
    tables = {
        "playlists.csv": "name,collaborative,public,uri,image_url\nMix,False,True,spotify:playlist:P1,\n",
        "playlist_track.csv": "playlist_uri,track_uri\nspotify:playlist:P1,spotify:track:0004INO1s16Z8VSdewvTak\n"
                              "spotify:playlist:P1,spotify:track:missing\n",
        "tracks.csv": "name,popularity,explicit,duration_ms,uri,album_uri,isrc\n"
                      "Waltz,1,False,208000,spotify:track:0004INO1s16Z8VSdewvTak,spotify:album:A1,X\n",
        "albums.csv": "name,album_type,label,popularity,total_tracks,release_date,uri,image_url\n"
                      "Chopin,album,EMI / Interscope,5,1,2017,spotify:album:A1,https://i.scdn.co/image/x\n",
        "artists.csv": "name,uri,popularity,followers,image_url\nChopin,spotify:artist:C,1,1,\nGuest,spotify:artist:G,1,1,\n",
        "track_artist.csv": "track_uri,artist_uri,artist_index\nspotify:track:0004INO1s16Z8VSdewvTak,spotify:artist:G,1\n"
                            "spotify:track:0004INO1s16Z8VSdewvTak,spotify:artist:C,0\n",
        "liked_tracks.csv": "track_uri\nspotify:track:0004INO1s16Z8VSdewvTak\n",
        "audio_features.csv": "danceability,energy,key,loudness,mode,speechiness,acousticness,"
                              "instrumentalness,liveness,valence,tempo,time_signature,track_uri\n"
                              "0.22,0.042,11,-30.6,0,0.0496,0.991,0.847,0.0795,0.291,174.2,3,"
                              "spotify:track:0004INO1s16Z8VSdewvTak\n",
    }
    for name, content in tables.items():
        (data / name).write_text(content)
    library = read_library(tmp_path / "data", tmp_path)
    (playlist,) = library.playlists
    (track,) = playlist.tracks
    assert (track.name, track.album, track.artists, track.labels, track.liked) == (
        "Waltz", "Chopin", ("Chopin", "Guest"), ("EMI", "Interscope"), True)
    assert track.image == "https://i.scdn.co/image/x" and track.features["tempo"] == 174.2
    assert [str(p) for p in library.problems] == [
        "data/spotify/playlists.csv, row 2, column 'uri': playlist 'Mix': 1 track(s) of "
        "playlist_track.csv have no row in tracks.csv; left out"
    ]


def test_unknown_files_warn_and_fail_strict_but_the_site_builds(site: Site) -> None:
    site.write("data/road.yml", playlist_yaml("Road", blob_tracks(30, THREE_SOUNDS)))
    site.write("data/notes.txt", "hello")
    site.write("data/other.csv", "a,b\n1,2\n")
    site.configure()
    relaxed = site.build()
    assert relaxed.error is None
    assert (relaxed.site_dir / "playlists/road/clusters/index.html").is_file()
    expected = [
        "clusters: data/notes.txt: unknown format: expected a .csv, .yml, .yaml or .json "
        "playlist file; left out",
        "clusters: data/other.csv: unknown format: the header matches no known playlist format "
        "(Exportify, spotify-stats tables, the native format's 'track' column) nor a features "
        "table (a Spotify track URI/URL/id column and audio feature columns); left out",
    ]
    assert relaxed.warnings == expected
    strict = site.build(strict=True)
    assert strict.error is not None
    assert strict.warnings[:2] == expected


def test_real_spotify_stats_library_builds_strict(site: Site, shared_data: Path) -> None:
    import shutil

    shutil.copytree(shared_data / "spotify-stats", site.data / "spotify-stats")
    site.write("docs/artists/yoasobi/overview.md", "# YOASOBI\n")
    site.write("docs/labels/emi/overview.md", "# EMI\n")
    site.configure(plugin={"max_clusters": 4})
    result = site.build(strict=True)
    assert result.error is None, result.warnings
    page = result.html("playlists/international_pop/clusters/index.html")
    assert "Clusters in International Pop" in page
    assert 'href="../../../artists/yoasobi/overview/"' in page
    assert 'href="../../../labels/emi/overview/"' in page
    pages = list((result.site_dir / "playlists").glob("*/clusters/index.html"))
    assert len(pages) == 53


def test_native_edge_values(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # A spreadsheet in a decimal-comma locale separates cells with ';'.
    (data / "comma.csv").write_text("track;energy;tempo\nA;0,5;120,5\n", encoding="utf-8")
    # YAML's .inf is not a tempo; a null name falls back to the file name.
    (data / "inf.yml").write_text(
        "playlist:\ntracks:\n  - {track: B, energy: 0.4, tempo: .inf}\n", encoding="utf-8"
    )
    library = read_library(data, tmp_path)
    by_name = {p.name: p for p in library.playlists}
    assert by_name["comma"].tracks[0].features == {"energy": 0.5, "tempo": 120.5}
    assert set(by_name["inf"].tracks[0].features) == {"energy", "tempo"}
    assert [str(p) for p in library.problems] == [
        "data/inf.yml, row 1, column 'tempo': expected a number, got 'inf'"
    ]
