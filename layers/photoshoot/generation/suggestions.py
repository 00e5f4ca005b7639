"""Styles suggested for an uploaded product: validate the photo (4xx for a bad one), analyse
it with the configured provider, and let the studio's matcher rank the catalogue. The
analysis is cached next to the upload, so asking again (other words) is quick."""
from __future__ import annotations

import json

from photoshoot import storage
from photoshoot.catalogue import list_styles
from photoshoot.observability import logger


def _analysis_key(user_id: str, upload_id: str) -> str:
    return f"{storage.upload_key(user_id, upload_id)}.analysis.json"


def suggest_for_upload(user_id: str, upload_id: str, user_words: str | None = None) -> dict:
    from photoshoot.providers.contract import Analysis  # noqa: PLC0415
    from photoshoot.providers.registry import get_provider  # noqa: PLC0415
    from photoshoot.providers.suggest import suggest_styles  # noqa: PLC0415
    from photoshoot.uploads import check_upload_id, load_validated_upload  # noqa: PLC0415

    upload_id = check_upload_id(upload_id)
    upload = load_validated_upload(user_id, upload_id)  # 404 / 413 / 422 first
    key = _analysis_key(user_id, upload_id)
    analysis = None
    if storage.head(key) is not None:
        try:
            analysis = Analysis.from_dict(json.loads(storage.get_bytes(key)))
        except (ValueError, TypeError, KeyError):
            analysis = None
    if analysis is None:
        analysis, _cutout = get_provider().analyze(upload.image)
        storage.put_bytes(key, json.dumps(analysis.to_dict()).encode(), "application/json")
    words = " ".join(str(user_words or "").split())[:200] or None
    ranked = suggest_styles(analysis, words, list_styles())
    logger.info("styles suggested", extra={"upload_id": upload_id, "count": len(ranked)})
    return {"upload_id": upload_id, "width": upload.width, "height": upload.height,
            "suggestions": [_suggestion(item) for item in ranked]}


def _suggestion(item: dict) -> dict:
    return {"style_id": item.get("style_id"), "score": round(float(item.get("score") or 0), 3),
            "reason": item.get("reason_ru") or item.get("reason") or ""}
