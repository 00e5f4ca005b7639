"""Product photo uploads: a presigned POST scoped to the user, and validation before use.

The browser uploads straight to S3 (``uploads/<user_id>/<upload_id>``) with a policy that
limits the content type and the size. Real S3 enforces that policy, moto does not, so every
use re-checks the stored object: its size, then the pixels — a real JPEG/PNG/WebP (Pillow
``verify`` and a full decode; no other decoder ever sees the bytes), within
``MAX_IMAGE_PIXELS`` (decompression bombs), not too small, not so elongated that the working
copy would be; EXIF orientation and the colour profile are applied and the image is
re-encoded in sRGB without any metadata (GPS, camera, comments). The clean version replaces
the upload in place, marked as validated, so the original metadata is never stored and later
uses skip the work. A refused file is replaced by an empty object that remembers why: its
bytes (and their GPS) are gone at once and asking again gives the same answer.

Pillow is imported only inside the functions that decode images.
"""
from __future__ import annotations

import base64
import io
import json
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
# The only decoders that open an upload. A phone JPEG carrying a second picture (an HDR gain
# map, a depth map: iPhones, many Androids) opens as "MPO" through the JPEG decoder.
DECODERS = tuple(ALLOWED_CONTENT_TYPES.values())
# Formats people send that we do not take, by their first bytes: named in the refusal.
OTHER_FORMATS = ((b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"BM", "BMP"), (b"II*\0", "TIFF"),
                 (b"MM\0*", "TIFF"), (b"%PDF", "PDF"), (b"8BPS", "PSD"))
HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"hevc": "HEIC", b"hevx": "HEIC",
               b"heim": "HEIC", b"heis": "HEIC", b"mif1": "HEIC", b"msf1": "HEIC",
               b"avif": "AVIF", b"avis": "AVIF"}
ORIENTATION_TAG = 0x0112
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
# The validated copy is at most this many pixels on its long side: ample for the largest
# output format (1600 px) and keeps analysis fast.
MAX_WORKING_SIDE_PX = 3000
VALIDATED_MARK = "validated"
# Metadata of the empty object that replaces a refused upload: the error's code, message
# (base64 of UTF-8: S3 metadata is ASCII) and details (ASCII JSON).
REJECTED_MARK = "rejected"
REJECTED_MESSAGE = "rejected-message"
REJECTED_DETAILS = "rejected-details"
# Window of the per-user upload and suggestion limits (settings.uploads_per_10_min …).
RATE_WINDOW_S = 600
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}\Z")


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


class EmptyFile(UnsupportedImage):
    code = "empty_file"
    message = "Файл пустой. Выберите фото товара и загрузите его снова."


class ImageTooElongated(UnsupportedImage):
    code = "image_too_elongated"
    message = ("Слишком вытянутое фото: товар на нём получится слишком мелким. "
               "Загрузите фото, обрезанное вокруг товара.")


class ImageMetadataTooLarge(UnsupportedImage):
    code = "image_metadata_too_large"
    message = ("В файле слишком много служебных данных (метаданных), и мы не можем его "
               "открыть. Сохраните фото заново в JPEG и загрузите снова.")


REJECTIONS = {cls.code: cls for cls in (UnsupportedImage, DamagedImage, EmptyFile,
                                        ImageTooSmall, ImageTooElongated,
                                        ImageMetadataTooLarge, ImageTooLarge, FileTooLarge)}


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
                                  settings.max_upload_bytes,
                                  tagging=storage.raw_upload_tagging())
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
    _raise_if_rejected(meta.get("Metadata") or {})
    size = int(meta.get("ContentLength") or 0)
    try:
        if size > get_settings().max_upload_bytes:
            raise FileTooLarge(_too_large_file_message(), details={
                "max_bytes": get_settings().max_upload_bytes})
        if size == 0:
            raise EmptyFile()
        data = storage.get_bytes(key)
        if (meta.get("Metadata") or {}).get(VALIDATED_MARK) == "1":
            image = decode_validated(data)
            return ValidatedImage(upload_id, image, image.width, image.height)
        image = validate_image(data)
    except (UnsupportedImage, PayloadTooLarge) as error:
        logger.info("upload rejected", extra={"upload_id": upload_id, "code": error.code})
        _forget_rejected(key, error)
        raise
    cleaned, content_type = encode_clean(image)
    storage.put_bytes(key, cleaned, content_type, metadata={
        VALIDATED_MARK: "1", "width": str(image.width), "height": str(image.height)})
    logger.info("upload validated", extra={"upload_id": upload_id, "width": image.width,
                                           "height": image.height})
    return ValidatedImage(upload_id, image, image.width, image.height)


