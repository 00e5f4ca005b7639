"""Shared PynamoDB configuration: table names and endpoint come from settings."""
from __future__ import annotations

from datetime import datetime, timezone

from photoshoot.settings import aws_location


def table_meta(short_name: str) -> type:
    """Build a PynamoDB ``Meta`` for the table ``<TABLE_PREFIX><short_name>``.

    ``host`` is set only when ``AWS_ENDPOINT_URL`` points at a local moto server; in AWS and
    under in-process ``mock_aws`` it stays unset so boto's regional endpoint is used.
    """
    location = aws_location()
    attrs = {"table_name": location.table_name(short_name), "region": location.region}
    if location.aws_endpoint_url:
        attrs["host"] = location.aws_endpoint_url
    return type("Meta", (), attrs)


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
