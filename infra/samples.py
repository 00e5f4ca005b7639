"""Render every style for the synthetic test products into a contact sheet.

Run: PYTHONPATH=.:layers .venv/bin/python infra/samples.py [--previews]
Writes build/samples/contact_sheet.png (rows: products; columns: styles). With --previews
it also writes the style preview JPEGs to static_site/public/styles/<style_id>.jpg.
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from photoshoot.providers.registry import get_provider, style_spec_for
from photoshoot.providers.studio.specimens import make_specimen

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "build" / "samples"
PREVIEW_DIR = ROOT / "static_site" / "public" / "styles"
PRODUCTS = (("bottle", 0), ("jar", 1), ("box", 0), ("shoe", 2))
TILE = 300
PREVIEW_SIZE = 480
PREVIEW_MAX_BYTES = 60_000


def load_styles() -> list[dict]:
    return json.loads((ROOT / "infra" / "seed" / "styles.json").read_text(encoding="utf-8"))


def render_grid(styles: list[dict]) -> Image.Image:
    provider = get_provider("studio")
    sheet = Image.new("RGB", (TILE * len(styles), TILE * len(PRODUCTS) + 24), "white")
    draw = ImageDraw.Draw(sheet)
    for col, style in enumerate(styles):
        draw.text((col * TILE + 6, 6), style["style_id"], fill=(40, 40, 40))
    for row, (kind, seed) in enumerate(PRODUCTS):
        photo = Image.fromarray(make_specimen(kind, "plain", seed).image)
        analysis, cutout = provider.analyze(photo)
        for col, style in enumerate(styles):
            shot = provider.build_prompt(analysis, style_spec_for(style, None), "1:1", 4,
                                         seed + row)[row % 4]
            image = provider.render(cutout, analysis, shot).image
            sheet.paste(image.resize((TILE, TILE), Image.Resampling.LANCZOS),
                        (col * TILE, 24 + row * TILE))
        print(f"rendered {kind}", flush=True)
    return sheet


def write_previews(styles: list[dict]) -> None:
    provider = get_provider("studio")
    photo = Image.fromarray(make_specimen("bottle", "plain", 0).image)
    analysis, cutout = provider.analyze(photo)
    PREVIEW_DIR.mkdir(parents=True, exist_ok=True)
    for style in styles:
        shot = provider.build_prompt(analysis, style_spec_for(style, None), "1:1", 1, 7)[0]
        image = provider.render(cutout, analysis, shot).image
        image = image.resize((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.LANCZOS)
        for quality in (86, 80, 74, 68, 60, 50):
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
            if buf.tell() <= PREVIEW_MAX_BYTES:
                break
        (PREVIEW_DIR / f"{style['style_id']}.jpg").write_bytes(buf.getvalue())
        print(f"preview {style['style_id']}: {buf.tell() // 1024} KB", flush=True)


def main(argv: list[str]) -> None:
    styles = load_styles()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sheet = render_grid(styles)
    path = OUT_DIR / "contact_sheet.png"
    sheet.save(path)
    print(f"contact sheet: {path}")
    if "--previews" in argv:
        write_previews(styles)


if __name__ == "__main__":
    main(sys.argv[1:])
