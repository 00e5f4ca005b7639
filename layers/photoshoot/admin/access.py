"""Admins are users listed in ``ADMIN_USER_IDS`` (read on every request) or granted
``is_admin`` on their item by hand; everyone else is 403."""
from __future__ import annotations

from photoshoot.errors import Forbidden
from photoshoot.models import User
from photoshoot.observability import logger
from photoshoot.settings import get_settings


class AdminOnly(Forbidden):
    code = "admin_only"
    message = "Этот раздел доступен только администраторам."


def is_admin(user_id: str) -> bool:
    if str(user_id) in get_settings().admin_user_ids:
        return True
    try:
        # consistent: taking the rights away works on the very next request
        user = User.get(str(user_id), consistent_read=True,
                        attributes_to_get=["user_id", "is_admin"])
    except User.DoesNotExist:
        return False
    return bool(user.is_admin)


def require_admin(user_id: str) -> str:
    if not is_admin(user_id):
        logger.info("admin access refused", extra={"user_id": str(user_id)})
        raise AdminOnly()
    return str(user_id)
