"""Pick a provider by configuration, and resolve a style into a ``StyleSpec``."""
from __future__ import annotations

from photoshoot.errors import ValidationFailed
from photoshoot.providers.contract import Provider, StyleSpec
from photoshoot.providers.style_match import DEFAULT_SCENE, match_scene

PROVIDER_NAMES = ("studio", "photoroom", "stability", "yandexart")
_cache: dict[str, Provider] = {}


def _build(name: str) -> Provider:
    if name == "studio":
        from photoshoot.providers.studio.provider import StudioProvider
        return StudioProvider()
    if name == "photoroom":
        from photoshoot.providers.photoroom import PhotoroomProvider
        return PhotoroomProvider.from_settings()
    if name == "stability":
        from photoshoot.providers.stability import StabilityProvider
        return StabilityProvider.from_settings()
    if name == "yandexart":
        from photoshoot.providers.yandexart import YandexArtProvider
        return YandexArtProvider.from_settings()
    raise ValidationFailed(f"Неизвестный сервис генерации: {name}.")


def get_provider(name: str | None = None) -> Provider:
    """The configured provider (``GENERATION_PROVIDER``), one instance per process."""
    if name is None:
        from photoshoot.settings import get_settings
        name = get_settings().provider
    name = (name or "studio").strip().lower()
    if name not in _cache:
        _cache[name] = _build(name)
    return _cache[name]


def style_spec_for(style: dict | None, custom_prompt: str | None) -> StyleSpec:
    """A catalogue/saved style dict, or the user's own words, as a resolved ``StyleSpec``.

    Catalogue ids are scenes themselves; a saved style or free text is matched by words.
    The user's words also refine a catalogue style (colour, props).
    """
    from photoshoot.providers.studio.scenes import SCENE_IDS
    if style:
        style_id = style.get("style_id")
        prompt = style.get("prompt") or style.get("description") or ""
        words = " ".join(filter(None, [style.get("title"), prompt, custom_prompt]))
        scene, tint, props = match_scene(words)
        if style_id in SCENE_IDS:
            scene = style_id
        elif style.get("scene") in SCENE_IDS:
            scene = style["scene"]
        if custom_prompt:
            prompt = f"{prompt}; {custom_prompt}" if prompt else custom_prompt
        tint = match_scene(custom_prompt)[1] if custom_prompt else (style.get("tint") or None)
        if custom_prompt:
            props = match_scene(custom_prompt)[2] or props
        return StyleSpec(style_id=style_id, title=style.get("title") or style_id or "Стиль",
                         prompt=prompt, scene=scene, tint=tint, props=tuple(props))
    text = (custom_prompt or "").strip()
    if not text:
        return StyleSpec(style_id=DEFAULT_SCENE, title="Студийный фон",
                         prompt="product on a seamless studio sweep, soft key light",
                         scene=DEFAULT_SCENE)
    scene, tint, props = match_scene(text)
    return StyleSpec(style_id=None, title=text[:60], prompt=text, scene=scene, tint=tint,
                     props=props)
