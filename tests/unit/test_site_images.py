"""The share preview and home-screen icons in static_site/public/ (made by
infra/site_images.py) are what link previews and launchers accept, and the manifest and
index.html name files that are there."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from infra import site_images

PUBLIC = Path(__file__).resolve().parents[2] / "static_site" / "public"
INDEX_HTML = PUBLIC.parent / "index.html"


def test_the_share_image_is_a_1200x630_jpeg_under_300_kb():
    path = PUBLIC / "og-image.jpg"
    assert path.stat().st_size < 300_000
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 630)
        assert image.mode == "RGB"  # CMYK or greyscale previews look wrong in some apps


@pytest.mark.parametrize(("name", "size", "maskable"), site_images.ICONS)
def test_each_icon_has_its_size_and_the_right_transparency(name, size, maskable):
    with Image.open(PUBLIC / name) as image:
        assert image.format == "PNG" and image.size == (size, size)
        if maskable:
            # a launcher cuts its own shape; iOS paints transparency black
            assert "A" not in image.getbands()
        else:
            corner = image.convert("RGBA").getpixel((0, 0))
            centre = image.convert("RGBA").getpixel((size // 2, size // 5))
            assert corner[3] == 0 and centre[3] == 255  # the rounded tile of favicon.svg


def test_the_manifest_names_exactly_the_rendered_icons():
    manifest = json.loads((PUBLIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    declared = {(icon["src"].lstrip("/"), icon["sizes"], icon["purpose"])
                for icon in manifest["icons"]}
    rendered = {(name, f"{size}x{size}", "maskable" if maskable else "any")
                for name, size, maskable in site_images.ICONS if name.startswith("icon-")}
    assert declared == rendered
    assert manifest["lang"] == "ru" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"


def test_every_local_file_index_html_links_is_in_public():
    html = INDEX_HTML.read_text(encoding="utf-8")
    linked = re.findall(r'<link [^>]*href="/([^"]+)"', html)
    assert {"favicon.svg", "apple-touch-icon.png", "manifest.webmanifest"} <= set(linked)
    for name in linked:
        assert (PUBLIC / name).is_file(), name


def test_the_composition_fills_the_share_format_and_stays_in_budget():
    # stand-ins for the renderer's shots (the real ones take seconds): the layout is tested
    before = Image.new("RGB", (960, 1280), (230, 230, 228))
    after = Image.new("RGB", (900, 1200), (200, 180, 150))
    image = site_images.share_image(before, after)
    assert image.size == site_images.SHARE_SIZE and image.mode == "RGB"
    body = site_images.encode_jpeg(image, site_images.SHARE_MAX_BYTES)
    assert len(body) <= site_images.SHARE_MAX_BYTES
    assert Image.open(io.BytesIO(body)).size == (1200, 630)


def test_the_maskable_glyph_stays_inside_the_safe_circle():
    """Launchers may cut the icon down to a circle of 40 % radius: the white glyph is inside."""
    image = site_images.brand_mark(512, maskable=True).convert("RGB")
    pixels = image.load()
    radius = 0.4 * 512
    for y in range(0, 512, 4):
        for x in range(0, 512, 4):
            r, g, b = pixels[x, y]
            if min(r, g, b) > 240:  # the white glyph
                assert (x - 256) ** 2 + (y - 256) ** 2 < radius ** 2, (x, y)
