import json

from photoshoot.providers.contract import Analysis


def test_shapes_are_recognised(analysed):
    assert analysed["bottle"][0].shape == "bottle"
    assert analysed["jar"][0].shape == "jar"
    assert analysed["box"][0].shape == "box"


def test_analysis_is_small_json_and_round_trips(analysed):
    analysis, cutout = analysed["bottle"]
    data = json.loads(json.dumps(analysis.to_dict()))
    assert len(json.dumps(data)) < 4096
    assert Analysis.from_dict(data) == Analysis.from_dict(analysis.to_dict())
    assert cutout.mode == "RGBA" and cutout.size == (analysis.cutout_width, analysis.cutout_height)


def test_label_text_is_found_on_the_bottle(analysed):
    analysis, _ = analysed["bottle"]
    assert analysis.text_regions, "the AQUA label must be protected"
    x, y, w, h = analysis.text_regions[0]
    assert 0.35 < y < 0.9 and w > 0.2


def test_palette_lists_the_product_colours(analysed):
    analysis, _ = analysed["jar"]
    assert len(analysis.palette) >= 3 and all(c.startswith("#") for c in analysis.palette)
    assert abs(sum(analysis.palette_weights) - 1) < 0.01
