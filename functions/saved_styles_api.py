"""Saved styles API: the seller's own styles."""
from __future__ import annotations

from functions.http import current_user_id, json_response, read_json


def list_styles(request) -> dict:
    from photoshoot import saved_styles  # noqa: PLC0415

    return {"items": saved_styles.list_saved_styles(current_user_id(request))}


def create_style(request):
    from photoshoot import saved_styles  # noqa: PLC0415

    return json_response(saved_styles.create_saved_style(current_user_id(request),
                                                         read_json(request)), status=201)


def update_style(request, style_id: str) -> dict:
    from photoshoot import saved_styles  # noqa: PLC0415

    return saved_styles.update_saved_style(current_user_id(request), style_id,
                                           read_json(request))


def delete_style(request, style_id: str) -> dict:
    from photoshoot import saved_styles  # noqa: PLC0415

    saved_styles.delete_saved_style(current_user_id(request), style_id)
    return {"deleted": True, "style_id": style_id}
