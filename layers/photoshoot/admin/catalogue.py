"""Admin editing of packages and style presets: list everything (inactive too), create or
update one item with validated fields. Every edit clears the catalogue cache so the public
``GET /api/packages`` and ``GET /api/styles`` show it."""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from photoshoot import catalogue
from photoshoot.errors import ValidationFailed
from photoshoot.models import Package, Style
from photoshoot.observability import logger

# Ids ride in the bot's button data, which Telegram caps at 64 bytes: a style button carries
# "st:<upload id>:<style>:<format>" (34 bytes besides the style), a package one "pkg:<id>".
MAX_ID = 24
_ID = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_ID - 1}}}$")
MAX_TITLE = 80
MAX_DESCRIPTION = 500
MAX_PROMPT = 2000
MAX_TAGS = 20
MAX_TAG = 40
MAX_URL = 500


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"field": field})


def _valid_id(raw: str, what: str) -> str:
    if not isinstance(raw, str) or not _ID.match(raw):
        raise _invalid("id", f"Идентификатор {what}: латинские буквы в нижнем регистре, цифры, "
                             f"«-» и «_», до {MAX_ID} символов.")
    return raw


def _text(field: str, label: str, limit: int, *, required: bool) -> Callable[[Any], Any]:
    def check(value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise _invalid(field, f"Заполните поле «{label}».")
            return None
        if not isinstance(value, str):
            raise _invalid(field, f"Поле «{label}» должно быть текстом.")
        value = value.strip()
        if len(value) > limit:
            raise _invalid(field, f"Поле «{label}» длиннее {limit} символов.")
        return value
    return check


def _integer(field: str, label: str, *, minimum: int, maximum: int = 10**9,
             nullable: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> int | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(field, f"Поле «{label}» должно быть целым числом.")
        if not minimum <= value <= maximum:
            raise _invalid(field, f"Поле «{label}» должно быть от {minimum} до {maximum}.")
        return value
    return check


def _flag(field: str, label: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise _invalid(field, f"Поле «{label}» должно быть true или false.")
        return value
    return check


def _tags(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_TAGS:
        raise _invalid("tags", f"Теги — список строк, не больше {MAX_TAGS}.")
    tags = []
    for tag in value:
        if not isinstance(tag, str) or not tag.strip() or len(tag.strip()) > MAX_TAG:
            raise _invalid("tags", f"Каждый тег — непустая строка до {MAX_TAG} символов.")
        if tag.strip() not in tags:
            tags.append(tag.strip())
    return tags


def _preview_url(value: Any) -> str | None:
    url = _text("preview_url", "Превью", MAX_URL, required=False)(value)
    if url is not None and not (url.startswith("/") or url.startswith("https://")):
        raise _invalid("preview_url", "Ссылка на превью должна начинаться с / или https://.")
    return url


PACKAGE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text("title", "Название", MAX_TITLE, required=True),
    "description": _text("description", "Описание", MAX_DESCRIPTION, required=False),
    "photoshoots": _integer("photoshoots", "Фотосессий", minimum=1, maximum=10_000),
    "price_kopecks": _integer("price_kopecks", "Цена, копеек", minimum=1,
                              maximum=100_000_000),
    "images_per_photoshoot": _integer("images_per_photoshoot", "Кадров в фотосессии",
                                      minimum=1, maximum=8),
    "popular": _flag("popular", "Популярный"),
    "active": _flag("active", "Продаётся"),
    "sort": _integer("sort", "Порядок", minimum=-10_000, maximum=10_000),
    "stars_price": _integer("stars_price", "Цена в Stars", minimum=1, maximum=1_000_000,
                            nullable=True),
}
PACKAGE_REQUIRED = ("title", "photoshoots", "price_kopecks")

STYLE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text("title", "Название", MAX_TITLE, required=True),
    "description": _text("description", "Описание", MAX_DESCRIPTION, required=False),
    "prompt": _text("prompt", "Промпт", MAX_PROMPT, required=True),
    "tags": _tags,
    "preview_url": _preview_url,
    "active": _flag("active", "Показывать"),
    "sort": _integer("sort", "Порядок", minimum=-10_000, maximum=10_000),
}
STYLE_REQUIRED = ("title", "prompt")


def _validated(changes: Mapping[str, Any], fields: Mapping[str, Callable], required: tuple,
               creating: bool) -> dict[str, Any]:
    if not isinstance(changes, Mapping):
        raise ValidationFailed("Тело запроса должно быть JSON-объектом.")
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise ValidationFailed("Неизвестные поля: " + ", ".join(unknown) + ".",
                               details={"fields": unknown})
    if creating:
        missing = [name for name in required if changes.get(name) is None]
        if missing:
            raise ValidationFailed("Для нового элемента заполните: " + ", ".join(missing) + ".",
                                   details={"fields": missing})
    return {name: fields[name](value) for name, value in changes.items()}


# --- packages ---------------------------------------------------------------------------
def package_view(package: Package) -> dict:
    return {**catalogue.package_to_dict(package), "active": bool(package.active),
            "sort": int(package.sort or 0)}


def list_packages() -> list[dict]:
    packages = sorted(Package.scan(consistent_read=True),
                      key=lambda p: (int(p.sort or 0), int(p.price_kopecks), p.package_id))
    return [package_view(p) for p in packages]


def save_package(package_id: str, changes: Mapping[str, Any], *, admin_id: str) -> dict:
    """Create the package or update the given fields of an existing one."""
    package_id = _valid_id(package_id, "пакета")
    try:
        package = Package.get(package_id, consistent_read=True)
        creating = False
    except Package.DoesNotExist:
        package = Package(package_id, images_per_photoshoot=4, popular=False, active=True,
                          sort=0)
        creating = True
    values = _validated(changes, PACKAGE_FIELDS, PACKAGE_REQUIRED, creating)
    for name, value in values.items():
        setattr(package, name, value)
    package.save()
    catalogue.clear_cache()
    logger.info("package saved", extra={"package_id": package_id, "created": creating,
                                        "fields": sorted(values), "admin_id": admin_id})
    return package_view(package)


# --- styles -----------------------------------------------------------------------------
def style_view(style: Style) -> dict:
    return {**catalogue.style_to_dict(style), "active": bool(style.active),
            "sort": int(style.sort or 0)}


def list_styles() -> list[dict]:
    styles = sorted(Style.scan(consistent_read=True),
                    key=lambda s: (int(s.sort or 0), s.style_id))
    return [style_view(s) for s in styles]


def save_style(style_id: str, changes: Mapping[str, Any], *, admin_id: str) -> dict:
    """Create the style preset or update the given fields of an existing one."""
    style_id = _valid_id(style_id, "стиля")
    try:
        style = Style.get(style_id, consistent_read=True)
        creating = False
    except Style.DoesNotExist:
        style = Style(style_id, active=True, sort=0)
        creating = True
    values = _validated(changes, STYLE_FIELDS, STYLE_REQUIRED, creating)
    for name, value in values.items():
        setattr(style, name, value)
    style.save()
    catalogue.clear_cache()
    logger.info("style saved", extra={"style_id": style_id, "created": creating,
                                      "fields": sorted(values), "admin_id": admin_id})
    return style_view(style)
