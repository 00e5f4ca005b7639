"""Bad uploads are refused with a clear 4xx before anything is charged."""
from __future__ import annotations

import io
import struct
import zlib

import boto3
import pytest
from PIL import Image

from photoshoot.billing import balance_of, ledger_of
from photoshoot.settings import get_settings
from tests.unit.generation.conftest import make_user, product_photo_bytes, upload_photo


def _png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid greyscale PNG of width×height black pixels, built row by row so the test
    never holds the 900 MB of pixels itself (the file is under 1 MB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def _image_bytes(size, fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


BAD_FILES = {
    "text_renamed_jpg": (lambda: "Это не фото, а текст.\n".encode() * 20, "image/jpeg",
                         422, "unsupported_image", "Файл не похож на изображение"),
    "one_pixel": (lambda: _image_bytes((1, 1)), "image/png", 422, "image_too_small",
                  "Слишком маленькое изображение"),
    "png_bomb_30000x30000": (_png_bomb, "image/png", 413, "image_too_large",
                             "Слишком большое изображение"),
    "truncated_jpeg": (lambda: product_photo_bytes()[:6000], "image/jpeg", 422,
                       "damaged_image", "повреждён"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_upload_is_a_clear_4xx_and_charges_nothing(pipeline, name):
    make_data, content_type, status, code, words = BAD_FILES[name]
    token = make_user("3001", balance=2)
    upload_id = upload_photo(pipeline, token, make_data(), content_type)

    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})
    suggested = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)

    for answer in (created, suggested):
        assert answer.status_code == status, answer.json
        assert answer.json["error"]["code"] == code
        assert words in answer.json["error"]["message"]
    assert balance_of("3001") == 2
    assert ledger_of("3001") == []


def test_file_over_15_mb_is_refused_before_and_after_upload(pipeline):
    token = make_user("3002", balance=2)
    twenty_mb = 20 * 1024 * 1024

    asked = pipeline.post("/api/uploads", token=token,
                          body={"content_type": "image/jpeg", "size": twenty_mb})
    assert asked.status_code == 413
    assert "15 МБ" in asked.json["error"]["message"]

    # The browser lied about the size; moto (unlike S3) ignores the policy's size limit,
    # so the stored object is checked again before use.
    small = pipeline.post("/api/uploads", token=token,
                          body={"content_type": "image/jpeg", "size": 1000}).json
    boto3.client("s3", region_name=get_settings().region).put_object(
        Bucket=get_settings().images_bucket, Key=small["fields"]["key"],
        Body=product_photo_bytes() + b"\0" * twenty_mb)
    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": small["upload_id"], "style_id": "marble", "format": "1:1"})
    assert created.status_code == 413
    assert created.json["error"]["code"] == "file_too_large"
    assert balance_of("3002") == 2 and ledger_of("3002") == []


def test_presigned_post_is_scoped_to_the_user_type_and_size(pipeline):
    token = make_user("3003")
    answer = pipeline.post("/api/uploads", token=token,
                           body={"content_type": "image/png", "size": 5000})
    assert answer.status_code == 200
    body = answer.json
    assert body["fields"]["key"] == f"uploads/3003/{body['upload_id']}"
    assert body["fields"]["Content-Type"] == "image/png"
    assert body["max_bytes"] == 15 * 1024 * 1024
    import base64
    import json
    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    assert ["content-length-range", 1, 15 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]

    refused = pipeline.post("/api/uploads", token=token,
                            body={"content_type": "application/pdf", "size": 5000})
    assert refused.status_code == 422


def test_validation_applies_exif_orientation_and_strips_metadata(pipeline):
    token = make_user("3004", balance=0)
    upright = Image.open(io.BytesIO(product_photo_bytes(size=(300, 400))))
    photo = upright.rotate(90, expand=True)  # as a phone stores a portrait shot: 400×300
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif, comment=b"secret")
    upload_id = upload_photo(pipeline, token, buffer.getvalue())

    answer = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)

    assert answer.status_code == 200, answer.json
    assert (answer.json["width"], answer.json["height"]) == (300, 400)
    assert answer.json["suggestions"] and {"style_id", "score", "reason"} <= set(
        answer.json["suggestions"][0])
    stored = boto3.client("s3", region_name=get_settings().region).get_object(
        Bucket=get_settings().images_bucket, Key=f"uploads/3004/{upload_id}")
    clean = Image.open(io.BytesIO(stored["Body"].read()))
    assert clean.size == (300, 400)
    assert not clean.getexif() and "comment" not in clean.info and "exif" not in clean.info
    assert stored["Metadata"]["validated"] == "1"


def test_a_file_posted_again_after_the_create_is_checked_again_before_analysis(pipeline,
                                                                               monkeypatch):
    """The upload form stays valid for its TTL: posting a bomb to the same key after the
    create validated the photo must not reach the renderer unchecked. The photoshoot fails
    with the upload's own message and comes back to the balance."""
    from photoshoot.generation import analysis_cache
    from tests.unit.generation import fakes
    from tests.unit.generation.conftest import wait_for_execution

    provider = fakes.QuickProvider()
    fakes.install(monkeypatch, provider)
    token = make_user("3010", balance=1)
    upload_id = upload_photo(pipeline, token)
    settings = get_settings()
    no_cache = analysis_cache.load

    def posted_again_meanwhile(user_id, upload, provider_name):
        boto3.client("s3", region_name=settings.region).put_object(
            Bucket=settings.images_bucket, Key=f"uploads/3010/{upload_id}",
            Body=_png_bomb(), ContentType="image/png")  # the form's fields: no metadata
        return no_cache(user_id, upload, provider_name)

    monkeypatch.setattr(analysis_cache, "load", posted_again_meanwhile)
    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})
    assert created.status_code == 202
    generation_id = created.json["generation_id"]

    assert wait_for_execution(generation_id)["status"] == "FAILED"
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["error"]["code"] == "image_too_large"
    assert state["error"]["message"].startswith("Слишком большое изображение.")
    assert "analyze" not in provider.calls  # never decoded for the renderer
    assert balance_of("3010") == 1
    assert [e.entry_id for e in ledger_of("3010")] == [f"charge#{generation_id}",
                                                      f"refund#{generation_id}"]