def _forget_rejected(key: str, error: UnsupportedImage | PayloadTooLarge) -> None:
    """Replace a refused upload by an empty object that remembers the refusal: the file
    (with its GPS and camera data) is of no use any more, and every later use of this
    upload must answer the same 4xx, not a 404."""
    metadata = {REJECTED_MARK: error.code,
                REJECTED_MESSAGE: base64.b64encode(error.message.encode()).decode(),
                REJECTED_DETAILS: json.dumps(error.details, ensure_ascii=True)}
    try:
        storage.put_bytes(key, b"", "application/octet-stream", metadata=metadata)
    except Exception:  # noqa: BLE001 - the refusal stands; the lifecycle rule removes it
        logger.warning("refused upload not replaced", extra={"code": error.code})


def _raise_if_rejected(metadata: dict) -> None:
    code = metadata.get(REJECTED_MARK)
    if not code:
        return
    cls = REJECTIONS.get(code, UnsupportedImage)
    try:
        message = base64.b64decode(metadata.get(REJECTED_MESSAGE) or "").decode() or None
        details = json.loads(metadata.get(REJECTED_DETAILS) or "{}")
    except ValueError:
        message, details = None, {}
    raise cls(message, details=details if isinstance(details, dict) else {})


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
    from PIL import UnidentifiedImageError  # noqa: PLC0415

    settings = get_settings()
    too_large = ImageTooLarge(
        f"Слишком большое изображение: не больше {settings.upload_max_pixels // 1_000_000} "
        "мегапикселей. Уменьшите фото и загрузите снова.",
        details={"max_pixels": settings.upload_max_pixels})
    with warnings.catch_warnings():
        # Between MAX_IMAGE_PIXELS and twice that Pillow only warns: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=DECODERS)
            width, height = probe.size
            # as the seller sees it: a phone's portrait is stored landscape, turned by EXIF
            shown = (height, width) if _orientation(probe.info.get("exif")) in TURNED else (
                width, height)
            probe.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except UnidentifiedImageError:
            raise _not_a_photo(data) from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _unreadable(error) from None
        if width * height > settings.upload_max_pixels:
            raise too_large
        _check_proportions(*shown, settings.upload_min_side_px)
        try:
            # verify() leaves the file unusable: reopen and decode every pixel.
            image = Image.open(io.BytesIO(data), formats=DECODERS)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _unreadable(error) from None
    image = _eight_bit(_upright(image))
    # Any mode may carry a transparent colour key (PNG tRNS), not only palettes.
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != "CMYK":  # inks go through their own profile, not Pillow's formula
        image = image.convert(mode)  # keeps the profile; applies the colour key first
    if max(image.size) > MAX_WORKING_SIDE_PX:  # in place, profile kept: convert fewer pixels
        image.thumbnail((MAX_WORKING_SIDE_PX, MAX_WORKING_SIDE_PX), Image.Resampling.LANCZOS)
    image = _in_srgb(image).convert(mode)
    # A fresh image carries no info dict: no EXIF, XMP, ICC, comments.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _not_a_photo(data: bytes) -> UnsupportedImage:
    """Not one of ours: name the format when it is one people send, so they know why."""
    name = HEIF_BRANDS.get(data[8:12]) if data[4:8] == b"ftyp" else None
    name = name or next((fmt for magic, fmt in OTHER_FORMATS if data.startswith(magic)), None)
    if name == "HEIC":
        return UnsupportedImage(
            "Формат HEIC не подходит. Загрузите фото в формате JPEG, PNG или WebP: на iPhone "
            "включите «Настройки» → «Камера» → «Форматы» → «Наиболее совместимый».",
            details={"format": name})
    if name:
        return UnsupportedImage(f"Формат {name} не подходит. Загрузите фото в формате JPEG, "
                                "PNG или WebP.", details={"format": name})
    return UnsupportedImage()


