"""Styles suggested for an uploaded product: validate the photo (4xx for a bad one), analyse
it with the configured provider, and let the studio's matcher rank the catalogue. The
analysis and cut-out are kept next to the upload (``analysis_cache``): asking again with
other words is quick, and the generation's Analyze step reuses them.

The answer also links the cut-out itself (short-lived, the owner's key): clutter touching the
product is what the cut-out gets wrong most, and the seller sees it before paying. And the
validated photo, for a page that restores its draft (e.g. back from the payment page)."""
from __future__ import annotations

from photoshoot import storage
from photoshoot.catalogue import list_styles
from photoshoot.observability import logger


def suggest_for_upload(user_id: str, upload_id: str, user_words: str | None = None) -> dict:
    from photoshoot.generation import analysis_cache  # noqa: PLC0415
    from photoshoot.providers.registry import get_provider  # noqa: PLC0415
    from photoshoot.providers.suggest import suggest_styles  # noqa: PLC0415
    from photoshoot.uploads import check_upload_id, load_validated_upload  # noqa: PLC0415

    upload_id = check_upload_id(upload_id)
    upload = load_validated_upload(user_id, upload_id)  # 404 / 413 / 422 first
    provider = get_provider()
    cached = analysis_cache.load(user_id, upload_id, provider.name)
    if cached is not None:
        analysis, cutout_key = cached
    else:
        analysis, cutout = provider.analyze(upload.image)  # LowMaskQuality: 422 before paying
        cutout_key = analysis_cache.store(user_id, upload_id, provider.name, analysis, cutout)
    words = " ".join(str(user_words or "").split())[:200] or None
    ranked = suggest_styles(analysis, words, list_styles())
    logger.info("styles suggested", extra={"upload_id": upload_id, "count": len(ranked)})
    return {"upload_id": upload_id, "width": upload.width, "height": upload.height,
            "cutout_url": storage.presigned_get(cutout_key),
            # the validated photo itself: a page restoring its draft shows it again
            "photo_url": storage.presigned_get(storage.upload_key(user_id, upload_id)),
            "suggestions": [_suggestion(item) for item in ranked]}


def _suggestion(item: dict) -> dict:
    return {"style_id": item.get("style_id"), "score": round(float(item.get("score") or 0), 3),
            "reason": item.get("reason_ru") or item.get("reason") or ""}
