"""Uploads API: a presigned POST for a product photo; style suggestions for an upload."""
from __future__ import annotations

from functions.http import current_user_id, read_json


def create_upload(request) -> dict:
    from photoshoot.uploads import create_upload as presign  # noqa: PLC0415

    body = read_json(request)
    return presign(current_user_id(request), body.get("content_type"), body.get("size"))


def suggestions(request, upload_id: str) -> dict:
    from photoshoot.generation.suggestions import suggest_for_upload  # noqa: PLC0415
    from photoshoot.uploads import count_suggestion_request  # noqa: PLC0415

    count_suggestion_request(current_user_id(request))
    params = request.query_params or {}
    return suggest_for_upload(current_user_id(request), upload_id, params.get("q"))
