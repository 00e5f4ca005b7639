import json
import subprocess
import sys
from pathlib import Path

import pytest

from photoshoot.providers.registry import get_provider, style_spec_for
from photoshoot.providers.studio.scenes import SCENE_IDS
from photoshoot.providers.suggest import suggest_styles

ROOT = Path(__file__).resolve().parents[3]
STYLES = json.loads((ROOT / "infra/seed/styles.json").read_text(encoding="utf-8"))


def test_every_catalogue_style_maps_to_its_own_scene():
    assert len(SCENE_IDS) >= 12
    for style in STYLES:
        spec = style_spec_for(style, None)
        assert spec.scene == style["style_id"] and spec.scene in SCENE_IDS


@pytest.mark.parametrize("words, scene, tint, props", [
    ("на розовом фоне с цветами", "studio_sweep", "#f3c4d0", ("flowers",)),
    ("на мраморном столе", "marble", None, ()),
    ("on a wooden table", "wood", None, ()),
    ("новогодний подарок с огоньками", "festive", None, ()),
    ("в воде с брызгами", "water", None, ()),
    ("вид сверху на пастельной бумаге", "pastel_flatlay", None, ()),
    ("на полке в ванной", "bathroom", None, ()),
    ("что-нибудь красивое", "studio_sweep", None, ()),
])
def test_users_own_words_map_to_the_closest_scene(words, scene, tint, props):
    spec = style_spec_for(None, words)
    assert (spec.scene, spec.tint, spec.props) == (scene, tint, props)
    assert spec.style_id is None and spec.prompt == words


def test_custom_words_refine_a_catalogue_style():
    marble = next(s for s in STYLES if s["style_id"] == "marble")
    spec = style_spec_for(marble, "с розовыми цветами")
    assert spec.scene == "marble" and spec.tint == "#f3c4d0" and "flowers" in spec.props


def test_suggestions_are_ranked_with_russian_reasons():
    analysis = {"shape": "bottle", "brightness": 0.3, "saturation": 0.4, "glossiness": 0.5}
    ranked = suggest_styles(analysis, None, STYLES)
    assert {r["style_id"] for r in ranked} == {s["style_id"] for s in STYLES}
    assert ranked == sorted(ranked, key=lambda r: -r["score"])
    assert ranked[0]["style_id"] in {"water", "marble", "bathroom"}
    assert all(r["reason_ru"] and 0 <= r["score"] <= 1 for r in ranked)
    worded = suggest_styles(analysis, "хочу на кухне", STYLES)
    assert worded[0]["style_id"] == "kitchen"


def test_default_provider_comes_from_settings(monkeypatch):
    from photoshoot.settings import reset_settings_cache
    monkeypatch.setenv("GENERATION_PROVIDER", "studio")
    reset_settings_cache()
    assert get_provider().name == "studio"
    assert get_provider().capabilities.preserves_product


def test_contract_imports_without_numpy_or_cv2():
    code = ("import sys; import photoshoot.providers.contract, photoshoot.providers.registry; "
            "assert 'numpy' not in sys.modules and 'cv2' not in sys.modules, sorted(sys.modules)")
    env_path = f"{ROOT}:{ROOT / 'layers'}"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": env_path})
