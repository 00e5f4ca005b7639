"""Admin editing of packages and style presets: list everything (inactive too), create one
item or update the given fields of one. Every edit clears the catalogue cache so the public
``GET /api/packages`` and ``GET /api/styles`` show it.

Edits are optimistic-concurrency checked, so two admins (or one stale tab) cannot silently
undo each other: every item the admin API returns carries ``version``; an update names the
version it was based on and is refused with 409 ``catalogue_conflict`` once anyone else has
saved in between; creating an id that already exists is 409 ``catalogue_id_taken``. Items
without a stored version (seeded, or saved before versions existed) read as version 0."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from pynamodb.exceptions import PutError

from photoshoot import catalogue
from photoshoot.errors import BadRequest, Conflict, NotFound, ValidationFailed
from photoshoot.models import Package, Style
from photoshoot.observability import logger

# Ids ride in the bot's button data, which Telegram caps at 64 bytes: a style button carries
# "st:<upload id>:<style>:<format>" (34 bytes besides the style), a package one "pkg:<id>".
MAX_ID = 24
_ID = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_ID - 1}}}")
MAX_TITLE = 80
MAX_DESCRIPTION = 500
MAX_PROMPT = 2000
MAX_TAGS = 20
MAX_TAG = 40
MAX_URL = 500


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"field": field})


def _valid_id(raw: Any, what: str) -> str:
    # fullmatch: with match, "$" also accepts a trailing newline ("neon\n" was saved as an id)
    if not isinstance(raw, str) or not _ID.fullmatch(raw):
        raise _invalid("id", f"Идентификатор {what}: латинские буквы в нижнем регистре, цифры, "
                             f"«-» и «_», до {MAX_ID} символов.")
    return raw


# Control characters (NUL, escape sequences, a stray line break in a one-line title) show as
# garbage or break the bot's messages and buttons; only long texts may hold lines and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _text(field: str, label: str, limit: int, *, required: bool,
          multiline: bool = False) -> Callable[[Any], Any]:
    control = _CONTROL_BUT_LINES if multiline else _CONTROL

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
        if control.search(value):
            raise _invalid(field, f"В поле «{label}» есть служебные символы — уберите их.")
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
        if (not isinstance(tag, str) or not tag.strip() or len(tag.strip()) > MAX_TAG
                or _CONTROL.search(tag)):
            raise _invalid("tags", f"Каждый тег — непустая строка до {MAX_TAG} символов.")
        if tag.strip() not in tags:
            tags.append(tag.strip())
    return tags


# A path on our site, or an https address with a host. Browsers read a backslash as "/" and
# drop tabs and line breaks inside a URL, so "/<backslash>evil.example" and
# "/<tab>/evil.example" are the protocol-relative "//evil.example": no backslash, whitespace
# or control character at all.
_SITE_PATH = re.compile(r"/(?![/\\])[^\s\\]*")
_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[^\s\\]*)?")


def _preview_url(value: Any) -> str | None:
    url = _text("preview_url", "Превью", MAX_URL, required=False)(value)
    if url is not None and not (_SITE_PATH.fullmatch(url) or _HTTPS_URL.fullmatch(url)):
        raise _invalid("preview_url", "Ссылка на превью должна начинаться с / или https:// "
                                      "и не содержать пробелов и обратной косой черты.")
    return url


PACKAGE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text("title", "Название", MAX_TITLE, required=True),
    "description": _text("description", "Описание", MAX_DESCRIPTION, required=False,
                         multiline=True),
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
    "description": _text("description", "Описание", MAX_DESCRIPTION, required=False,
                         multiline=True),
    "prompt": _text("prompt", "Промпт", MAX_PROMPT, required=True, multiline=True),
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


# --- errors -----------------------------------------------------------------------------
class CatalogueConflict(Conflict):
    code = "catalogue_conflict"
    message = ("Этот элемент каталога уже изменили в другой вкладке или другой администратор. "
               "Загрузите актуальную версию — ваша правка не пропадёт.")


class CatalogueIdTaken(Conflict):
    code = "catalogue_id_taken"
    message = "Элемент с таким идентификатором уже есть. Выберите другой идентификатор."


class CatalogueVersionRequired(BadRequest):
    code = "version_required"
    message = "Не указана версия, на которой основана правка. Обновите страницу."


class CatalogueItemNotFound(NotFound):
    code = "catalogue_item_not_found"
    message = "Такого элемента каталога нет. Обновите страницу."


# --- one editor for both kinds of item ----------------------------------------------------
@dataclass(frozen=True)
class _Kind:
    """What differs between packages and styles: the model, its fields and the Russian words
    the messages need."""
    model: type
    id_field: str
    fields: Mapping[str, Callable[[Any], Any]]
    required: tuple
    defaults: Mapping[str, Any]
    of_one: str       # "пакета": «Идентификатор пакета», «версия пакета»
    this_one: str     # "Этот пакет"
    one: str          # "Пакет"
    existing: str     # "существующий пакет"
    view: Callable[[Any], dict]

    def key(self):
        return getattr(self.model, self.id_field)


def _version_of(item) -> int:
    return int(item.version or 0)


def _expected_version(body: Mapping[str, Any], kind: _Kind) -> int:
    version = body.get("version")
    if version is None:
        raise CatalogueVersionRequired(
            f"Не указана версия {kind.of_one}, на которой основана правка. Обновите страницу "
            "и внесите правку ещё раз.", details={"field": "version"})
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise _invalid("version", "Версия — целое неотрицательное число из ответа сервера.")
    return version


def _conflict(kind: _Kind, item_id: str, *, expected: int, admin_id: str) -> CatalogueConflict:
    logger.info("catalogue edit conflict", extra={"kind": kind.model.__name__,
                                                  "item_id": item_id,
                                                  "expected_version": expected,
                                                  "admin_id": admin_id})
    return CatalogueConflict(
        f"{kind.this_one} уже изменили в другой вкладке или другой администратор. Загрузите "
        "актуальную версию — ваша правка не пропадёт.")


def _condition_failed(error: PutError) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def _require_object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ValidationFailed("Тело запроса должно быть JSON-объектом.")
    return body


def _create(kind: _Kind, body: Any, *, admin_id: str) -> dict:
    body = _require_object(body)
    item_id = _valid_id(body.get(kind.id_field), kind.of_one)
    values = _validated({k: v for k, v in body.items() if k != kind.id_field}, kind.fields,
                        kind.required, creating=True)
    item = kind.model(item_id, **{**kind.defaults, **values})
    try:
        # The version is unset, so PynamoDB also requires none to be stored and writes 1.
        item.save(condition=kind.key().does_not_exist())
    except PutError as error:
        if not _condition_failed(error):
            raise
        raise CatalogueIdTaken(
            f"{kind.one} с идентификатором «{item_id}» уже есть. Выберите другой "
            f"идентификатор или измените {kind.existing} в списке.",
            details={"field": kind.id_field}) from None
    catalogue.clear_cache()
    logger.info("catalogue item created", extra={"kind": kind.model.__name__,
                                                 "item_id": item_id, "version": item.version,
                                                 "admin_id": admin_id})
    return kind.view(item)


def _update(kind: _Kind, item_id: str, body: Any, *, admin_id: str) -> dict:
    item_id = _valid_id(item_id, kind.of_one)
    body = _require_object(body)
    expected = _expected_version(body, kind)
    values = _validated({k: v for k, v in body.items() if k != "version"}, kind.fields,
                        kind.required, creating=False)
    try:
        item = kind.model.get(item_id, consistent_read=True)
    except kind.model.DoesNotExist:
        raise CatalogueItemNotFound(f"Такого {kind.of_one} нет. Обновите страницу.") from None
    # The write below is conditional on the version read here; this ties that read to the
    # version the admin's form was loaded at, which may be long before this request.
    if _version_of(item) != expected:
        raise _conflict(kind, item_id, expected=expected, admin_id=admin_id)
    for name, value in values.items():
        setattr(item, name, value)
    try:
        # PynamoDB adds "stored version == loaded version" (or "no version" for a legacy
        # item) and writes version + 1: whoever saved after our read makes this fail.
        item.save(condition=kind.key().exists())
    except PutError as error:
        if not _condition_failed(error):
            raise
        raise _conflict(kind, item_id, expected=expected, admin_id=admin_id) from None
    catalogue.clear_cache()
    logger.info("catalogue item updated", extra={"kind": kind.model.__name__,
                                                 "item_id": item_id, "fields": sorted(values),
                                                 "version": item.version, "admin_id": admin_id})
    return kind.view(item)


# --- packages ---------------------------------------------------------------------------
def package_view(package: Package) -> dict:
    return {**catalogue.package_to_dict(package), "active": bool(package.active),
            "sort": int(package.sort or 0), "version": _version_of(package)}


def list_packages() -> list[dict]:
    packages = sorted(Package.scan(consistent_read=True),
                      key=lambda p: (int(p.sort or 0), int(p.price_kopecks), p.package_id))
    return [package_view(p) for p in packages]


PACKAGES = _Kind(model=Package, id_field="package_id", fields=PACKAGE_FIELDS,
                 required=PACKAGE_REQUIRED,
                 defaults={"images_per_photoshoot": 4, "popular": False, "active": True,
                           "sort": 0},
                 of_one="пакета", this_one="Этот пакет", one="Пакет",
                 existing="существующий пакет", view=package_view)


def create_package(body: Any, *, admin_id: str) -> dict:
    """Create a package; the body names its ``package_id``. Never overwrites one."""
    return _create(PACKAGES, body, admin_id=admin_id)


def update_package(package_id: str, body: Any, *, admin_id: str) -> dict:
    """Update the given fields of a package loaded at ``body["version"]``."""
    return _update(PACKAGES, package_id, body, admin_id=admin_id)


# --- styles -----------------------------------------------------------------------------
def style_view(style: Style) -> dict:
    return {**catalogue.style_to_dict(style), "active": bool(style.active),
            "sort": int(style.sort or 0), "version": _version_of(style)}


def list_styles() -> list[dict]:
    styles = sorted(Style.scan(consistent_read=True),
                    key=lambda s: (int(s.sort or 0), s.style_id))
    return [style_view(s) for s in styles]


STYLES = _Kind(model=Style, id_field="style_id", fields=STYLE_FIELDS, required=STYLE_REQUIRED,
               defaults={"active": True, "sort": 0},
               of_one="стиля", this_one="Этот стиль", one="Стиль",
               existing="существующий стиль", view=style_view)


def create_style(body: Any, *, admin_id: str) -> dict:
    """Create a style preset; the body names its ``style_id``. Never overwrites one."""
    return _create(STYLES, body, admin_id=admin_id)


def update_style(style_id: str, body: Any, *, admin_id: str) -> dict:
    """Update the given fields of a style preset loaded at ``body["version"]``."""
    return _update(STYLES, style_id, body, admin_id=admin_id)
