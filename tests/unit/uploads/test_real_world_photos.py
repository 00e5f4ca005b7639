"""Photos as sellers really send them: from phones (EXIF orientation, a second MPO picture,
Display P3), editors (16-bit PNG, transparency keys, huge metadata), panoramas and formats we
do not take. Each one works — upright, true colours, no metadata — or is refused with a 4xx
that says what to do, before anything is charged."""
from __future__ import annotations

import base64
import io
import json

import boto3
import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from photoshoot.billing import balance_of, ledger_of
from photoshoot.errors import UnsupportedImage
from photoshoot.settings import get_settings
from photoshoot.uploads import validate_image
from tests.unit.generation.conftest import make_user, upload_photo
from tests.unit.uploads import photos


def _stored_past_the_policy(api, token: str, data: bytes) -> str:
    """A form asked for a small photo, then other bytes stored at its key: real S3 refuses
    that by the policy, moto (the local stack) stores it — the stored object is checked."""
    form = api.post("/api/uploads", token=token,
                    body={"content_type": "image/jpeg", "size": 1000}).json
    settings = get_settings()
    boto3.client("s3", region_name=settings.region).put_object(
        Bucket=settings.images_bucket, Key=form["fields"]["key"], Body=data)
    return form["upload_id"]


def _stored(user_id: str, upload_id: str) -> dict:
    settings = get_settings()
    return boto3.client("s3", region_name=settings.region).get_object(
        Bucket=settings.images_bucket, Key=f"uploads/{user_id}/{upload_id}")


# --- phones -------------------------------------------------------------------------------
@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_phone_jpeg_with_a_second_mpo_picture_is_taken_upright(orientation):
    """iPhones (HDR gain map) and many Androids (depth map) append a second picture in an
    MPF segment; Pillow opens such a JPEG as "MPO". It is a JPEG for the seller."""
    image = validate_image(photos.phone_jpeg(orientation, mpo=True))

    assert image.size == (480, 640)
    assert photos.is_upright(image)


def test_an_mpo_phone_photo_is_stored_as_one_clean_upright_jpeg(pipeline):
    token = make_user("3101", balance=0)
    upload_id = upload_photo(pipeline, token, photos.phone_jpeg(6, mpo=True))

    answer = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)

    assert answer.status_code == 200, answer.json
    assert (answer.json["width"], answer.json["height"]) == (480, 640)
    stored = _stored("3101", upload_id)
    clean = Image.open(io.BytesIO(stored["Body"].read()))
    assert (clean.format, clean.size, getattr(clean, "n_frames", 1)) == ("JPEG", (480, 640), 1)
    assert not clean.getexif() and "mp" not in clean.info and "exif" not in clean.info
    assert photos.is_upright(clean)


def test_exif_pillow_cannot_write_back_still_turns_the_photo_upright():
    """A GPS reference typed SBYTE: ``ImageOps.exif_transpose`` raised TypeError writing the
    EXIF back — a 500 for the seller. Found by mutating the EXIF of phone photos."""
    stored = photos.product().transpose(photos.STORED_AS[6])
    data = photos.encoded(stored, "JPEG", exif=photos.exif_with_a_signed_byte_gps_ref(6))

    image = validate_image(data)

    assert image.size == (480, 640) and photos.is_upright(image)
    assert not image.getexif() and "exif" not in image.info


@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_exif_orientation_of_a_png_or_webp_is_applied(orientation):
    stored = photos.product()
    if photos.STORED_AS[orientation] is not None:
        stored = stored.transpose(photos.STORED_AS[orientation])
    for fmt in ("PNG", "WEBP"):
        data = photos.encoded(stored, fmt, exif=photos.phone_exif(orientation))

        image = validate_image(data)

        assert image.size == (480, 640) and photos.is_upright(image), fmt


def test_a_too_small_phone_photo_is_described_as_the_seller_sees_it():
    """Stored 300×200 and turned by EXIF orientation 6: the seller sees a 200×300 portrait."""
    with pytest.raises(UnsupportedImage) as refused:
        validate_image(photos.phone_jpeg(6, size=(200, 300)))

    assert refused.value.code == "image_too_small"
    assert "а у этого 200×300." in refused.value.message


# --- editors ------------------------------------------------------------------------------
def test_a_16_bit_greyscale_png_keeps_its_tones():
    grey = np.asarray(photos.product().convert("L"), np.uint16)

    image = validate_image(photos.raw_png(grey * 257, depth=16, colour_type=0))

    assert np.abs(np.asarray(image.convert("L"), int) - grey).max() <= 1


