"""Exportify CSV: one playlist per file, named after the file (exportify.net and watsonbox).

Every header variant both tools have written is recognised by column name, so columns may come
in any order and new ones are ignored. watsonbox/exportify translates its header into the
user's interface language since 2024-08: each translation is one more name in the tables below
(taken from watsonbox/exportify's `src/i18n/locales/*/translation.json`).
"""

from __future__ import annotations

from pathlib import Path

from ..model import Playlist, Problem, Track
from .common import parse_number, parse_numbers, pick, read_table, rows_of, split_labels, spotify_id

#: Header names per field, across Exportify's variants and watsonbox's translations (en, de,
#: fr, es, it, nl, pt, sv, tr, el, ar, ja, zh-Hans, zh-Hant, yue). Matched case-insensitively
#: after stripping spaces and tabs; the first name found wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "uri": (
        "Track URI",
        "Spotify ID",
        "Track ID",
        "Spotify URI",
        "Track-URI",
        "URI du titre",
        "URI de la canción",
        "URI della traccia",
        "Nummer URI",
        "URI da faixa",
        "Låtens URI",
        "Parça URI",
        "URI κομματιού",
        "رابط الأغنية (URI)",
        "トラックURI",
        "曲目 URI",
        "歌 Link",
    ),
    "name": (
        "Track Name",
        "Track-Name",
        "Nom du titre",
        "Nombre de la canción",
        "Nome della traccia",
        "Nummernaam",
        "Nome da faixa",
        "Låtens namn",
        "Parça Adı",
        "Όνομα κομματιού",
        "اسم الأغنية",
        "トラック名",
        "曲目名称",
        "曲目名稱",
        "歌名",
    ),
    "album": (
        "Album Name",
        "Album-Name",
        "Nom de l'album",
        "Nombre del álbum",
        "Nome dell'album",
        "Naam van album",
        "Nome do álbum",
        "Albumets namn",
        "Albüm Adı",
        "Όνομα άλμπουμ",
        "اسم الألبوم",
        "アルバム名",
        "专辑名称",
        "專輯名稱",
        "專輯名",
    ),
    "artists": (
        "Artist Name(s)",
        "Artist Name",
        "Künstlername(n)",
        "Nom(s) de l'artiste",
        "Nombre(s) del artista",
        "Nome dell'artista",
        "Naam van artiest",
        "Nome(s) do artista",
        "Artistens namn",
        "Sanatçı Adı",
        "Όνομα/τα καλλιτέχνη",
        "أسماء الفنانين",
        "アーティスト名",
        "艺人名称",
        "藝人名稱",
        "Artist 名",
    ),
    "label": (
        "Record Label",
        "Label",
        "Sello",
        "Etichetta",
        "Gravadora",
        "Skivbolag",
        "Plak Şirketi",
        "Εταιρεία",
        "العلامة التجارية",
        "レーベル",
        "唱片公司",
    ),
    "image": (
        "Album Image URL",
        "Album-Bild-URL",
        "URL de l'image de l'album",
        "URL de la imagen del álbum",
        "URL dell'immagine dell'album",
        "Album afbeelding-URL",
        "URL da imagem do álbum",
        "Albumets bild-URL",
        "Albüm Resim URL'si",
        "URL εικόνας άλμπουμ",
        "رابط صورة الألبوم",
        "アルバム画像URL",
        "专辑封面 URL",
        "專輯封面 URL",
        "專輯封面條 Link",
    ),
    "popularity": (
        "Popularity",
        "Beliebtheit",
        "Popularité",
        "Popularidad",
        "Popolarità",
        "Populariteit",
        "Popularidade",
        "Popularitet",
        "Popülerlik",
        "Δημοτικότητα",
        "الشعبية",
        "人気度",
        "热度",
        "熱門度",
    ),
    "genres": (
        "Genres",
        "Artist Genres",
        "Künstler-Genres",
        "Genres de l'artiste",
        "Géneros del artista",
        "Generi dell'artista",
        "Genres van de artiest",
        "Gêneros do artista",
        "Artistens genrer",
        "Sanatçı Türleri",
        "Είδη καλλιτέχνη",
        "أنواع الفنان",
        "アーティストジャンル",
        "艺人流派",
        "藝人曲風",
    ),
}
#: The album URI column only watsonbox/exportify writes: it tells the two tools apart.
WATSONBOX_COLUMNS = (
    "Album URI",
    "Album-URI",
    "URI de l'album",
    "URI del álbum",
    "URI dell'album",
    "URI do álbum",
    "Albumets URI",
    "Albüm URI",
    "URI άλμπουμ",
    "رابط الألبوم (URI)",
    "アルバムURI",
    "专辑 URI",
    "專輯 URI",
    "專輯 Link",
)
#: Audio feature columns, in the same languages.
FEATURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "danceability": (
        "Danceability",
        "Tanzbarkeit",
        "Danseabilité",
        "Bailabilidad",
        "Ballabilità",
        "Dansbaarheid",
        "Dançabilidade",
        "Dansbarhet",
        "Dans Edilebilirlik",
        "Χορευτικότητα",
        "قابلية الرقص",
        "ダンサビリティ",
        "舞蹈性",
    ),
    "energy": (
        "Energy",
        "Energie",
        "Énergie",
        "Energía",
        "Energia",
        "Energi",
        "Enerji",
        "Ενέργεια",
        "الطاقة",
        "エネルギー",
        "能量",
    ),
    "key": (
        "Key",
        "Tonart",
        "Tonalité",
        "Tonalidad",
        "Chiave",
        "Toonsoort",
        "Tonalidade",
        "Ton",
        "Τονικότητα",
        "المفتاح",
        "キー",
        "调性",
        "調性",
    ),
    "loudness": (
        "Loudness",
        "Lautstärke",
        "Volume sonore",
        "Volumen",
        "Volume",
        "Luidheid",
        "Ljudstyrka",
        "Ses Seviyesi",
        "Ένταση",
        "مستوى الصوت",
        "ラウドネス",
        "响度",
        "響度",
    ),
    "mode": (
        "Mode",
        "Modus",
        "Modo",
        "Modalità",
        "Läge",
        "Mod",
        "Τρόπος",
        "النمط",
        "モード",
        "调式",
        "調式",
    ),
    "speechiness": (
        "Speechiness",
        "Sprachanteil",
        "Parlabilité",
        "Hablado",
        "Linguaggio parlato",
        "Spraakzaamheid",
        "Oralidade",
        "Talighet",
        "Konuşma Oranı",
        "Ομιλητικότητα",
        "محتوى الكلام",
        "スピーチ性",
        "语音度",
        "語音度",
    ),
    "acousticness": (
        "Acousticness",
        "Akustik",
        "Acoustique",
        "Acústica",
        "Acustica",
        "Akoestiek",
        "Akustiklik",
        "Ακουστικότητα",
        "الطابع الصوتي",
        "アコースティック性",
        "原声性",
        "原音性",
    ),
    "instrumentalness": (
        "Instrumentalness",
        "Instrumentalität",
        "Instrumental",
        "Instrumentalidad",
        "Strumentalità",
        "Instrumentaliteit",
        "Instrumentalidade",
        "Instrumentalhet",
        "Enstrümantalite",
        "Οργανοκεντρικότητα",
        "الطابع الآلي",
        "インストゥルメンタル性",
        "器乐度",
        "器樂度",
    ),
    "liveness": (
        "Liveness",
        "Lebendigkeit",
        "Vivacité",
        "Vivacidad",
        "Vivacità",
        "Levendigheid",
        "Vivacidade",
        "Livlighet",
        "Canlılık",
        "Ζωντάνια",
        "الحيوية",
        "ライブ感",
        "现场感",
        "現場感",
    ),
    "valence": (
        "Valence",
        "Valenz",
        "Valencia",
        "Valenza",
        "Valentie",
        "Valência",
        "Valens",
        "Duygusallık",
        "Θετικότητα",
        "الإيجابية",
        "感情値",
        "情绪效价",
        "情緒效價",
    ),
    "tempo": ("Tempo", "Ρυθμός", "الإيقاع", "テンポ", "速度"),
    "time_signature": (
        "Time Signature",
        "Taktart",
        "Mesure",
        "Compás",
        "Battuta",
        "Maatstreep",
        "Compasso",
        "Ölçü İşareti",
        "Μέτρο",
        "توقيع الزمن",
        "拍子",
        "拍号",
        "拍號",
    ),
}


