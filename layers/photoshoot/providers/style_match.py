"""Map a style (catalogue entry or the user's own words, Russian or English) to a scene.

A lexicon matcher: word stems vote for scenes, colour words give a tint, prop words ask
for props. Deterministic, instant and dependency-free.
"""
from __future__ import annotations

import re

DEFAULT_SCENE = "studio_sweep"

SCENE_WORDS: dict[str, tuple[str, ...]] = {
    "studio_sweep": ("студи", "фон", "однотон", "чист", "каталог", "минимал", "белом фон",
                     "studio", "backdrop", "background", "seamless", "clean", "plain", "catalog"),
    "marble": ("мрамор", "камен", "премиум", "роскош", "marble", "stone", "luxury", "premium"),
    "wood": ("дерев", "дуб", "дощ", "стол", "уют", "wood", "oak", "table", "rustic", "cosy", "cozy"),
    "concrete": ("бетон", "графит", "индустр", "лофт", "техник", "строг", "concrete", "industrial",
                 "loft", "graphite", "urban", "dark"),
    "linen": ("лён", "лен", "льнян", "ткан", "текстил", "мягк", "linen", "fabric", "cloth", "textile",
              "soft"),
    "podium": ("подиум", "постамент", "цилиндр", "геометр", "витрин", "podium", "pedestal",
               "cylinder", "geometric", "showcase"),
    "botanical": ("ботан", "лист", "растен", "зелен", "солн", "природ", "натурал", "тен",
                  "botanical", "leaf", "leaves", "plant", "sun", "nature", "natural", "shadow"),
    "water": ("вод", "брызг", "волн", "аква", "мор", "бассейн", "water", "splash", "ripple", "aqua",
              "sea", "pool"),
    "kitchen": ("кухн", "столешниц", "готов", "еда", "завтрак", "kitchen", "countertop", "food",
                "breakfast", "cooking"),
    "bathroom": ("ванн", "плитк", "спа", "душ", "bath", "tile", "spa", "shower"),
    "festive": ("праздн", "новогод", "нового год", "рождеств", "подар", "ёлк", "елк", "огон",
                "боке", "festive", "christmas", "holiday", "gift", "bokeh", "party", "new year"),
    "pastel_flatlay": ("пастел", "раскладк", "сверху", "флэтлей", "флетлей", "бумаг", "flat lay",
                       "flatlay", "top-down", "top down", "pastel", "paper", "overhead"),
}

COLOUR_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("розов", "pink", "rose"), "#f3c4d0"),
    (("красн", "red", "алый"), "#c8343c"),
    (("бордов", "burgundy", "wine"), "#7a1f2b"),
    (("оранж", "orange", "персик", "peach"), "#f6c89a"),
    (("жёлт", "желт", "yellow", "лимон"), "#f6e3a1"),
    (("золот", "gold"), "#d9b56a"),
    (("мят", "mint"), "#c8eedd"),
    (("зелён", "зелен", "green", "олив", "olive"), "#bfe0c4"),
    (("бирюз", "turquoise", "teal"), "#9fd9d3"),
    (("голуб", "light blue", "sky"), "#bfe0f0"),
    (("син", "blue", "navy"), "#9db8e8"),
    (("фиолет", "сирен", "лаванд", "purple", "lilac", "lavender", "violet"), "#d6c6ee"),
    (("бежев", "беж", "beige", "песоч", "sand", "крем", "cream"), "#e8dcc8"),
    (("коричн", "шоколад", "brown", "chocolate"), "#8a6048"),
    (("чёрн", "черн", "black"), "#2a2a2c"),
    (("сер", "grey", "gray"), "#b9b9bc"),
    (("бел", "white"), "#f3f2ef"),
)

PROP_WORDS: dict[str, tuple[str, ...]] = {
    "flowers": ("цветы", "цветам", "цветов", "цветоч", "букет", "пион", "тюльпан", "flower",
                "floral", "bouquet", "peony", "tulip", "petal", "лепест"),
    "leaves": ("лист", "эвкалипт", "leaf", "leaves", "eucalyptus"),
    "spheres": ("шар", "сфер", "sphere", "ball", "orb"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def _hits(text: str, stems: tuple[str, ...]) -> int:
    words = text.split(" ")
    n = 0
    for stem in stems:
        stem = stem.replace("ё", "е")
        if " " in stem or "-" in stem:
            n += text.count(stem)
        else:
            n += sum(1 for w in words if w.startswith(stem))
    return n


def scene_scores(text: str | None) -> dict[str, float]:
    """How strongly the words point at each scene (0 = not at all)."""
    if not text:
        return {}
    t = _norm(text)
    t = re.sub(r"[^\w\s\-]", " ", t)
    t = re.sub(r"\s+", " ", t)
    scores = {scene: float(_hits(t, stems)) for scene, stems in SCENE_WORDS.items()}
    # Generic words ("фон", "background") must not outvote a specific surface.
    generic = _hits(t, ("фон", "background", "backdrop"))
    if generic and any(v > 0 for k, v in scores.items() if k != "studio_sweep"):
        scores["studio_sweep"] = max(0.0, scores["studio_sweep"] - generic)
    return {k: v for k, v in scores.items() if v > 0}


def match_scene(text: str | None) -> tuple[str, str | None, tuple[str, ...]]:
    """(scene, tint hex or None, props) for free text; the default scene when nothing matches."""
    if not text:
        return DEFAULT_SCENE, None, ()
    t = re.sub(r"[^\w\s\-]", " ", _norm(text))
    t = re.sub(r"\s+", " ", t)
    scores = scene_scores(text)
    tint = None
    for stems, hex_colour in COLOUR_WORDS:
        if _hits(t, stems):
            tint = hex_colour
            break
    props = tuple(kind for kind, stems in PROP_WORDS.items() if _hits(t, stems))
    # "зелёный" is a colour first; only count it for botanical when nothing else matches.
    if tint and scores.get("botanical") and _hits(t, ("зелен", "green")) == scores["botanical"]:
        scores.pop("botanical")
    if not scores:
        return DEFAULT_SCENE, tint, props
    best = max(sorted(scores), key=lambda k: scores[k])
    return best, tint, props
