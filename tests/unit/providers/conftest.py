import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def product():
    """(analysis, cut-out) of a plain bottle, analysed once."""
    from photoshoot.providers.studio.provider import StudioProvider
    from photoshoot.providers.studio.specimens import make_specimen
    return StudioProvider().analyze(Image.fromarray(make_specimen("bottle", "plain", 3).image))


def provider_output(cutout, analysis, shot, *, move_px: int = 0, size=None) -> bytes:
    """What a product-keeping provider sends back: our canvas over a new background."""
    from photoshoot.providers.remote import prepare_canvas
    canvas = prepare_canvas(cutout, analysis, shot)
    bg = Image.new("RGB", canvas.rgba.size, (214, 206, 196))
    bg.paste(canvas.rgba, (move_px, 0), canvas.rgba)
    if size:
        bg = bg.resize(size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    bg.save(buf, "PNG")
    return buf.getvalue()


def as_array(image) -> np.ndarray:
    return np.asarray(image)
