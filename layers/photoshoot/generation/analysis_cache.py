"""The product analysis and cut-out of an upload, kept next to it once computed.

Style suggestions analyse the photo while the seller is still choosing a style; the Analyze
step of a generation from the same upload (and the same provider) then reuses that work, so
the first image arrives about an analysis sooner. Keys: ``uploads/<user>/<upload>.analysis.json``
(with the provider's name in its metadata) and ``uploads/<user>/<upload>.cutout.png``.
"""
from __future__ import annotations

import io
import json

from photoshoot import storage
from photoshoot.observability import logger


def analysis_key(user_id: str, upload_id: str) -> str:
    return f"{storage.upload_key(user_id, upload_id)}.analysis.json"


def cutout_key(user_id: str, upload_id: str) -> str:
    return f"{storage.upload_key(user_id, upload_id)}.cutout.png"


def store(user_id: str, upload_id: str, provider: str, analysis, cutout) -> str:
    """Keep the analysis and cut-out of this upload; returns the cut-out's key."""
    buffer = io.BytesIO()
    cutout.save(buffer, "PNG", compress_level=1)
    storage.put_bytes(cutout_key(user_id, upload_id), buffer.getvalue(), "image/png")
    # the analysis last: its presence means the cut-out is there too
    storage.put_bytes(analysis_key(user_id, upload_id),
                      json.dumps(analysis.to_dict()).encode(), "application/json",
                      metadata={"provider": provider})
    return cutout_key(user_id, upload_id)


def load(user_id: str, upload_id: str, provider: str):
    """``(Analysis, cutout_key)`` computed before by ``provider`` for this upload, or None."""
    from photoshoot.providers.contract import Analysis  # noqa: PLC0415

    key = analysis_key(user_id, upload_id)
    meta = storage.head(key)
    if meta is None or (meta.get("Metadata") or {}).get("provider") != provider:
        return None
    try:
        analysis = Analysis.from_dict(json.loads(storage.get_bytes(key)))
    except (ValueError, TypeError, KeyError):
        logger.warning("cached analysis unreadable", extra={"upload_id": upload_id})
        return None
    if storage.head(cutout_key(user_id, upload_id)) is None:
        return None
    return analysis, cutout_key(user_id, upload_id)
