"""The signed-in user's profile: ``GET /api/me`` and ``PATCH /api/me``."""
from __future__ import annotations

from functions.http import current_user_id, read_json
from photoshoot.auth import accounts


def get_me(request) -> dict:
    return accounts.get_profile(current_user_id(request))


def update_me(request) -> dict:
    return accounts.update_profile(current_user_id(request), read_json(request))