def _unreadable(error: Exception) -> UnsupportedImage:
    # Pillow refuses text chunks past PngImagePlugin.MAX_TEXT_CHUNK / MAX_TEXT_MEMORY (a
    # memory guard) with a ValueError naming the limit: the file is whole, its metadata huge.
    if isinstance(error, ValueError) and "MAX_TEXT" in str(error):
        return ImageMetadataTooLarge()
    return DamagedImage()


def _upright(image: "PILImage.Image") -> "PILImage.Image":
    """Turn the pixels as the EXIF orientation says. Not ``ImageOps.exif_transpose``: it
    writes the EXIF back into the image, and Pillow cannot write some tags it can read (a
    GPS reference typed SBYTE: TypeError, a 500) — the EXIF is dropped here anyway."""
    from PIL import Image  # noqa: PLC0415

    turns = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
             4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
             6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}
    turn = turns.get(_orientation(image.info.get("exif")))
    return image if turn is None else image.transpose(turn)


def _orientation(exif: bytes | None) -> int | None:
    """The EXIF orientation from the raw EXIF bytes (``getexif`` may load a PNG, and then
    ``verify`` cannot run); None when there is none or it cannot be read."""
    if not exif:
        return None
    from PIL import Image  # noqa: PLC0415

    try:
        parsed = Image.Exif()
        parsed.load(exif)
        return parsed.get(ORIENTATION_TAG)
    except Exception:  # noqa: BLE001 - unreadable EXIF: the pixels as they are stored
        return None


def _check_proportions(width: int, height: int, min_side: int) -> None:
    """At least ``min_side`` on the short side, in the file and in the working copy (the
    long side scaled down to ``MAX_WORKING_SIDE_PX``): a panorama would otherwise become a
    strip a few dozen pixels high with the product too small to cut out and render."""
    short, long = min(width, height), max(width, height)
    if short < min_side:
        raise ImageTooSmall(
            f"Слишком маленькое изображение: нужно не меньше {min_side}×{min_side} пикселей, "
            f"а у этого {width}×{height}.", details={"min_side_px": min_side})
    if long > MAX_WORKING_SIDE_PX and short * MAX_WORKING_SIDE_PX < min_side * long:
        raise ImageTooElongated(
            f"Слишком вытянутое фото ({width}×{height}): товар на нём получится слишком "
            "мелким. Загрузите фото, обрезанное вокруг товара.",
            details={"max_ratio": round(MAX_WORKING_SIDE_PX / min_side, 2)})


def _eight_bit(image: "PILImage.Image") -> "PILImage.Image":
    """16-bit greyscale (PNG) as 8-bit: converting it directly clips every tone above 255 of
    65535 to white. Pillow reads 16-bit colour PNGs as 8-bit already."""
    if not (image.mode.startswith("I;16") or image.mode == "I"):
        return image
    eight = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    key = image.info.get("transparency")
    eight.info.pop("transparency", None)
    if isinstance(key, int):
        eight.info["transparency"] = key // 257
    return eight


def _in_srgb(image: "PILImage.Image") -> "PILImage.Image":
    """The pixels as a colour-managed viewer shows them, converted to sRGB: the profile is
    about to be dropped, and a phone's Display P3 (or a camera's Adobe RGB, a print CMYK)
    read as sRGB shifts the product's colours. A profile that cannot be used (broken, or
    not for this colour mode) leaves the pixels as they are."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    from PIL import ImageCms  # noqa: PLC0415

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and "srgb" in ImageCms.getProfileDescription(source).lower():
            return image
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


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
    _raise_if_rejected(metadata)
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
