"""Product photo uploads: a presigned POST scoped to the user, and validation before use.

The browser uploads straight to S3 (``uploads/<user_id>/<upload_id>``) with a policy that
limits the content type and the size. Real S3 enforces that policy, moto does not, so every
use re-checks the stored object: its size, then the pixels — a real JPEG/PNG/WebP (Pillow
``verify`` and a full decode), within ``MAX_IMAGE_PIXELS`` (decompression bombs), not too
small; EXIF orientation is applied and the image is re-encoded without any metadata (GPS,
camera, comments). The clean version replaces the upload in place, marked as validated, so
the original metadata is never stored and later uses skip the work.

Pillow is imported only inside the functions that decode images.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from photoshoot import ratelimit, storage
from photoshoot.errors import NotFound, PayloadTooLarge, UnsupportedImage, ValidationFailed
from photoshoot.observability import logger
from photoshoot.settings import get_settings

if TYPE_CHECKING:
    from PIL import Image as PILImage

ALLOWED_CONTENT_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
ALLOWED_FORMATS = set(ALLOWED_CONTENT_TYPES.values())
# The validated copy is at most this many pixels on its long side: ample for the largest
# output format (1600 px) and keeps analysis fast.
MAX_WORKING_SIDE_PX = 3000
VALIDATED_MARK = "validated"
# Window of the per-user upload and suggestion limits (settings.uploads_per_10_min …).
RATE_WINDOW_S = 600
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


class ImageTooSmall(UnsupportedImage):
    code = "image_too_small"
    message = "Слишком маленькое изображение."
    advice = "Загрузите фото побольше."


class ImageTooLarge(PayloadTooLarge):
    code = "image_too_large"
    message = "Слишком большое изображение."
    advice = "Уменьшите фото и загрузите его снова."


class DamagedImage(UnsupportedImage):
    code = "damaged_image"
    message = "Файл повреждён или загрузился не полностью. Попробуйте загрузить его ещё раз."


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"
    advice = "Уменьшите фото или сохраните его в JPEG и загрузите снова."


@dataclass(frozen=True)
class ValidatedImage:
    upload_id: str
    image: "PILImage.Image"  # RGB or RGBA, orientation applied, no metadata
    width: int
    height: int


def new_upload_id() -> str:
    from ulid import ULID  # noqa: PLC0415

    return str(ULID())


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"


def create_upload(user_id: str, content_type: str, size) -> dict:
    """A presigned POST for one photo of this user: ``{upload_id, url, fields, max_bytes}``."""
    settings = get_settings()
    content_type = str(content_type or "").strip().lower()
    if content_type == "image/jpg":
        content_type = "image/jpeg"
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise UnsupportedImage("Загрузите фото в формате JPEG, PNG или WebP.",
                               details={"allowed": sorted(ALLOWED_CONTENT_TYPES)})
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise ValidationFailed("Укажите размер файла в байтах.") from None
    if size <= 0:
        raise ValidationFailed("Файл пустой. Выберите фото товара.")
    if size > settings.max_upload_bytes:
        raise FileTooLarge(_too_large_file_message(), details={
            "max_bytes": settings.max_upload_bytes})
    # Counted only for forms actually issued: a wrongly picked file costs the seller nothing.
    ratelimit.hit("upload", user_id, settings.uploads_per_10_min, RATE_WINDOW_S,
                  message=(f"Не больше {settings.uploads_per_10_min} фото за 10 минут. "
                           "Подождите немного и загрузите снова."))
    upload_id = new_upload_id()
    post = storage.presigned_post(storage.upload_key(user_id, upload_id), content_type,
                                  settings.max_upload_bytes)
    logger.info("upload presigned", extra={"upload_id": upload_id, "size": size})
    return {"upload_id": upload_id, "url": post["url"], "fields": post["fields"],
            "max_bytes": settings.max_upload_bytes}


def count_suggestion_request(user_id: str) -> None:
    """One request for style suggestions of this user, or ``RateLimited`` past the limit:
    each one decodes the photo again (and analyses it the first time), for free."""
    ratelimit.hit("upload-suggestions", user_id, get_settings().suggestions_per_10_min,
                  RATE_WINDOW_S,
                  message=("Слишком часто запрашиваете подбор стилей. "
                           "Подождите немного и попробуйте снова."))


def _too_large_file_message() -> str:
    limit = _megabytes(get_settings().max_upload_bytes)
    return f"Файл больше {limit}. Уменьшите фото или сохраните его в JPEG и попробуйте снова."


def check_upload_id(upload_id: str) -> str:
    upload_id = str(upload_id or "").strip().upper()
    if not _ULID.match(upload_id):
        raise NotFound("Загрузка не найдена. Загрузите фото ещё раз.")
    return upload_id


def load_validated_upload(user_id: str, upload_id: str) -> ValidatedImage:
    """The user's uploaded photo, validated and cleaned (validating it now if needed).

    404 when there is no such upload *of this user*; 413/422 with a clear message when the
    file is not an acceptable photo.
    """
    upload_id = check_upload_id(upload_id)
    key = storage.upload_key(user_id, upload_id)
    meta = storage.head(key)
    if meta is None:
        raise NotFound("Загрузка не найдена. Загрузите фото ещё раз.")
    size = int(meta.get("ContentLength") or 0)
    if size > get_settings().max_upload_bytes:
        storage.delete_key(key)
        raise FileTooLarge(_too_large_file_message(), details={
            "max_bytes": get_settings().max_upload_bytes})
    if size == 0:
        raise UnsupportedImage()
    data = storage.get_bytes(key)
    if (meta.get("Metadata") or {}).get(VALIDATED_MARK) == "1":
        image = decode_validated(data)
        return ValidatedImage(upload_id, image, image.width, image.height)
    try:
        image = validate_image(data)
    except (UnsupportedImage, PayloadTooLarge) as error:
        logger.info("upload rejected", extra={"upload_id": upload_id, "code": error.code})
        raise
    cleaned, content_type = encode_clean(image)
    storage.put_bytes(key, cleaned, content_type, metadata={
        VALIDATED_MARK: "1", "width": str(image.width), "height": str(image.height)})
    logger.info("upload validated", extra={"upload_id": upload_id, "width": image.width,
                                           "height": image.height})
    return ValidatedImage(upload_id, image, image.width, image.height)


def ensure_validated_upload(user_id: str, upload_id: str) -> str:
    """Make sure the upload is a validated photo (validating it now if needed) without
    decoding it again when it already is; returns its key."""
    upload_id = check_upload_id(upload_id)
    key = storage.upload_key(user_id, upload_id)
    meta = storage.head(key)
    if meta is None:
        raise NotFound("Загрузка не найдена. Загрузите фото ещё раз.")
    already = (meta.get("Metadata") or {}).get(VALIDATED_MARK) == "1"
    if not already or int(meta.get("ContentLength") or 0) > get_settings().max_upload_bytes:
        load_validated_upload(user_id, upload_id)
    return key


def _pillow():
    from PIL import Image  # noqa: PLC0415 - only where images are decoded

    # Set deliberately (not Pillow's default 89 MP): anything above is refused as a bomb.
    Image.MAX_IMAGE_PIXELS = get_settings().upload_max_pixels
    return Image


def validate_image(data: bytes) -> "PILImage.Image":
    """Decode untrusted bytes into a clean RGB/RGBA image or raise a 4xx domain error."""
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError  # noqa: PLC0415

    settings = get_settings()
    too_large = ImageTooLarge(
        f"Слишком большое изображение: не больше {settings.upload_max_pixels // 1_000_000} "
        "мегапикселей. Уменьшите фото и загрузите снова.",
        details={"max_pixels": settings.upload_max_pixels})
    with warnings.catch_warnings():
        # Between MAX_IMAGE_PIXELS and twice that Pillow only warns: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
            probe.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except UnidentifiedImageError:
            raise UnsupportedImage() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise DamagedImage() from None
        if fmt not in ALLOWED_FORMATS:
            raise UnsupportedImage("Загрузите фото в формате JPEG, PNG или WebP.")
        if width * height > settings.upload_max_pixels:
            raise too_large
        if min(width, height) < settings.upload_min_side_px:
            side = settings.upload_min_side_px
            raise ImageTooSmall(
                f"Слишком маленькое изображение: нужно не меньше {side}×{side} пикселей, "
                f"а у этого {width}×{height}.", details={"min_side_px": side})
        try:
            # verify() leaves the file unusable: reopen and decode every pixel.
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise DamagedImage() from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > MAX_WORKING_SIDE_PX:
        image.thumbnail((MAX_WORKING_SIDE_PX, MAX_WORKING_SIDE_PX), Image.Resampling.LANCZOS)
    # A fresh image carries no info dict: no EXIF, XMP, ICC, comments.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def encode_clean(image: "PILImage.Image") -> tuple[bytes, str]:
    """Lossless PNG when the photo has transparency, else a high-quality JPEG; no metadata."""
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", optimize=False, compress_level=3)
        return buffer.getvalue(), "image/png"
    image.save(buffer, "JPEG", quality=95, subsampling=0)
    return buffer.getvalue(), "image/jpeg"


def read_checked_upload(key: str) -> "PILImage.Image":
    """The photo at ``key`` for a step that runs after the create validated it: decoded
    as is while it still carries the validated mark, checked in full otherwise — the
    upload form stays valid for its TTL, so the object may have been posted again since."""
    data, metadata = storage.get_with_metadata(key)
    if metadata.get(VALIDATED_MARK) == "1":
        return decode_validated(data)
    if len(data) > get_settings().max_upload_bytes:
        raise FileTooLarge(_too_large_file_message(), details={
            "max_bytes": get_settings().max_upload_bytes})
    return validate_image(data)


def decode_validated(data: bytes) -> "PILImage.Image":
    """Decode an image this module produced (already checked)."""
    Image = _pillow()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA" if image.mode in {"RGBA", "LA", "PA", "P"} else "RGB")
