"""Public catalogue and configuration endpoints."""
from __future__ import annotations

from photoshoot import catalogue
from photoshoot.formats import FORMATS
from photoshoot.settings import get_settings


def health() -> dict:
    return {"status": "ok"}


def public_config() -> dict:
    settings = get_settings()
    return {
        "ws_url": settings.ws_public_url,
        "bot_username": settings.telegram_bot_username,
        "metrika_counter_id": settings.metrika_counter_id or None,
        "telegram_login_sandbox": settings.telegram_login_sandbox,
        "signup_bonus": settings.signup_bonus,
        "receipts_enabled": settings.receipts_enabled,
        "images_per_generation": settings.images_per_generation,
        "max_upload_bytes": settings.max_upload_bytes,
        "formats": [{"format_id": f.format_id, "title": f.title, "width": f.width,
                     "height": f.height} for f in FORMATS.values()],
    }


def list_packages() -> dict:
    return {"items": catalogue.list_packages()}


def list_styles() -> dict:
    return {"items": catalogue.list_styles()}
