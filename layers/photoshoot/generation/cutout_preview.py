"""A JPEG of an upload's cut-out on a checkerboard, for channels that cannot show
transparency (Telegram turns a sent PNG into a JPEG, so clutter kept around the product
would disappear into a flat background). Kept beside the upload; returns a short-lived link.
"""
from __future__ import annotations

import io

from photoshoot import storage
from photoshoot.generation import analysis_cache

PREVIEW_SIDE_PX = 640
SQUARE_PX = 16
LIGHT, DARK = (255, 255, 255), (226, 222, 236)


def preview_key(user_id: str, upload_id: str) -> str:
    return f"{storage.upload_key(user_id, upload_id)}.cutout-preview.jpg"


def preview_url(user_id: str, upload_id: str) -> str:
    """Build (once) and link the preview of this user's upload; the cut-out must exist
    (style suggestions make it)."""
    key = preview_key(user_id, upload_id)
    if storage.head(key) is None:
        storage.put_bytes(key, _render(storage.get_bytes(
            analysis_cache.cutout_key(user_id, upload_id))), "image/jpeg")
    return storage.presigned_get(key)


def _render(cutout_png: bytes) -> bytes:
    import numpy as np  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    cutout = Image.open(io.BytesIO(cutout_png)).convert("RGBA")
    cutout.thumbnail((PREVIEW_SIDE_PX, PREVIEW_SIDE_PX), Image.Resampling.LANCZOS)
    pad = max(8, cutout.width // 12)
    width, height = cutout.width + 2 * pad, cutout.height + 2 * pad
    ys, xs = np.indices((height, width))
    checker = ((xs // SQUARE_PX + ys // SQUARE_PX) % 2).astype(bool)
    board = np.where(checker[..., None], np.array(DARK, np.uint8), np.array(LIGHT, np.uint8))
    canvas = Image.fromarray(board.astype(np.uint8), "RGB")
    canvas.paste(cutout, (pad, pad), cutout)
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
