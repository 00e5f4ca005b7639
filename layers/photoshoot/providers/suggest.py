"""Suggest catalogue styles for an uploaded product, with a short Russian reason for each."""
from __future__ import annotations

from photoshoot.providers.contract import Analysis
from photoshoot.providers.style_match import scene_scores

_SHAPE_FIT: dict[str, dict[str, float]] = {
    "bottle": {"water": 0.9, "marble": 0.8, "bathroom": 0.7, "botanical": 0.6, "studio_sweep": 0.6},
    "tall": {"marble": 0.8, "water": 0.7, "podium": 0.7, "bathroom": 0.6, "studio_sweep": 0.6},
    "jar": {"kitchen": 0.9, "wood": 0.8, "linen": 0.7, "botanical": 0.6, "studio_sweep": 0.5},
    "box": {"studio_sweep": 0.8, "podium": 0.8, "festive": 0.7, "concrete": 0.6, "wood": 0.5},
    "shoe": {"concrete": 0.9, "studio_sweep": 0.8, "podium": 0.7, "wood": 0.4},
    "flat": {"pastel_flatlay": 1.0, "linen": 0.7, "wood": 0.5, "marble": 0.5},
    "round": {"podium": 0.8, "linen": 0.7, "marble": 0.6, "studio_sweep": 0.6},
}

_SHAPE_RU = {"bottle": "флакона или бутылки", "tall": "высокого товара", "jar": "баночки",
             "box": "коробки", "shoe": "обуви", "flat": "плоского товара", "round": "товара"}

_SCENE_REASON = {
    "studio_sweep": "Чистый фон — универсальный вариант для карточки маркетплейса",
    "marble": "Светлый мрамор добавит премиальности",
    "wood": "Тёплое дерево создаст уютное настроение",
    "concrete": "Графитовый бетон даст контраст и строгий характер",
    "linen": "Мягкий лён подчеркнёт натуральность",
    "podium": "Подиум в цветах товара сделает яркую витрину",
    "botanical": "Тени листьев добавят свежести и естественности",
    "water": "Вода и блики подчеркнут свежесть",
    "kitchen": "Кухня покажет товар в привычной обстановке",
    "bathroom": "Ванная с глянцевой плиткой создаст спа-настроение",
    "festive": "Праздничные огни — для подарков и сезонных акций",
    "pastel_flatlay": "Пастельная раскладка сверху хорошо смотрится в соцсетях",
}


def _get(analysis, key, default=None):
    if isinstance(analysis, Analysis):
        return getattr(analysis, key, default)
    return (analysis or {}).get(key, default)


def suggest_styles(analysis: Analysis | dict | None, user_words: str | None,
                   styles: list[dict]) -> list[dict]:
    """Rank ``styles`` for this product and the user's words.

    Returns ``[{"style_id", "score" (0..1), "reason_ru"}]``, best first; styles without a
    studio scene of their own still rank by their words.
    """
    shape = _get(analysis, "shape", "round") or "round"
    brightness = float(_get(analysis, "brightness", 0.5) or 0.5)
    saturation = float(_get(analysis, "saturation", 0.3) or 0.3)
    gloss = float(_get(analysis, "glossiness", 0.0) or 0.0)
    fit = _SHAPE_FIT.get(shape, _SHAPE_FIT["round"])
    wished = scene_scores(user_words)
    top_wish = max(wished.values()) if wished else 0.0
    ranked = []
    for style in styles:
        sid = style.get("style_id")
        scene = sid if sid in _SCENE_REASON else style.get("scene", sid)
        reasons = []
        score = 0.35 + 0.4 * fit.get(scene, 0.2)
        if scene in fit and fit[scene] >= 0.7:
            reasons.append(f"подходит для {_SHAPE_RU.get(shape, 'товара')}")
        if scene == "concrete":
            if brightness > 0.55:
                score += 0.12
                reasons.append("светлый товар хорошо читается на тёмном")
            elif brightness < 0.3:
                score -= 0.2
        if scene in ("marble", "studio_sweep", "bathroom") and brightness < 0.35:
            score += 0.1
            reasons.append("тёмный товар контрастно смотрится на светлом")
        if scene in ("podium", "pastel_flatlay") and saturation > 0.35:
            score += 0.1
            reasons.append("фон подберём в тон яркому товару")
        if scene in ("water", "marble", "bathroom", "concrete") and gloss > 0.3:
            score += 0.08
            reasons.append("глянец красиво отразится")
        if wished:
            text = " ".join(filter(None, [style.get("title"), style.get("description"),
                                          " ".join(style.get("tags") or [])]))
            own = wished.get(scene, 0.0) + (0.5 if user_words and any(
                w in text.lower() for w in user_words.lower().split() if len(w) > 3) else 0.0)
            if own:
                score += 0.5 * own / max(top_wish, 1.0)
                reasons.insert(0, "совпадает с вашим описанием")
            else:
                score -= 0.15
        base = _SCENE_REASON.get(scene, style.get("description") or "Подойдёт для этого товара")
        reason = base + (": " + ", ".join(reasons[:2]) if reasons else "") + "."
        ranked.append({"style_id": sid, "score": round(max(0.0, min(1.0, score)), 3),
                       "reason_ru": reason})
    ranked.sort(key=lambda r: (-r["score"], r["style_id"] or ""))
    return ranked
