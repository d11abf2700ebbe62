"""Synthetic music libraries for the benchmarks: fixed seed, realistic cluster structure.

    python benchmarks/synth.py OUT_DIR --tracks 20000 --playlists 100 [--format exportify]

Writes OUT_DIR/data/ with `--tracks` distinct tracks (1k to 1M) spread over `--playlists`
playlists (10 to 500; a track can be in two), in one of the formats the plugin reads: one native
CSV file per playlist (the default), one exportify.net CSV file per playlist, or one folder of
spotify-stats tables. Each track's seven 0..1 features are drawn around one of eight sound
archetypes (an artist mostly keeps one); each playlist mixes three to six of them, so every
playlist has clusters to find. Names have realistic lengths (one to four words) and scripts
(Latin with accents, Cyrillic, Hebrew, CJK, Hangul). Only numpy and the standard library are
used, every step is vectorised (1M tracks in well under a minute), and the same arguments always
give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

FEATURES = ("danceability", "energy", "speechiness", "acousticness", "instrumentalness",
            "liveness", "valence")
ARCHETYPES = np.array([
    [0.78, 0.80, 0.07, 0.10, 0.02, 0.14, 0.72],  # dance pop
    [0.52, 0.30, 0.04, 0.82, 0.06, 0.11, 0.42],  # acoustic
    [0.40, 0.20, 0.04, 0.78, 0.86, 0.10, 0.28],  # ambient / jazz
    [0.76, 0.63, 0.33, 0.14, 0.01, 0.18, 0.52],  # hip hop
    [0.42, 0.88, 0.07, 0.05, 0.08, 0.68, 0.45],  # live rock
    [0.30, 0.95, 0.10, 0.01, 0.60, 0.20, 0.20],  # metal / techno
    [0.60, 0.45, 0.05, 0.40, 0.00, 0.12, 0.80],  # sunny soul
    [0.25, 0.10, 0.05, 0.95, 0.92, 0.08, 0.10],  # classical
])
SYLLABLES = np.array(["ka", "lo", "mi", "ra", "ne", "so", "ta", "vi", "du", "el", "an", "or",
                      "is", "星", "夜", "의", "ма", "ли", "שׁ", "ü", "ñ", "é"])
BASE62 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
NATIVE_HEADER = ["track", "album", "artists", "label", "image", "spotify", "popularity", "liked",
                 *FEATURES, "tempo", "loudness"]
EXPORTIFY_HEADER = [
    "Track URI", "Track Name", "Album Name", "Artist Name(s)", "Release Date", "Duration (ms)",
    "Popularity", "Explicit", "Added By", "Added At", "Genres", "Record Label", "Danceability",
    "Energy", "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness",
    "Liveness", "Valence", "Tempo", "Time Signature",
]
FORMATS = ("native", "exportify", "spotify-stats")
#: Distinct words names are made of (two or three syllables each).
VOCABULARY = 4000


def vocabulary(rng: np.random.Generator) -> np.ndarray:
    picks = rng.integers(0, len(SYLLABLES), (VOCABULARY, 3))
    length = rng.integers(2, 4, VOCABULARY)
    return np.array(["".join(SYLLABLES[row[:n]]).capitalize()
                     for row, n in zip(picks, length, strict=True)])


def names(rng: np.random.Generator, vocab: np.ndarray, count: int, low: int,
          high: int) -> list[str]:
    """`count` names of `low` to `high` words."""
    picks = vocab[rng.integers(0, len(vocab), (count, high))]
    length = rng.integers(low, high + 1, count)
    return [" ".join(row[:n]) for row, n in zip(picks.tolist(), length.tolist(), strict=True)]


def features(tracks: int, seed: int = 7) -> np.ndarray:
    """Just the (tracks, 7) float32 feature matrix of a library (the library-wide benchmark)."""
    rng = np.random.default_rng(seed)
    sound = rng.integers(0, len(ARCHETYPES), tracks)
    noise = rng.standard_normal((tracks, len(FEATURES)), dtype=np.float32) * np.float32(0.09)
    return np.clip(ARCHETYPES.astype(np.float32)[sound] + noise, 0, 1)


def generate(out: Path, tracks: int, playlists: int, seed: int = 7, fmt: str = "native") -> Path:
    rng = np.random.default_rng(seed)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(rng)
    n_artists = max(10, tracks // 12)
    artists = names(rng, vocab, n_artists, 1, 3)
    labels = names(rng, vocab, max(5, n_artists // 8), 1, 3)
    artist_sound = rng.integers(0, len(ARCHETYPES), n_artists)
    artist_label = rng.integers(0, len(labels), n_artists)

    track_artist = rng.integers(0, n_artists, tracks)
    sound = np.where(rng.random(tracks) < 0.85, artist_sound[track_artist],
                     rng.integers(0, len(ARCHETYPES), tracks))
    values = np.clip(ARCHETYPES[sound] + rng.normal(0, 0.09, (tracks, 7)), 0, 1).round(3)
    tempo = (60 + 120 * values[:, 1] + rng.normal(0, 10, tracks)).round(3)
    loudness = (-25 + 20 * values[:, 1] + rng.normal(0, 2, tracks)).round(2)
    ids = BASE62[rng.integers(0, 62, (tracks, 22))].view("<U22").ravel()
    titles = names(rng, vocab, tracks, 1, 4)
    albums = names(rng, vocab, max(1, tracks // 8), 1, 3)
    track_album = rng.integers(0, len(albums), tracks)
    popularity = rng.integers(0, 101, tracks)
    liked = np.where(rng.random(tracks) < 0.3, "true", "false")

    # Every track is in one playlist leaning on its sound; about a third also in any other.
    # Playlists lean on three to six archetypes each.
    leaning = [rng.choice(len(ARCHETYPES), int(rng.integers(3, 7)), replace=False)
               for _ in range(playlists)]
    by_sound = [[p for p in range(playlists) if s in leaning[p]] or list(range(playlists))
                for s in range(len(ARCHETYPES))]
    sizes = np.array([len(b) for b in by_sound])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate([np.array(b) for b in by_sound])
    first = flat[offsets[sound] + (rng.random(tracks) * sizes[sound]).astype(np.int64)]
    also = rng.random(tracks) < 0.33
    second = rng.integers(0, playlists, tracks)
    pairs = np.unique(np.concatenate([
        first.astype(np.int64) * tracks + np.arange(tracks),
        second[also].astype(np.int64) * tracks + np.flatnonzero(also),
    ]))  # sorted by playlist, then track: each playlist's rows in library order, once
    owner, member = np.divmod(pairs, tracks)
    bounds = np.searchsorted(owner, np.arange(playlists + 1))

    image = [f"https://i.scdn.co/image/ab67616d0000b273{i[:16].lower()}" for i in ids.tolist()]
    fields = dict(zip(NATIVE_HEADER, [
        titles, [albums[a] for a in track_album.tolist()],
        [artists[a] for a in track_artist.tolist()],
        [labels[artist_label[a]] for a in track_artist.tolist()],
        [image[a % tracks] for a in track_album.tolist()],
        [f"spotify:track:{i}" for i in ids.tolist()], popularity.tolist(), liked.tolist(),
        *values.T.tolist(), tempo.tolist(), loudness.tolist(),
    ], strict=True))
    playlist_titles = names(rng, vocab, playlists, 1, 3)
    members = [member[bounds[p]:bounds[p + 1]].tolist() for p in range(playlists)]
    if fmt == "spotify-stats":
        write_tables(data, fields, track_album.tolist(), track_artist.tolist(),
                     [albums, labels, artists], playlist_titles, members)
        return data
    if fmt == "exportify":
        header, columns = EXPORTIFY_HEADER, exportify_columns(fields)
    else:
        header, columns = NATIVE_HEADER, list(fields.values())
    rows = list(zip(*columns, strict=True))
    for p in range(playlists):
        write(data / f"{p:04d} {playlist_titles[p]}.csv", header,
              (rows[i] for i in members[p]))
    return data


def write(path: Path, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def exportify_columns(fields: dict[str, list]) -> list[list]:
    """The columns of exportify.net's current 24-column header (key, mode and time signature
    derived from popularity: the benchmark's clustering does not use them)."""
    count = len(fields["track"])
    popularity = fields["popularity"]
    empty = [""] * count
    return [
        fields["spotify"], fields["track"], fields["album"], fields["artists"],
        ["2020-01-01"] * count, ["200000"] * count, popularity,
        ["FALSE"] * count, empty, ["2024-01-01T00:00:00Z"] * count, empty, fields["label"],
        fields["danceability"], fields["energy"], [p % 12 for p in popularity],
        fields["loudness"], [p % 2 for p in popularity], fields["speechiness"],
        fields["acousticness"], fields["instrumentalness"], fields["liveness"],
        fields["valence"], fields["tempo"], ["4"] * count,
    ]


