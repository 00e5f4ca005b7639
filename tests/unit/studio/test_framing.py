"""Framing: the product (and a podium's stage) stays inside every frame with a margin."""
import numpy as np
import pytest

from photoshoot.formats import FORMATS
from photoshoot.providers.registry import get_provider, style_spec_for
from photoshoot.providers.studio.compositor import render_scene
from photoshoot.providers.studio.scenes import SCENE_IDS
from photoshoot.providers.studio.scenes.catalog import podium_room

MIN_MARGIN = 0.03        # share of the frame's width / height between product and edge


def _shots(analysis, scene, format_id):
    style = style_spec_for({"style_id": scene, "title": scene, "prompt": scene}, None)
    return get_provider("studio").build_prompt(analysis, style, format_id, 4, 11)


@pytest.mark.parametrize("kind", ["bottle", "shoe"])
@pytest.mark.parametrize("format_id", sorted(FORMATS))
@pytest.mark.parametrize("scene", SCENE_IDS)
def test_product_never_touches_the_frame_edges(analysed, kind, format_id, scene):
    analysis, cutout = analysed[kind]
    fmt = FORMATS[format_id]
    shots = _shots(analysis, scene, format_id)
    shot = shots[(SCENE_IDS.index(scene) + sorted(FORMATS).index(format_id)) % len(shots)]
    out, product, _ = render_scene(np.asarray(cutout), analysis, shot)
    assert out.shape == (fmt.height, fmt.width, 3)
    x, y, w, h = product.box
    mx, my = MIN_MARGIN * fmt.width, MIN_MARGIN * fmt.height
    assert x >= mx and fmt.width - (x + w) >= mx, (product.box, shot.composition)
    assert y >= my and fmt.height - (y + h) >= my, (product.box, shot.composition)


@pytest.mark.parametrize("format_id", sorted(FORMATS))
def test_podium_stage_fits_under_a_wide_product(analysed, format_id):
    analysis, cutout = analysed["shoe"]
    fmt = FORMATS[format_id]
    for shot in _shots(analysis, "podium", format_id):
        _, product, placement = render_scene(np.asarray(cutout), analysis, shot)
        stage_bottom = placement.base_y + podium_room(fmt.width, fmt.height, placement.centre_x,
                                                      product.box[2])
        assert stage_bottom <= fmt.height * (1 - MIN_MARGIN)