@pytest.mark.parametrize("colour_type,pixels,key", [
    (0, lambda p: np.asarray(p.convert("L")), (236,)),  # greyscale + tRNS
    (2, lambda p: np.asarray(p), (236, 236, 236)),  # RGB + tRNS
])
def test_a_png_transparency_key_stays_transparent(colour_type, pixels, key):
    flat = photos.product().copy()
    flat.paste((236, 236, 236), (0, 0, 480, 60))  # a band of exactly the key colour
    data = photos.raw_png(pixels(flat), depth=8, colour_type=colour_type,
                          extra=photos.transparency_key(*key))

    image = validate_image(data)

    assert image.mode == "RGBA"
    assert np.asarray(image)[:60, :, 3].max() == 0
    assert np.asarray(image)[300, 240, 3] == 255


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_colour_profile_is_applied_before_it_is_dropped(mode):
    """A phone's Display P3 photo read as sRGB (its profile stripped, its numbers kept)
    looks duller than the product: convert, then drop the profile."""
    colour = (200, 60, 60)
    fill = colour + ((90,) if mode == "RGBA" else ())
    data = photos.encoded(Image.new(mode, (300, 300), fill), "PNG",
                          icc_profile=photos.display_p3_profile())

    image = validate_image(data)

    expected = photos.p3_as_srgb(colour)
    assert expected != colour
    pixel = image.getpixel((10, 10))
    assert all(abs(a - b) <= 1 for a, b in zip(pixel[:3], expected)), (pixel, expected)
    assert pixel[3:] == fill[3:]
    assert "icc_profile" not in image.info


def test_a_broken_colour_profile_leaves_the_pixels_as_they_are():
    data = photos.encoded(Image.new("RGB", (300, 300), (200, 60, 60)), "PNG",
                          icc_profile=b"not a profile" * 20)

    assert validate_image(data).getpixel((10, 10)) == (200, 60, 60)


def test_a_png_with_megabytes_of_text_metadata_says_so_rather_than_damaged():
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", "x" * 3_000_000, zip=True)  # past MAX_TEXT_CHUNK

    with pytest.raises(UnsupportedImage) as refused:
        validate_image(photos.encoded(photos.product(), "PNG", pnginfo=info))

    assert refused.value.code == "image_metadata_too_large"
    assert "метаданных" in refused.value.message


# --- formats we do not take ---------------------------------------------------------------
@pytest.mark.parametrize("name,make", [
    ("HEIC", photos.heic_header),
    ("AVIF", lambda: photos.encoded(photos.product(), "AVIF")),
    ("GIF", lambda: photos.encoded(photos.product().convert("P"), "GIF")),
    ("BMP", lambda: photos.encoded(photos.product(), "BMP")),
    ("TIFF", lambda: photos.encoded(photos.product(), "TIFF")),
])
def test_another_image_format_renamed_to_jpg_is_named_in_the_refusal(name, make):
    with pytest.raises(UnsupportedImage) as refused:
        validate_image(make())

    assert refused.value.code == "unsupported_image"
    assert refused.value.message.startswith(f"Формат {name} не подходит.")
    assert "JPEG, PNG или WebP" in refused.value.message


def test_only_the_jpeg_png_and_webp_decoders_ever_open_an_upload(monkeypatch):
    """Pillow has dozens of parsers; an upload reaches only the three we take."""
    from PIL import Image as PILImage

    opened = []
    real_open = PILImage.open

    def spy(fp, mode="r", formats=None):
        opened.append(formats)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(PILImage, "open", spy)
    with pytest.raises(UnsupportedImage):
        validate_image(photos.encoded(photos.product(), "TIFF"))
    validate_image(photos.encoded(photos.product(), "PNG"))

    assert opened and all(set(formats) == {"JPEG", "PNG", "WEBP"} for formats in opened)


# --- panoramas ----------------------------------------------------------------------------
def test_a_panorama_at_the_limit_keeps_the_minimum_side_in_its_working_copy():
    image = validate_image(photos.encoded(photos.product((11718, 1000)), "JPEG"))

    assert max(image.size) == 3000 and min(image.size) >= get_settings().upload_min_side_px


@pytest.mark.parametrize("size", [(8000, 600), (600, 8000), (12000, 300)])
def test_a_panorama_too_elongated_to_render_is_refused_before_charging(pipeline, size):
    """Scaled to the working 3000 px, 12000×300 became 3000×75: the product a strip of
    40 px, cut out and blown up into a 1024 px photo. Refused while it costs nothing."""
    token = make_user("3102", balance=2)
    upload_id = upload_photo(pipeline, token, photos.encoded(photos.product(size), "JPEG"))

    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})
    suggested = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)

    for answer in (created, suggested):
        assert answer.status_code == 422, answer.json
        assert answer.json["error"]["code"] == "image_too_elongated"
        assert f"{size[0]}×{size[1]}" in answer.json["error"]["message"]
        assert "обрезанное вокруг товара" in answer.json["error"]["message"]
    assert balance_of("3102") == 2 and ledger_of("3102") == []


