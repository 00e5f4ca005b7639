"""The images bucket: where each object of a user lives, and short-lived presigned access.

Keys (always under the owner's id, so a key built for one user can never name another's):
- ``uploads/<user_id>/<upload_id>`` — the photo the browser uploaded (replaced in place by its
  validated, metadata-free version once checked);
- ``work/<user_id>/<generation_id>/cutout.tiff`` — the product cut-out shared by the Render
  steps;
- ``results/<user_id>/<generation_id>/<index>.jpg`` and ``…/<index>_thumb.jpg`` — results;
- ``results/<user_id>/<generation_id>/archive.zip`` — the ZIP of all results.

The client is created lazily with the endpoint from settings: the moto server locally (which
the browser can reach too, so presigned URLs work unchanged), the regional S3 in AWS.
"""
from __future__ import annotations

from functools import lru_cache

from photoshoot.settings import get_settings

PRESIGNED_GET_TTL_S = 15 * 60
PRESIGNED_POST_TTL_S = 10 * 60


@lru_cache(maxsize=1)
def s3_client():
    import boto3  # noqa: PLC0415 - created once per warm Lambda, only where S3 is used
    from botocore.config import Config  # noqa: PLC0415

    settings = get_settings()
    config = Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"},
                    s3={"addressing_style": "path" if settings.aws_endpoint_url else "auto"})
    return boto3.client("s3", region_name=settings.region,
                        endpoint_url=settings.aws_endpoint_url or None, config=config)


def reset_client() -> None:
    """Tests swap the AWS backend; the next call builds a fresh client."""
    s3_client.cache_clear()


def bucket() -> str:
    return get_settings().images_bucket


# --- keys ---------------------------------------------------------------------------------
def upload_key(user_id: str, upload_id: str) -> str:
    return f"uploads/{user_id}/{upload_id}"


def work_prefix(user_id: str, generation_id: str) -> str:
    return f"work/{user_id}/{generation_id}/"


def cutout_key(user_id: str, generation_id: str) -> str:
    return f"{work_prefix(user_id, generation_id)}cutout.tiff"


def results_prefix(user_id: str, generation_id: str) -> str:
    return f"results/{user_id}/{generation_id}/"


def result_key(user_id: str, generation_id: str, index: int) -> str:
    return f"{results_prefix(user_id, generation_id)}{int(index)}.jpg"


def thumb_key(user_id: str, generation_id: str, index: int) -> str:
    return f"{results_prefix(user_id, generation_id)}{int(index)}_thumb.jpg"


def archive_key(user_id: str, generation_id: str) -> str:
    return f"{results_prefix(user_id, generation_id)}archive.zip"


# --- objects ------------------------------------------------------------------------------
def head(key: str) -> dict | None:
    """The object's metadata, or None when it does not exist.

    S3 answers a HEAD of a missing key with 403 instead of 404 unless the caller may list the
    bucket, and an ``s3:prefix``-conditioned ListBucket does not count for HEAD. Our roles
    may GET every key they HEAD, so a 403 here can only mean "no such object"."""
    client = s3_client()
    try:
        return client.head_object(Bucket=bucket(), Key=key)
    except client.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound",
                                                           "403", "AccessDenied"}:
            return None
        raise


def get_bytes(key: str) -> bytes:
    return s3_client().get_object(Bucket=bucket(), Key=key)["Body"].read()


def get_with_metadata(key: str) -> tuple[bytes, dict]:
    """The object's bytes and its user metadata, from one request."""
    answer = s3_client().get_object(Bucket=bucket(), Key=key)
    return answer["Body"].read(), dict(answer.get("Metadata") or {})


def put_bytes(key: str, data: bytes, content_type: str, metadata: dict | None = None,
              content_disposition: str | None = None) -> None:
    extra = {"Metadata": metadata} if metadata else {}
    if content_disposition:
        extra["ContentDisposition"] = content_disposition
    s3_client().put_object(Bucket=bucket(), Key=key, Body=data, ContentType=content_type,
                           **extra)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix``; returns how many were deleted."""
    client = s3_client()
    deleted = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket(),
                                                                Prefix=prefix):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket(), Delete={"Objects": keys, "Quiet": True})
            deleted += len(keys)
    return deleted


def delete_key(key: str) -> None:
    s3_client().delete_object(Bucket=bucket(), Key=key)


# --- presigned access -----------------------------------------------------------------------
def presigned_get(key: str, ttl_s: int = PRESIGNED_GET_TTL_S,
                  download_name: str | None = None) -> str:
    params = {"Bucket": bucket(), "Key": key}
    if download_name:
        params["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
    return s3_client().generate_presigned_url("get_object", Params=params, ExpiresIn=ttl_s)


# What a browser's upload is tagged with until it is validated: the bucket's lifecycle rule
# "expire-raw-uploads" (template.yaml) removes such an object after a day, so a photo never
# validated (the seller left before the style step) does not keep its GPS and camera data
# for the 30 days of the uploads/ prefix. The validated copy replaces the object untagged.
RAW_UPLOAD_TAG = ("state", "raw")


def raw_upload_tagging() -> str:
    key, value = RAW_UPLOAD_TAG
    return f"<Tagging><TagSet><Tag><Key>{key}</Key><Value>{value}</Value></Tag></TagSet></Tagging>"


def presigned_post(key: str, content_type: str, max_bytes: int,
                   ttl_s: int = PRESIGNED_POST_TTL_S, tagging: str | None = None) -> dict:
    """A browser form upload of exactly this key and content type, at most ``max_bytes``,
    tagged with ``tagging`` (S3's XML) when given.

    Real S3 enforces the policy's conditions; moto does not, so callers check the stored
    object again before using it.
    """
    fields = {"Content-Type": content_type}
    conditions: list = [{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]]
    if tagging:
        fields["tagging"] = tagging
        conditions.append({"tagging": tagging})
    return s3_client().generate_presigned_post(Bucket=bucket(), Key=key, Fields=fields,
                                               Conditions=conditions, ExpiresIn=ttl_s)
