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


def _put_jpeg(key: str, image, quality: int) -> None:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)  # baseline: ~6× faster than progressive
    storage.put_bytes(key, buffer.getvalue(), "image/jpeg")


def store_result(user_id: str, generation_id: str, index: int, image) -> dict:
    """Encode and store one finished image and its thumbnail; returns the image record
    kept on the Generation (keys, not URLs). The full-size image is encoded and uploaded
    on a second thread while the thumbnail is made: the seller waits for both."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    rgb = image if image.mode == "RGB" else image.convert("RGB")
    key = storage.result_key(user_id, generation_id, index)
    thumb_key = storage.thumb_key(user_id, generation_id, index)
    with ThreadPoolExecutor(max_workers=1) as pool:
        full = pool.submit(_put_jpeg, key, rgb, JPEG_QUALITY)
        scale = THUMB_SIDE_PX / max(rgb.size)
        thumb = rgb if scale >= 1 else rgb.resize(
            (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))),
            Image.Resampling.BILINEAR, reducing_gap=2.0)
        _put_jpeg(thumb_key, thumb, 82)
        full.result()
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