# --- a refused upload ---------------------------------------------------------------------
def _too_small_phone_photo() -> bytes:
    return photos.phone_jpeg(6, size=(200, 300))


def _twenty_megabytes() -> bytes:
    return photos.phone_jpeg(1) + b"\0" * (20 * 1024 * 1024)


@pytest.mark.parametrize("make,status,code", [
    (_too_small_phone_photo, 422, "image_too_small"),
    (_twenty_megabytes, 413, "file_too_large"),
])
def test_a_refused_upload_keeps_no_bytes_and_answers_the_same_again(pipeline, make, status,
                                                                    code):
    """The refused file (with its GPS) is of no use: it is not kept for the 30 days of the
    uploads lifecycle. Every later use still gets the same reason, not «not found»."""
    token = make_user("3103", balance=2)
    upload_id = _stored_past_the_policy(pipeline, token, make())

    first = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)
    stored = _stored("3103", upload_id)
    again = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)
    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})

    assert first.status_code == status and first.json["error"]["code"] == code
    assert stored["ContentLength"] == 0 and stored["Body"].read() == b""
    assert set(stored["Metadata"]) == {"rejected", "rejected-message", "rejected-details"}
    for answer in (again, created):
        assert answer.status_code == status, answer.json
        assert answer.json["error"] == first.json["error"]
    assert balance_of("3103") == 2 and ledger_of("3103") == []


def test_an_empty_stored_file_is_called_empty(pipeline):
    token = make_user("3104", balance=1)
    upload_id = _stored_past_the_policy(pipeline, token, b"")

    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})

    assert created.status_code == 422
    assert created.json["error"]["code"] == "empty_file"
    assert created.json["error"]["message"].startswith("Файл пустой.")
    assert balance_of("3104") == 1 and ledger_of("3104") == []


# --- the presigned POST itself ------------------------------------------------------------
def test_the_upload_policy_names_one_exact_key_and_type_and_nothing_looser(pipeline):
    """S3 enforces the policy (moto does not): an exact ``key`` is what stops a seller from
    writing another seller's key, or outside ``uploads/``, with their own form; and S3
    refuses any form field the policy does not name (e.g. ``x-amz-meta-validated``)."""
    token = make_user("3105")
    body = pipeline.post("/api/uploads", token=token,
                         body={"content_type": "image/webp", "size": 5000}).json
    conditions = json.loads(base64.b64decode(body["fields"]["policy"]))["conditions"]

    assert {"key": f"uploads/3105/{body['upload_id']}"} in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] != "content-length-range"]
    named = {next(iter(c)).lower() for c in conditions if isinstance(c, dict)}
    assert not [name for name in named if name.startswith("x-amz-meta-")]


def test_a_browsers_upload_is_tagged_raw_so_an_unvalidated_photo_expires_in_a_day(pipeline):
    """A photo the seller uploads and abandons before the style step is never validated, so
    its GPS and camera data would stay for the 30 days of uploads/. The form tags it; the
    bucket's rule expires tagged uploads after a day; the validated copy is untagged."""
    from infra.resources import load_template
    from photoshoot import storage

    token = make_user("3106")
    body = pipeline.post("/api/uploads", token=token,
                         body={"content_type": "image/jpeg", "size": 5000}).json
    conditions = json.loads(base64.b64decode(body["fields"]["policy"]))["conditions"]
    assert body["fields"]["tagging"] == storage.raw_upload_tagging()
    assert {"tagging": storage.raw_upload_tagging()} in conditions  # exact: no other tags

    resources = load_template()["Resources"]
    rules = resources["ImagesBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    raw = next(rule for rule in rules if rule["Id"] == "expire-raw-uploads")
    key, value = storage.RAW_UPLOAD_TAG
    assert raw["TagFilters"] == [{"Key": key, "Value": value}]
    assert raw["Prefix"] == "uploads/" and raw["ExpirationInDays"] == 1 and raw["Status"] == "Enabled"
    # S3 refuses a tagged form upload unless the signer may tag: the API role signs it.
    statements = resources["GenerationApiPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert any(statement.get("Action") == "s3:PutObjectTagging"
               and statement["Resource"] == {"Fn::Sub": "${ImagesBucket.Arn}/uploads/*"}
               for statement in statements)
