"""Render the SPA's share preview and home-screen icons into static_site/public/.

Run: PYTHONPATH=.:layers .venv/bin/python infra/site_images.py

Offline and deterministic: the preview shows a synthetic product (the specimens the tests
use) before and after the studio renderer, on the brand gradient, with a Russian headline in
DejaVu Sans (Debian's fonts-dejavu-core, on every machine of this project's kind). The icons
redraw favicon.svg's mark with Pillow, which rasterises no SVG. The outputs are committed;
tests/unit/test_site_images.py checks their sizes, formats and weights.
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_DIR = ROOT / "static_site" / "public"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SHARE_SIZE = (1200, 630)        # Open Graph's 1.91:1, what Telegram, VK and Facebook expect
SHARE_MAX_BYTES = 300_000       # Facebook refuses over 8 MB; messengers fetch it on a phone
# The brand gradient of global.css (--gradient, 135deg) and the mark's of favicon.svg.
BRAND_STOPS = ((0.0, (107, 78, 255)), (0.45, (166, 77, 255)), (1.0, (255, 122, 89)))
MARK_STOPS = ((0.0, (124, 92, 255)), (1.0, (255, 122, 89)))
HEADLINE = ("AI-фотосессии", "для товаров")
SUBLINE = ("Загрузите снимок товара —", "получите карточки для", "маркетплейсов за минуту")
BEFORE_LABEL, AFTER_LABEL = "Ваше фото", "Фотосессия"
PRODUCT = ("bottle", 0)         # infra/samples.py's first product
AFTER_STYLE = "botanical"

# (file, size, maskable): the manifest names the same files (tests check both agree).
ICONS = (("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself, fills alpha black
         ("icon-192.png", 192, False), ("icon-512.png", 512, False),
         ("icon-maskable-192.png", 192, True), ("icon-maskable-512.png", 512, True))


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.is_file():
        raise SystemExit(f"{path} is missing: apt-get install fonts-dejavu-core")
    return ImageFont.truetype(str(path), size)


def _gradient(size: tuple[int, int], stops, angle_deg: float = 135.0) -> Image.Image:
    """A CSS ``linear-gradient(<angle>, stops…)``: the same line length and direction."""
    w, h = size
    a = np.deg2rad(angle_deg)
    dx, dy = np.sin(a), -np.cos(a)
    length = abs(w * dx) + abs(h * dy)
    xs, ys = np.meshgrid(np.arange(w) + 0.5 - w / 2, np.arange(h) + 0.5 - h / 2)
    t = np.clip((xs * dx + ys * dy) / length + 0.5, 0, 1)
    positions = [p for p, _ in stops]
    channels = [np.interp(t, positions, [c[i] for _, c in stops]) for i in range(3)]
    return Image.fromarray(np.dstack(channels).round().astype(np.uint8), "RGB")


def _rounded(image: Image.Image, radius: int) -> Image.Image:
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *image.size), radius, fill=255)
    out = image.convert("RGBA")
    out.putalpha(mask)
    return out


def _paste_card(canvas: Image.Image, card: Image.Image, xy: tuple[int, int],
                radius: int = 22) -> None:
    """A photo with rounded corners and a soft drop shadow, as the app shows results."""
    x, y = xy
    shadow = Image.new("RGBA", (card.width + 120, card.height + 120), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).rounded_rectangle((60, 75, 60 + card.width, 75 + card.height),
                                             radius, fill=(30, 10, 80, 120))
    shadow = shadow.filter(ImageFilter.GaussianBlur(22))
    canvas.alpha_composite(shadow, (x - 60, y - 60))
    canvas.alpha_composite(_rounded(card, radius), (x, y))


def _chip(canvas: Image.Image, text: str, xy: tuple[int, int], font, dark: bool) -> None:
    draw = ImageDraw.Draw(canvas)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad_x, pad_y = 16, 9
    x, y = xy
    box = (x, y, x + right - left + 2 * pad_x, y + bottom - top + 2 * pad_y)
    draw.rounded_rectangle(box, (box[3] - box[1]) // 2,
                           fill=(21, 20, 26, 220) if dark else (255, 255, 255, 235))
    draw.text((x + pad_x - left, y + pad_y - top), text, font=font,
              fill=(255, 255, 255) if dark else (21, 20, 26))


def _arrow(canvas: Image.Image, start: tuple[int, int], end: tuple[int, int]) -> None:
    draw = ImageDraw.Draw(canvas)
    draw.line((start, end), fill=(255, 255, 255, 255), width=7)
    x, y = end
    draw.polygon(((x + 14, y), (x - 6, y - 15), (x - 6, y + 15)), fill=(255, 255, 255, 255))


def product_shots() -> tuple[Image.Image, Image.Image]:
    """The product as a seller photographs it, and one studio shot of it (3:4 card)."""
    from photoshoot.providers.registry import get_provider, style_spec_for
    from photoshoot.providers.studio.specimens import make_specimen

    styles = {s["style_id"]: s for s in json.loads(
        (ROOT / "infra" / "seed" / "styles.json").read_text(encoding="utf-8"))}
    provider = get_provider("studio")
    before = Image.fromarray(make_specimen(PRODUCT[0], "plain", PRODUCT[1]).image)
    analysis, cutout = provider.analyze(before)
    shot = provider.build_prompt(analysis, style_spec_for(styles[AFTER_STYLE], None), "3:4",
                                 1, 7)[0]
    return before, provider.render(cutout, analysis, shot).image


def share_image(before: Image.Image, after: Image.Image) -> Image.Image:
    canvas = _gradient(SHARE_SIZE, BRAND_STOPS).convert("RGBA")
    draw = ImageDraw.Draw(canvas)
    canvas.alpha_composite(brand_mark(64, maskable=False), (64, 62))
    draw.text((144, 94), "Photoshoot", font=_font(True, 38), fill="white", anchor="lm")
    headline = _font(True, 66)
    for row, line in enumerate(HEADLINE):
        draw.text((62, 170 + row * 80), line, font=headline, fill="white")
    subline = _font(False, 29)
    for row, line in enumerate(SUBLINE):
        draw.text((64, 372 + row * 42), line, font=subline, fill=(255, 255, 255, 235))

    chip = _font(True, 21)
    small, large = (204, 272), (300, 400)
    _paste_card(canvas, before.resize(small, Image.Resampling.LANCZOS), (642, 250))
    _chip(canvas, BEFORE_LABEL, (656, 264), chip, dark=False)
    _arrow(canvas, (858, 386), (886, 386))
    _paste_card(canvas, after.resize(large, Image.Resampling.LANCZOS), (852, 115))
    _chip(canvas, AFTER_LABEL, (868, 131), chip, dark=True)
    return canvas.convert("RGB")


def brand_mark(size: int, maskable: bool) -> Image.Image:
    """favicon.svg's mark (viewBox 64): a gradient tile, a lens ring and a flash. Drawn 4×
    larger and reduced, for smooth edges. Maskable: a full-bleed tile with the glyph inside
    the central safe circle (radius 40 %), since the launcher cuts its own shape."""
    scale = 4
    big = size * scale
    unit = big / 64
    tile = _gradient((big, big), MARK_STOPS, angle_deg=135.0).convert("RGBA")
    if not maskable:
        tile = _rounded(tile, round(16 * unit))
    glyph = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(glyph)
    # the glyph reaches 23 of 64 from the centre: at 0.9 it keeps clear of the safe circle's 25.6
    k = unit * (0.9 if maskable else 1.0)
    cx, cy = big / 2, big / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return cx + (x - 32) * k, cy + (y - 32) * k
    ring = 12 * k
    centre = at(32, 34)
    draw.ellipse((centre[0] - ring - 2.5 * k, centre[1] - ring - 2.5 * k,
                  centre[0] + ring + 2.5 * k, centre[1] + ring + 2.5 * k),
                 outline="white", width=round(5 * k))
    draw.rounded_rectangle((*at(18, 14), *at(32, 21)), round(3 * k), fill="white")
    tile.alpha_composite(glyph)
    return tile.resize((size, size), Image.Resampling.LANCZOS)


def encode_jpeg(image: Image.Image, max_bytes: int) -> bytes:
    for quality in (90, 86, 82, 78, 74, 70):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() <= max_bytes:
            return buffer.getvalue()
    raise SystemExit(f"the share image stays over {max_bytes} bytes")


def encode_png(image: Image.Image, opaque: bool) -> bytes:
    buffer = io.BytesIO()
    (image.convert("RGB") if opaque else image).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main(out_dir: Path = PUBLIC_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    share = encode_jpeg(share_image(*product_shots()), SHARE_MAX_BYTES)
    (out_dir / "og-image.jpg").write_bytes(share)
    print(f"og-image.jpg: {len(share) // 1024} KB")
    for name, size, maskable in ICONS:
        body = encode_png(brand_mark(size, maskable), opaque=maskable)
        (out_dir / name).write_bytes(body)
        print(f"{name}: {len(body) // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PUBLIC_DIR)
