"""A seller's own styles: a title and a description of the scene, optionally based on a
catalogue preset. ``{style_id, title, prompt, base_style_id, created_at}``."""
from __future__ import annotations

from photoshoot.catalogue import get_style
from photoshoot.errors import Conflict, NotFound, ValidationFailed
from photoshoot.models import SavedStyle
from photoshoot.models.base import utc_now_iso
from photoshoot.validation import refuse_unknown_fields, text_field

MAX_SAVED_STYLES = 50
MAX_TITLE = 60
MAX_PROMPT = 500


class SavedStyleNotFound(NotFound):
    message = "Такого сохранённого стиля нет. Возможно, он удалён."


def saved_style_to_dict(style: SavedStyle) -> dict:
    return {"style_id": style.style_id, "title": style.title, "prompt": style.prompt,
            "base_style_id": style.base_style_id, "created_at": style.created_at,
            "updated_at": style.updated_at}


FIELDS = ("title", "prompt", "base_style_id")


def _title(value) -> str:
    title = text_field(value, "Название стиля — это текст.")
    if not title:
        raise ValidationFailed("Назовите стиль, чтобы потом его узнать.")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"Название стиля — не длиннее {MAX_TITLE} символов.")
    return title


def _prompt(value) -> str:
    prompt = text_field(value, "Опишите сцену текстом.")
    if len(prompt) < 3:
        raise ValidationFailed("Опишите сцену хотя бы парой слов: «розовый фон, цветы».")
    if len(prompt) > MAX_PROMPT:
        raise ValidationFailed(f"Описание стиля — не длиннее {MAX_PROMPT} символов.")
    return prompt


def _base(value) -> str | None:
    base = text_field(value, "Основа стиля указана неверно. Выберите стиль из списка.")
    if not base:
        return None
    return get_style(base).style_id  # 404 for an unknown preset


def list_saved_styles(user_id: str) -> list[dict]:
    styles = sorted(SavedStyle.query(user_id), key=lambda s: s.created_at, reverse=True)
    return [saved_style_to_dict(s) for s in styles]


def get_saved_style(user_id: str, style_id: str) -> SavedStyle:
    try:
        return SavedStyle.get(user_id, str(style_id or "")[:64] or "-")
    except SavedStyle.DoesNotExist:
        raise SavedStyleNotFound() from None


def create_saved_style(user_id: str, body: dict) -> dict:
    from ulid import ULID  # noqa: PLC0415

    refuse_unknown_fields(body, FIELDS)
    title, prompt = _title(body.get("title")), _prompt(body.get("prompt"))
    base = _base(body.get("base_style_id"))
    if _count(user_id) >= MAX_SAVED_STYLES:
        raise _TooMany()
    style = SavedStyle(user_id, f"s{str(ULID()).lower()}", title=title, prompt=prompt,
                       base_style_id=base, created_at=utc_now_iso())
    style.save(condition=SavedStyle.style_id.does_not_exist())
    # Saved first, counted after: of concurrent saves past the limit, each sees the others
    # and takes itself back, so the limit holds (a burst may refuse one it could have kept).
    if _count(user_id) > MAX_SAVED_STYLES:
        style.delete()
        raise _TooMany()
    return saved_style_to_dict(style)


class _TooMany(Conflict):
    message = f"Можно сохранить до {MAX_SAVED_STYLES} стилей. Удалите ненужные."


def _count(user_id: str) -> int:
    return SavedStyle.count(user_id, consistent_read=True)


def update_saved_style(user_id: str, style_id: str, body: dict) -> dict:
    refuse_unknown_fields(body, FIELDS)
    style = get_saved_style(user_id, style_id)
    actions = [SavedStyle.updated_at.set(utc_now_iso())]
    if "title" in body:
        actions.append(SavedStyle.title.set(_title(body["title"])))
    if "prompt" in body:
        actions.append(SavedStyle.prompt.set(_prompt(body["prompt"])))
    if "base_style_id" in body:
        base = _base(body["base_style_id"])
        actions.append(SavedStyle.base_style_id.set(base) if base
                       else SavedStyle.base_style_id.remove())
    from pynamodb.exceptions import UpdateError  # noqa: PLC0415

    try:
        style.update(actions=actions, condition=SavedStyle.style_id.exists())
    except UpdateError as error:  # deleted between the read and the write
        if "ConditionalCheckFailed" in f"{error} {getattr(error, 'cause', '')}":
            raise SavedStyleNotFound() from None
        raise
    return saved_style_to_dict(style)


def delete_saved_style(user_id: str, style_id: str) -> None:
    style = get_saved_style(user_id, style_id)
    style.delete()