def write_tables(data: Path, fields: dict[str, list], track_album: list[int],
                 track_artist: list[int], names: list[list[str]], playlist_titles: list[str],
                 members: list[list[int]]) -> None:
    """spotify-stats' tables: every playlist in one folder of normalized CSV files. The same
    tracks, names and features as the other formats; an album's label is picked by the
    album's number (a track's label in the other formats is its artist's)."""
    albums, labels, artists = names
    uris = fields["spotify"]
    album_uri = [f"spotify:album:{a:022d}" for a in range(len(albums))]
    artist_uri = [f"spotify:artist:{a:022d}" for a in range(len(artists))]
    playlist_uri = [f"spotify:playlist:{p:022d}" for p in range(len(playlist_titles))]
    album_image = {a: image for a, image in zip(track_album, fields["image"], strict=True)}
    write(data / "playlists.csv", ["name", "uri"], zip(playlist_titles, playlist_uri, strict=True))
    write(data / "playlist_track.csv", ["playlist_uri", "track_uri"],
          ((playlist_uri[p], uris[i]) for p, found in enumerate(members) for i in found))
    write(data / "tracks.csv", ["name", "popularity", "uri", "album_uri"],
          zip(fields["track"], fields["popularity"], uris,
              [album_uri[a] for a in track_album], strict=True))
    write(data / "albums.csv", ["name", "label", "uri", "image_url"],
          ((name, labels[a % len(labels)], album_uri[a], album_image.get(a, ""))
           for a, name in enumerate(albums)))
    write(data / "artists.csv", ["name", "uri"], zip(artists, artist_uri, strict=True))
    write(data / "track_artist.csv", ["track_uri", "artist_uri", "artist_index"],
          ((uri, artist_uri[a], 0) for uri, a in zip(uris, track_artist, strict=True)))
    write(data / "audio_features.csv", [*FEATURES, "tempo", "loudness", "track_uri"],
          zip(*(fields[f] for f in FEATURES), fields["tempo"], fields["loudness"], uris,
              strict=True))
    write(data / "liked_tracks.csv", ["track_uri"],
          ((uri,) for uri, liked in zip(uris, fields["liked"], strict=True) if liked == "true"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tracks", type=int, default=20000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=FORMATS, default="native")
    args = parser.parse_args()
    generate(args.out, args.tracks, args.playlists, args.seed, args.format)


if __name__ == "__main__":
    main()