def looks_like_exportify(header: list[str]) -> bool:
    return pick(header, COLUMNS["name"]) is not None and pick(header, COLUMNS["uri"]) is not None


def read_exportify(path: Path, source: str) -> tuple[list[Playlist], list[Problem]]:
    frame, problems = read_table(path, source, short_ok=_local_file_lengths)
    header = list(frame.columns)
    column = {field: pick(header, names) for field, names in COLUMNS.items()}
    feature_columns = {
        feature: found
        for feature, names in FEATURE_COLUMNS.items()
        if (found := pick(header, names)) is not None
    }
    features, issues = parse_numbers(frame, feature_columns, source)
    problems += issues

    def cells(field: str) -> list[str]:
        name = column[field]
        return frame[name].astype(str).tolist() if name else [""] * len(frame)

    # watsonbox joins artists with ", " (a comma inside a name escaped as "\,"); exportify.net
    # joined them with "," until 2025-09 and with ";" since (only headers with 'Explicit',
    # from 2025-05, can be of the ";" kind).
    artist_cells = cells("artists")
    watsonbox = pick(header, WATSONBOX_COLUMNS) is not None
    semicolons = (
        not watsonbox
        and pick(header, ("Explicit",)) is not None
        and any(";" in cell for cell in artist_cells)
    )

    tracks: list[Track] = []
    rows = rows_of(frame)
    for i, (uri, name, album, artists, label, image, popularity, genres) in enumerate(
        zip(
            cells("uri"),
            cells("name"),
            cells("album"),
            artist_cells,
            cells("label"),
            cells("image"),
            cells("popularity"),
            cells("genres"),
            strict=True,
        )
    ):
        track_id = spotify_id(uri)
        tracks.append(
            Track(
                name=name.strip(),
                key=track_id or f"{uri.strip()}|{name.strip()}|{artists.strip()}",
                album=_not_null(album),
                artists=_split_artists(artists, watsonbox=watsonbox, semicolons=semicolons),
                labels=split_labels(_not_null(label)),
                image=_not_null(image) or None,
                spotify_id=track_id,
                popularity=parse_number(popularity),
                genres=tuple(g.strip() for g in genres.split(",") if g.strip()),
                features={f: v for f, values in features.items() if (v := values[i]) is not None},
                origin=(source, rows[i]),
            )
        )
    return [Playlist(name=path.stem, source=source, tracks=tuple(tracks))], problems


def _local_file_lengths(header: list[str]) -> set[int]:
    """Row lengths exportify.net writes for tracks without features: rows that stop after
    'Genres' or after 'Record Label' (never padded with empty cells)."""
    lengths = set()
    for names in (COLUMNS["genres"], COLUMNS["label"]):
        found = pick(header, names)
        if found is not None:
            lengths.add(header.index(found) + 1)
    return lengths


def _not_null(text: str) -> str:
    """watsonbox writes the literal text `null` for local files' missing album fields."""
    text = text.strip()
    return "" if text == "null" else text


def _split_artists(text: str, *, watsonbox: bool, semicolons: bool) -> tuple[str, ...]:
    if watsonbox:
        parts = text.replace("\\,", "\x00").split(", ")
        return tuple(p.replace("\x00", ",").strip() for p in parts if p.strip())
    separator = ";" if semicolons else ","
    return tuple(p.strip() for p in text.split(separator) if p.strip())
