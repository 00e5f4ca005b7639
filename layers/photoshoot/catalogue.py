"""The catalogue: photoshoot packages and style presets (editable by admins, seeded from
``infra/seed``)."""
from __future__ import annotations

import json
import time
from pathlib import Path

from photoshoot.errors import NotFound
from photoshoot.models import Package, Style

SEED_DIR = Path(__file__).resolve().parents[2] / "infra" / "seed"
_CACHE_TTL_S = 30.0
_cache: dict[str, tuple[float, list]] = {}


def _cached(name: str, load):
    """The catalogue changes rarely; a warm Lambda keeps it for a few seconds."""
    now = time.monotonic()
    hit = _cache.get(name)
    if hit and now - hit[0] < _CACHE_TTL_S:
        return hit[1]
    value = load()
    _cache[name] = (now, value)
    return value


def clear_cache() -> None:
    _cache.clear()


def package_to_dict(package: Package) -> dict:
    return {
        "package_id": package.package_id,
        "title": package.title,
        "description": package.description,
        "photoshoots": int(package.photoshoots),
        "price_kopecks": int(package.price_kopecks),
        "price_per_photoshoot_kopecks": int(package.price_kopecks) // int(package.photoshoots),
        "images_per_photoshoot": int(package.images_per_photoshoot),
        "stars_price": int(package.stars_price) if package.stars_price is not None else None,
        "popular": bool(package.popular),
    }


def style_to_dict(style: Style) -> dict:
    return {
        "style_id": style.style_id,
        "title": style.title,
        "description": style.description,
        "prompt": style.prompt,
        "tags": list(style.tags or []),
        "preview_url": style.preview_url,
    }


def list_packages() -> list[dict]:
    def load():
        packages = [p for p in Package.scan() if p.active]
        packages.sort(key=lambda p: (p.sort, p.price_kopecks))
        return [package_to_dict(p) for p in packages]
    return _cached("packages", load)


def list_styles() -> list[dict]:
    def load():
        styles = [s for s in Style.scan() if s.active]
        styles.sort(key=lambda s: (s.sort, s.style_id))
        return [style_to_dict(s) for s in styles]
    return _cached("styles", load)


def get_package(package_id: str) -> Package:
    try:
        package = Package.get(package_id)
    except Package.DoesNotExist:
        raise NotFound("Такого пакета нет. Выберите пакет из списка.") from None
    if not package.active:
        raise NotFound("Этот пакет больше не продаётся. Выберите другой.")
    return package


MAX_STYLE_ID_LENGTH = 64


class StyleNotFound(NotFound):
    code = "style_not_found"
    message = "Такого стиля нет. Выберите стиль из списка."


def get_style(style_id: str) -> Style:
    if not style_id or len(style_id) > MAX_STYLE_ID_LENGTH:  # DynamoDB refuses long keys
        raise StyleNotFound()
    try:
        style = Style.get(style_id)
    except Style.DoesNotExist:
        raise StyleNotFound() from None
    return style


def seed_catalogue() -> None:
    """Write the seed packages and styles (idempotent: same ids overwrite themselves).

    Seeded items carry no ``version``, which the admin API reads as version 0. A re-seed over
    an item an admin edited resets it to version 0, so a form loaded from the edited item gets
    a 409 instead of overwriting what the seed wrote; only a form loaded from a never-edited
    seed item (version 0 too) does not notice a re-seed."""
    with Package.batch_write() as batch:
        for raw in json.loads((SEED_DIR / "packages.json").read_text(encoding="utf-8")):
            stars = raw.get("stars_price") or max(1, round(raw["price_kopecks"] / 100 / 1.6))
            batch.save(Package(raw["package_id"], title=raw["title"],
                               description=raw.get("description"),
                               photoshoots=raw["photoshoots"],
                               price_kopecks=raw["price_kopecks"],
                               images_per_photoshoot=raw["images_per_photoshoot"],
                               stars_price=stars, popular=raw["popular"], sort=raw["sort"]))
    with Style.batch_write() as batch:
        for raw in json.loads((SEED_DIR / "styles.json").read_text(encoding="utf-8")):
            batch.save(Style(raw["style_id"], title=raw["title"],
                             description=raw["description"], prompt=raw["prompt"],
                             tags=raw["tags"], preview_url=raw["preview_url"], sort=raw["sort"]))
    clear_cache()
