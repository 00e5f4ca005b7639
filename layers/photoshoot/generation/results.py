"""Result images in S3: the full-size JPEG and its thumbnail per index, and the ZIP archive
of a whole photoshoot. Pillow is imported only here and only when encoding."""
from __future__ import annotations

import io
import zipfile

from photoshoot import storage
from photoshoot.errors import Conflict
from photoshoot.generation.records import get_generation, images_of
from photoshoot.models import Generation

JPEG_QUALITY = 92
THUMB_SIDE_PX = 480
ARCHIVE_TTL_S = 15 * 60


class NothingToArchive(Conflict):
    code = "nothing_to_archive"
    message = "В этой генерации пока нет готовых фото."


def store_result(user_id: str, generation_id: str, index: int, image) -> dict:
    """Encode and store one finished image and its thumbnail; returns the image record
    kept on the Generation (keys, not URLs)."""
    from PIL import Image  # noqa: PLC0415

    rgb = image.convert("RGB")
    full = io.BytesIO()
    rgb.save(full, "JPEG", quality=JPEG_QUALITY)  # baseline: ~6× faster to encode than progressive
    thumb_image = rgb.copy()
    thumb_image.thumbnail((THUMB_SIDE_PX, THUMB_SIDE_PX), Image.Resampling.BILINEAR)
    thumb = io.BytesIO()
    thumb_image.save(thumb, "JPEG", quality=82)
    key = storage.result_key(user_id, generation_id, index)
    thumb_key = storage.thumb_key(user_id, generation_id, index)
    storage.put_bytes(key, full.getvalue(), "image/jpeg")
    storage.put_bytes(thumb_key, thumb.getvalue(), "image/jpeg")
    return {"index": int(index), "key": key, "thumb_key": thumb_key,
            "width": rgb.width, "height": rgb.height}


def archive_name(generation: Generation) -> str:
    return f"photoshoot-{generation.generation_id.lower()}.zip"


def archive_url(user_id: str, generation_id: str) -> dict:
    """A short-lived URL of a ZIP of all the generation's images (built once, then reused
    while the set of images stays the same)."""
    generation = get_generation(user_id, generation_id, consistent=True)
    images = images_of(generation)
    if not images:
        raise NothingToArchive()
    key = storage.archive_key(user_id, generation.generation_id)
    signature = ",".join(str(image["index"]) for image in images)
    existing = storage.head(key)
    if existing is None or (existing.get("Metadata") or {}).get("images") != signature:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for image in images:  # JPEGs are compressed already: store them as they are
                archive.writestr(f"photo-{int(image['index']) + 1}.jpg",
                                 storage.get_bytes(image["key"]))
        storage.put_bytes(key, buffer.getvalue(), "application/zip",
                          metadata={"images": signature})
    return {"url": storage.presigned_get(key, ARCHIVE_TTL_S,
                                         download_name=archive_name(generation)),
            "count": len(images)}
