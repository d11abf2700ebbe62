"""Generate the invented music library used by the mkdocs-clusters example site.

Run it from anywhere (it writes next to itself):

    python example_site/generate.py

It (re)writes ``example_site/data/`` deterministically (numpy seed 2026): six
playlists, four as YAML, one as JSON and one as CSV, in the format the plugin
reads. Each track's audio features are drawn around one of five "sound"
archetypes, so every playlist has real clusters for the plugin to find.
Only the standard library, numpy and PyYAML are needed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

SEED = 2026
DATA_DIR = Path(__file__).resolve().parent / "data"
FEATURES = ("danceability", "energy", "speechiness", "acousticness", "instrumentalness", "liveness", "valence")
COLUMNS = ("track", "album", "artists", "label", "image", "spotify", "popularity", "liked", "genres",
           *FEATURES, "tempo", "loudness", "key", "mode")
FEATURE_SD = np.array([0.08, 0.08, 0.04, 0.10, 0.08, 0.08, 0.12])
BASE62 = list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# Sound archetypes: mean of the seven 0..1 FEATURES, then mean tempo (BPM) and loudness (dB).
ARCHETYPES: dict[str, tuple[tuple[float, ...], float, float]] = {
    "dance": ((0.78, 0.80, 0.07, 0.10, 0.02, 0.14, 0.72), 122.0, -5.0),
    "acoustic": ((0.52, 0.30, 0.04, 0.82, 0.06, 0.11, 0.42), 96.0, -11.0),
    "ambient": ((0.40, 0.20, 0.04, 0.78, 0.86, 0.10, 0.28), 84.0, -17.0),
    "hiphop": ((0.76, 0.63, 0.33, 0.14, 0.01, 0.18, 0.52), 92.0, -6.5),
    "rock": ((0.42, 0.88, 0.07, 0.05, 0.08, 0.68, 0.45), 148.0, -5.5),
}

Artist = tuple[str, str, str, tuple[str, ...]]  # (name, language of their titles, sound archetype, genres)
ARTISTS: list[Artist] = [
    ("Luna Vale", "en", "dance", ("dance pop", "electropop")), ("Neon Harbor", "en", "dance", ("synthpop",)),
    ("Sofía Marín", "es", "dance", ("latin pop", "reggaeton")), ("Los Hermanos Díaz", "es", "dance", ("cumbia",)),
    ("ミカ・ソラ", "ja", "dance", ("j-pop",)), ("별빛 소녀", "ko", "dance", ("k-pop", "dance pop")),
    ("Camille Roux", "fr", "dance", ("french pop",)), ("Kyra & The Comets", "en", "dance", ("dance pop", "disco")),
    ("Elliot Marsh", "en", "acoustic", ("folk", "singer-songwriter")), ("June Okafor", "en", "acoustic", ("indie folk",)),
    ("Ana Beatriz Lopes", "pt", "acoustic", ("mpb", "bossa nova")), ("Wren Halloway", "en", "acoustic", ("acoustic pop",)),
    ("Paper Lanterns", "en", "acoustic", ("indie folk", "chamber pop")), ("Сергей Лесной", "ru", "acoustic", ("bard", "folk")),
    ("하늘빛", "ko", "acoustic", ("k-indie",)), ("Éloïse Garnier", "fr", "acoustic", ("chanson", "folk")),
    ("The Blue Hour Trio", "en", "ambient", ("jazz", "cool jazz")), ("Miles Ferreira Quartet", "pt", "ambient", ("jazz",)),
    ("Ocean Drift", "en", "ambient", ("ambient",)), ("Kōji Nakamura", "ja", "ambient", ("jazz piano", "japanese jazz")),
    ("Ива Тихонова", "ru", "ambient", ("ambient", "neoclassical")), ("Delphine Aubert", "fr", "ambient", ("jazz",)),
    ("Lo-Fi Lantern", "en", "ambient", ("lo-fi", "chillhop")), ("静かな部屋", "ja", "ambient", ("ambient",)),
    ("MC Raíz", "es", "hiphop", ("latin hip hop",)), ("Dre Calloway", "en", "hiphop", ("hip hop", "rap")),
    ("Yung Kestrel", "en", "hiphop", ("trap",)), ("K.O. Collective", "en", "hiphop", ("hip hop", "boom bap")),
    ("Дима Бит", "ru", "hiphop", ("russian hip hop",)), ("서울 브라더스", "ko", "hiphop", ("k-rap",)),
    ("Nia Brooks", "en", "hiphop", ("spoken word", "r&b")), ("La Brújula", "es", "hiphop", ("latin hip hop", "trap latino")),
    ("The Velvet Static", "en", "rock", ("indie rock",)), ("Granite Hearts", "en", "rock", ("rock", "alternative rock")),
    ("Los Volcanes", "es", "rock", ("rock en español",)), ("夜明けバンド", "ja", "rock", ("j-rock",)),
    ("Северный Ветер", "ru", "rock", ("russian rock",)), ("Harbor Lights", "en", "rock", ("indie rock", "post-punk")),
    ("Amber Rail", "en", "rock", ("alternative rock",)), ("Les Sauvages", "fr", "rock", ("garage rock",)),
]

LABELS = ["Northern Lights Records", "Blue Harbor Music", "Kite Music", "Umbrella Records", "Sakura Sound Inc.",
          "Casa Solar Discos", "Мир Звука", "Disques Éclair", "Saltwater Recordings", "Midnight Owl Jazz",
          "Copper Fox Records", "Hanbit Entertainment", "Redwood & Pine", "Lumen Audio", "Static Bloom Records"]

# Per language: title templates and the words for their {a}, {b} and {c} slots.
LEXICON: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "en": (["{a} {b}", "{a} {b}", "{b} & {c}", "Don't Wake the {b}", "Summer's {b}", "The {b} Won't Wait"],
           ("Golden Paper Electric Quiet Velvet Neon Silver Midnight Broken Wild Slow Crimson Borrowed Lonely Restless "
            "Hollow Tender Faded").split(),
           "Hour Heart River Skyline Coast Signal Fever Garden Highway Echo Mirror Satellite Motel Lighthouse".split(),
           "Honey Smoke Thunder Salt Glass Wine Gasoline Roses".split()),
    "es": (["{b} de {c}", "{b} de {c}", "Baila {a}", "Sin {b}"], ["Conmigo", "Otra Vez", "Despacio", "Toda la Noche"],
           "Corazón Noche Luna Ciudad Lluvia Cielo Sueño Camino Mar Beso Calle Fiesta".split(),
           "Arena Medianoche Verano Cristal Fuego Abril Madrid Oro Neón Papel Sal".split()),
    "pt": (["{b} de {c}", "Samba {a}", "Água de {c}"], ["Leve", "Antigo", "da Madrugada", "do Porto"],
           "Saudade Tarde Chuva Canção Janela Praia Noite Barco".split(),
           "Janeiro Areia Domingo Lisboa Verão Seda Café Maré".split()),
    "fr": (["{b} à {c}", "{b} {a}", "Je t'attends à {c}"], ["d'hiver", "d'amour", "sans fin", "de nuit", "en couleur"],
           ["Minuit", "Pluie", "Café", "Été", "Valse", "Lumière", "Rendez-vous", "Silence", "Souvenir"],
           ["Paris", "Lyon", "Marseille", "l'aube", "Montmartre", "Nantes", "la plage"]),
    "ja": (["{a}の{b}", "{a}の{b}", "{b}をもう一度"], list("夜夏雨星海君春月風空朝") + ["東京"],
           ["街", "光", "歌", "夢", "記憶", "ダンス", "窓", "花火", "足跡", "約束", "影", "鼓動"], [""]),
    "ko": (["{a} {b}", "{a} {b}", "{b}에게"], ["푸른", "작은", "하얀", "오늘의", "우리의", "어젯밤의", "마지막", "따뜻한"],
           ["밤", "노래", "바다", "별", "꿈", "계절", "편지", "여름", "골목"], [""]),
    "ru": (["{a} {b}"], "Ночной Последний Тёплый Северный Тихий Старый Синий Весенний Летний Долгий Первый".split(),
           "ветер город вечер трамвай блюз рассвет поезд дождь сон маяк берег огонь".split(), [""]),
}
VERSIONS = [" - Acoustic Version", " - Radio Edit", " (Live)", " - Remix"]


@dataclass(frozen=True)
class PlaylistSpec:
    name: str
    size: int
    flavour: str  # "yml", "json" or "csv"
    mix: dict[str, float]  # archetype -> weight
    langs: tuple[str, ...] = ()  # artists singing in these languages are picked more often
    stem: str | None = None  # file name when the name has no Latin slug


PLAYLISTS = [
    PlaylistSpec("Indie Mornings", 40, "json", {"acoustic": 0.5, "rock": 0.3, "dance": 0.2}, ("en", "fr")),
    PlaylistSpec("Работа и фокус", 60, "csv", {"ambient": 0.6, "acoustic": 0.3, "dance": 0.1}, ("ru",),
                 "rabota-i-fokus"),
    PlaylistSpec("Late Night Jazz", 90, "yml", {"ambient": 0.55, "acoustic": 0.25, "hiphop": 0.2}, ("en", "fr", "pt")),
    PlaylistSpec("Road Trip", 120, "yml", {"rock": 0.45, "dance": 0.3, "hiphop": 0.15, "acoustic": 0.1}),
    PlaylistSpec("Música para Bailar", 180, "yml", {"dance": 0.55, "hiphop": 0.3, "rock": 0.15}, ("es", "pt")),
    PlaylistSpec("東京の夜", 280, "yml",
                 {"dance": 0.3, "ambient": 0.25, "hiphop": 0.2, "rock": 0.15, "acoustic": 0.1}, ("ja", "ko"),
                 "tokyo-no-yoru"),
]


@dataclass
class Track:
    sound: str
    lang: str
    record: dict[str, Any]


def ascii_slug(text: str) -> str:
    """Lower-case ASCII slug with dashes; empty if the text has no Latin letters or digits."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def image_url(album: str) -> str:
    seed = ascii_slug(album) or "album-" + hashlib.sha1(album.encode()).hexdigest()[:10]
    return f"https://picsum.photos/seed/{seed}/64"


