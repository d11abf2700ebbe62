"""Synthetic music libraries for the benchmarks: fixed seed, realistic cluster structure.

    python benchmarks/synth.py OUT_DIR --tracks 20000 --playlists 100 [--format native|exportify]

Writes OUT_DIR/data/ (one CSV file per playlist) with `--tracks` distinct tracks spread over
`--playlists` playlists (a track can be in several). Each track's seven 0..1 features are drawn
around one of eight sound archetypes; each playlist mixes three to six of them, so every
playlist has clusters to find. Names have realistic lengths and scripts. Only numpy and the
standard library are used, and the same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
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
SYLLABLES = ["ka", "lo", "mi", "ra", "ne", "so", "ta", "vi", "du", "el", "an", "or", "is",
             "星", "夜", "의", "ма", "ли", "שׁ", "ü", "ñ", "é"]
BASE62 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
NATIVE_HEADER = ["track", "album", "artists", "label", "image", "spotify", "popularity", "liked",
                 *FEATURES, "tempo", "loudness"]


def words(rng: np.random.Generator, count: int, low: int, high: int) -> list[str]:
    """`count` names of `low` to `high` words of two to three syllables."""
    out = []
    for _ in range(count):
        parts = []
        for _ in range(int(rng.integers(low, high + 1))):
            n = int(rng.integers(2, 4))
            parts.append("".join(rng.choice(SYLLABLES, n)).capitalize())
        out.append(" ".join(parts))
    return out


def generate(out: Path, tracks: int, playlists: int, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    n_artists = max(10, tracks // 12)
    artists = words(rng, n_artists, 1, 3)
    labels = words(rng, max(5, n_artists // 8), 1, 3)
    artist_sound = rng.integers(0, len(ARCHETYPES), n_artists)
    artist_label = rng.integers(0, len(labels), n_artists)

    track_artist = rng.integers(0, n_artists, tracks)
    sound = np.where(rng.random(tracks) < 0.85, artist_sound[track_artist],
                     rng.integers(0, len(ARCHETYPES), tracks))
    features = np.clip(ARCHETYPES[sound] + rng.normal(0, 0.09, (tracks, 7)), 0, 1).round(3)
    tempo = (60 + 120 * features[:, 1] + rng.normal(0, 10, tracks)).round(3)
    loudness = (-25 + 20 * features[:, 1] + rng.normal(0, 2, tracks)).round(2)
    ids = ["".join(row) for row in BASE62[rng.integers(0, 62, (tracks, 22))]]
    names = words(rng, tracks, 1, 4)
    albums = words(rng, max(1, tracks // 8), 1, 3)
    track_album = rng.integers(0, len(albums), tracks)
    popularity = rng.integers(0, 101, tracks)
    liked = rng.random(tracks) < 0.3

    rows = [
        [names[i], albums[track_album[i]], artists[track_artist[i]],
         labels[artist_label[track_artist[i]]],
         f"https://i.scdn.co/image/ab67616d0000b273{ids[track_album[i] % tracks][:16].lower()}",
         f"spotify:track:{ids[i]}", int(popularity[i]), "true" if liked[i] else "false",
         *features[i].tolist(), float(tempo[i]), float(loudness[i])]
        for i in range(tracks)
    ]
    # Every track is in one playlist; about a third of them also in a second one. Playlists
    # lean on three to six archetypes each.
    leaning = [rng.choice(len(ARCHETYPES), int(rng.integers(3, 7)), replace=False)
               for _ in range(playlists)]
    by_sound = [[p for p in range(playlists) if s in leaning[p]] or list(range(playlists))
                for s in range(len(ARCHETYPES))]
    members: list[list[int]] = [[] for _ in range(playlists)]
    for i in range(tracks):
        choices = by_sound[sound[i]]
        members[choices[int(rng.integers(0, len(choices)))]].append(i)
        if rng.random() < 0.33:
            members[int(rng.integers(0, playlists))].append(i)
    titles = words(rng, playlists, 1, 3)
    for p in range(playlists):
        path = data / f"{p:04d} {titles[p]}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(NATIVE_HEADER)
            writer.writerows(rows[i] for i in sorted(set(members[p])))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tracks", type=int, default=20000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.tracks, args.playlists, args.seed)


if __name__ == "__main__":
    main()
