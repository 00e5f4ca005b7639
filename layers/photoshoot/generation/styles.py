"""Which style a generation is made in: a catalogue preset, a saved style, or the seller's
own words (optionally on top of a preset) — resolved when the generation is created, so
editing a saved style later never changes a running or past photoshoot."""
from __future__ import annotations

from dataclasses import dataclass

from photoshoot.catalogue import StyleNotFound, get_style, style_to_dict
from photoshoot.errors import ValidationFailed
from photoshoot.saved_styles import get_saved_style
from photoshoot.validation import text_field

MAX_CUSTOM_PROMPT = 500


@dataclass(frozen=True)
class StyleChoice:
    style_id: str | None
    saved_style_id: str | None
    custom_prompt: str | None
    title: str


WRONG_STYLE = "Стиль указан неверно. Выберите стиль из списка."


def choose_style(user_id: str, body: dict) -> StyleChoice:
    style_id = text_field(body.get("style_id"), WRONG_STYLE) or None
    saved_style_id = text_field(body.get("saved_style_id"), WRONG_STYLE) or None
    custom = text_field(body.get("custom_prompt"), "Опишите сцену текстом.") or None
    if custom is not None and len(custom) > MAX_CUSTOM_PROMPT:
        raise ValidationFailed(f"Описание сцены — не длиннее {MAX_CUSTOM_PROMPT} символов.")
    if custom is not None and len(custom) < 3:
        raise ValidationFailed("Опишите сцену хотя бы парой слов: «розовый фон, цветы».")
    if saved_style_id:
        saved = get_saved_style(user_id, saved_style_id)
        return StyleChoice(saved.base_style_id, saved.style_id, saved.prompt, saved.title)
    if style_id:
        style = get_style(style_id)
        if style.active is False:  # a generation already made in it still renders
            raise StyleNotFound("Этот стиль больше недоступен. Выберите другой.")
        return StyleChoice(style.style_id, None, custom, style.title)
    if custom:
        return StyleChoice(None, None, custom, "Свой стиль")
    raise ValidationFailed("Выберите стиль или опишите сцену своими словами.")


def catalogue_style_dict(style_id: str | None) -> dict | None:
    if not style_id:
        return None
    return style_to_dict(get_style(style_id))