class Library:
    """Invents artists, albums and tracks, all from one seeded random generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.album_titles: set[str] = set()
        self.track_titles: set[str] = set()
        self.tracks: list[Track] = []
        self.names = [artist[0] for artist in ARTISTS]

    def pick(self, items: list[Any]) -> Any:
        return items[int(self.rng.integers(len(items)))]

    def title(self, lang: str, taken: set[str]) -> str:
        """A new title in the given language (a repeat only if 50 tries all collide)."""
        templates, a, b, c = LEXICON[lang]
        for _ in range(50):
            text = self.pick(templates).format(a=self.pick(a), b=self.pick(b), c=self.pick(c))
            if text not in taken:
                break
        taken.add(text)
        return text

    def spotify_id(self) -> str:
        while (sid := "".join(self.rng.choice(BASE62, 22))) in self.ids:
            pass
        self.ids.add(sid)
        return sid

    def features(self, sound: str) -> dict[str, float | int]:
        means, tempo, loudness = ARCHETYPES[sound]
        values = np.clip(np.array(means) + self.rng.normal(0.0, FEATURE_SD), 0.0, 1.0)
        out: dict[str, float | int] = {name: round(float(v), 3) for name, v in zip(FEATURES, values)}
        out["tempo"] = round(float(np.clip(self.rng.normal(tempo, 10.0), 60.0, 190.0)), 3)
        out["loudness"] = round(float(np.clip(self.rng.normal(loudness, 1.8), -30.0, -2.0)), 3)
        out.update(key=int(self.rng.integers(12)), mode=int(self.rng.random() < 0.62))
        return out

    def build(self) -> None:
        """Give every artist a home label, 1-4 albums and 5-10 tracks per album."""
        for artist in ARTISTS:
            home, fame = self.pick(LABELS), int(self.rng.integers(25, 80))
            for _ in range(int(self.rng.integers(1, 5))):
                album, label = self.title(artist[1], self.album_titles), home
                if self.rng.random() < 0.25:  # co-released: several labels in one string
                    others = [x for x in LABELS if x != home]
                    extra = self.rng.choice(others, int(self.rng.integers(1, 3)), replace=False)
                    label = self.pick([", ", " / ", "; "]).join([home, *map(str, extra)])
                for _ in range(int(self.rng.integers(5, 11))):
                    self.add_track(artist, album, label, fame)

    def add_track(self, artist: Artist, album: str, label: str, fame: int) -> None:
        rng, (main_artist, lang, sound, genres) = self.rng, artist
        if rng.random() < 0.1:  # the odd track in a different style
            sound = self.pick(list(ARCHETYPES))
        name, artists = self.title(lang, self.track_titles), [main_artist]
        feats = self.features(sound)
        roll = rng.random()
        if roll < 0.12:
            guest = self.pick([n for n in self.names if n != main_artist])
            artists.append(guest)
            name += f" (feat. {guest})"
        elif roll < 0.2:
            name += (version := self.pick(VERSIONS))
            if version == " (Live)":
                feats["liveness"] = round(float(rng.uniform(0.75, 0.98)), 3)
        sid = self.spotify_id()
        record = {
            "track": name, "album": album, "artists": artists, "label": label, "image": image_url(album),
            "spotify": sid if rng.random() < 0.1 else f"spotify:track:{sid}",
            "popularity": int(np.clip(round(rng.normal(fame, 12.0)), 0, 100)),
            "liked": bool(rng.random() < 0.3), "genres": list(genres), **feats,
        }
        self.tracks.append(Track(sound, lang, record))

    def playlist(self, spec: PlaylistSpec) -> list[dict[str, Any]]:
        """Draw the playlist's tracks: archetype counts from its mix, popular/local tracks more likely."""
        sounds = list(spec.mix)
        weights = np.array([spec.mix[s] for s in sounds])
        counts = self.rng.multinomial(spec.size, weights / weights.sum())
        chosen: list[int] = []
        for sound, count in zip(sounds, counts):
            pool = [i for i, t in enumerate(self.tracks) if t.sound == sound]
            assert count <= len(pool), f"not enough {sound} tracks for {spec.name}"
            p = np.array([(self.tracks[i].record["popularity"] + 10) * (4 if self.tracks[i].lang in spec.langs else 1)
                          for i in pool], dtype=float)
            chosen += [int(i) for i in self.rng.choice(pool, int(count), replace=False, p=p / p.sum())]
        self.rng.shuffle(chosen)
        return [self.tracks[i].record for i in chosen]


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes lists of scalars inline, e.g. ``artists: [A, B]``."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(x, (list, dict)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def write_playlist(path: Path, name: str, tracks: list[dict[str, Any]]) -> None:
    """Write one playlist as YAML, JSON or CSV, chosen by the file's suffix."""
    doc = {"playlist": name, "tracks": tracks}
    if path.suffix == ".yml":
        text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(text, encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["playlist", *COLUMNS])
            for t in tracks:
                row = {**t, "artists": "; ".join(t["artists"]), "genres": "; ".join(t["genres"]),
                       "liked": "true" if t["liked"] else "false"}
                writer.writerow([name, *(row[c] for c in COLUMNS)])


def main() -> None:
    library = Library(np.random.default_rng(SEED))
    library.build()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for old in DATA_DIR.iterdir():
        if old.suffix in {".yml", ".yaml", ".json", ".csv"}:
            old.unlink()
    for spec in PLAYLISTS:
        path = DATA_DIR / f"{spec.stem or ascii_slug(spec.name)}.{spec.flavour}"
        tracks = library.playlist(spec)
        write_playlist(path, spec.name, tracks)
        print(f"{path.name:28} {len(tracks):4} tracks  {spec.name}")


if __name__ == "__main__":
    main()
