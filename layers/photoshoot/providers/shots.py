"""Plan the N shots of one photoshoot: exact size, seed and varied light and composition.

Shared by every provider's ``build_prompt``: the studio reads the shot parameters, remote
providers read the English prompt written from the same parameters.
"""
from __future__ import annotations

import colorsys
import random

from photoshoot.formats import get_format
from photoshoot.providers.contract import Analysis, ShotSpec, StyleSpec

# Key light angles that read well, alternating sides so the N images differ.
_AZIMUTHS = (-38.0, 34.0, -55.0, 22.0, -18.0, 52.0, -28.0, 44.0)
_COMPOSITIONS = ("center", "left", "center", "right")


def colour_name(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    if l > 0.88:
        return "white"
    if l < 0.14:
        return "black"
    if s < 0.15:
        return "grey"
    names = ((15, "red"), (40, "orange"), (65, "yellow"), (160, "green"), (200, "teal"),
             (255, "blue"), (290, "purple"), (335, "pink"), (360, "red"))
    deg = h * 360
    for limit, name in names:
        if deg <= limit:
            return ("dark " if l < 0.3 else "light " if l > 0.7 else "") + name
    return "neutral"


def product_words(analysis: Analysis) -> str:
    noun = {"bottle": "bottle", "jar": "jar", "box": "box", "shoe": "shoe", "flat": "flat item",
            "tall": "tall product", "round": "product"}.get(analysis.shape, "product")
    colours = []
    for c in analysis.palette[:2]:
        name = colour_name(c)
        if name not in colours:
            colours.append(name)
    return f"{' and '.join(colours)} {noun}".strip()


def light_words(azimuth: float, elevation: float) -> str:
    side = "left" if azimuth < -8 else "right" if azimuth > 8 else "front"
    height = "high" if elevation > 55 else "low" if elevation < 30 else "mid-height"
    return f"key light from the {side}, {height}"


SCENE_PROMPTS = {
    "studio_sweep": "product on a seamless studio sweep, soft key light, gentle contact shadow",
    "marble": "product on a white marble tabletop, soft window light, subtle reflection",
    "wood": "product on a warm oak wooden table, cosy natural light, shallow depth of field",
    "concrete": "product on dark polished concrete, hard directional light, crisp shadow",
    "linen": "product on soft natural linen fabric with gentle folds, diffused daylight",
    "podium": "product on a cylindrical podium, colour-matched pastel set, minimal geometry",
    "botanical": "product in warm sunlight with leaf shadows falling across the scene",
    "water": "product standing in shallow clear water with soft ripples and caustics",
    "kitchen": "product on a bright kitchen countertop, blurred modern kitchen behind",
    "bathroom": "product on a bathroom shelf with glossy tiles behind, spa mood",
    "festive": "product on a festive table with warm golden bokeh lights behind",
    "pastel_flatlay": "top-down flat lay on pastel paper with soft geometric shapes",
}


def style_prompt(style: StyleSpec) -> str:
    """English scene description; a user's own words are kept as a quoted wish."""
    if style.style_id and style.prompt and style.prompt.isascii():
        base = style.prompt
    else:
        base = SCENE_PROMPTS.get(style.scene, SCENE_PROMPTS["studio_sweep"])
    if style.tint:
        base += f", {colour_name(style.tint)} colour palette"
    if style.props:
        base += ", with " + " and ".join(style.props)
    if style.prompt and not style.prompt.isascii():
        base += f' (customer wish: "{style.prompt[:200]}")'
    return base


def build_shots(analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                seed: int) -> list[ShotSpec]:
    fmt = get_format(format_id)
    rng = random.Random(seed)
    start = rng.randrange(len(_AZIMUTHS))
    flat = style.scene == "pastel_flatlay"
    shots = []
    for i in range(max(1, count)):
        az = _AZIMUTHS[(start + i) % len(_AZIMUTHS)] + rng.uniform(-6, 6)
        el = rng.uniform(32, 55)
        comp = "center" if i == 0 else _COMPOSITIONS[(i + rng.randrange(2)) % len(_COMPOSITIONS)]
        if fmt.width < fmt.height and comp != "center" and analysis.aspect < 0.8:
            comp = "center"          # a wide product in a portrait frame has no room to move
        scale = 1.0 if i == 0 else rng.uniform(0.88, 1.04)
        prompt = (f"{style_prompt(style)}. A {product_words(analysis)} as the hero, "
                  f"{light_words(az, el)}, {'top-down' if flat else 'eye-level'} camera, "
                  f"photorealistic product photography, no text, no other products")
        shots.append(ShotSpec(
            index=i, format_id=fmt.format_id, width=fmt.width, height=fmt.height,
            seed=(seed * 1009 + i * 7919) % (2 ** 31 - 1), style=style, prompt=prompt,
            light_azimuth=round(az, 1), light_elevation=round(el, 1), composition=comp,
            product_scale=round(scale, 3), props_variant=(seed + i) % 6,
            camera="top" if flat else "eye"))
    return shots
