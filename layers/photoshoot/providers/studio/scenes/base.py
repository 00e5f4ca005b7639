"""What a scene receives (the shot's context) and what it gives back to the compositor."""
from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass, field

import numpy as np

from photoshoot.providers.layout import Placement


@dataclass
class SceneContext:
    width: int
    height: int
    placement: Placement
    product_box: tuple[int, int, int, int]     # tight product box on the canvas (x, y, w, h)
    light_azimuth: float                       # degrees, <0 = light from the left
    light_elevation: float
    palette: list[tuple[float, float, float]]  # product colours, RGB 0..1
    tint: tuple[float, float, float] | None    # colour the user asked for
    props: tuple[str, ...]                     # prop kinds the user asked for
    props_variant: int
    camera: str
    rng: np.random.Generator

    @property
    def light_x(self) -> float:
        """Horizontal component of the light direction: -1 from the left, +1 from the right."""
        return math.sin(math.radians(self.light_azimuth))

    @property
    def shadow_dir(self) -> tuple[float, float]:
        """Unit-ish direction a shadow runs on the image (x right, y down)."""
        a = math.radians(self.light_azimuth)
        return (-math.sin(a), -math.cos(a) * 0.35)

    def accent(self, lightness: float = 0.86, max_sat: float = 0.35) -> tuple[float, float, float]:
        """A pastel tone of the product's most colourful colour (or the user's tint)."""
        if self.tint is not None:
            base = self.tint
        else:
            best, best_s = (0.8, 0.8, 0.8), -1.0
            for c in self.palette:
                h, l, s = colorsys.rgb_to_hls(*c)
                score = s * (1 - abs(l - 0.5))
                if score > best_s:
                    best, best_s = c, score
            base = best
        h, _, s = colorsys.rgb_to_hls(*base)
        return colorsys.hls_to_rgb(h, lightness, min(s, max_sat))


@dataclass
class SceneResult:
    backdrop: np.ndarray                 # float32 H×W×3, 0..1, sharp (DOF comes later)
    depth: np.ndarray                    # float32 H (one value per row), 0 in focus … 1 farthest
    dof_sigma: float                     # blur sigma (px at this size) for depth 1
    gloss: float = 0.0                   # reflection strength of the surface
    ripple: float = 0.0                  # water distortion of the reflection
    shadow_strength: float = 0.45
    shadow_softness: float = 0.5         # 0 hard … 1 very soft
    shadow_tint: tuple[float, float, float] = (0.15, 0.14, 0.16)
    ambient: tuple[float, float, float] = (1.0, 1.0, 1.0)
    key_strength: float = 0.06           # how much the product is relit
    flat_lay: bool = False               # top-down: drop shadow instead of a cast shadow
    contact: float = 1.0                 # strength of the contact shadow
    front: np.ndarray | None = None      # optional RGBA float layer drawn over the product
    extra: dict = field(default_factory=dict)


def rgb(hex_or_tuple) -> tuple[float, float, float]:
    if isinstance(hex_or_tuple, str):
        h = hex_or_tuple.lstrip("#")
        return tuple(int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4))
    return tuple(float(v) for v in hex_or_tuple)


def mix(a, b, t: float) -> tuple[float, float, float]:
    return tuple(float(x * (1 - t) + y * t) for x, y in zip(a, b))


def table_depth(ctx: SceneContext, wall_depth: float = 1.0) -> np.ndarray:
    """Depth per row for a tabletop: the wall far, the table receding from the product's base."""
    H = ctx.height
    p = ctx.placement
    y = np.arange(H, dtype=np.float32)
    span = max(1.0, p.base_y - p.horizon_y)
    d = np.where(y < p.base_y, np.clip((p.base_y - y) / span, 0, 1) * 0.8,
                 np.clip((y - p.base_y) / max(1.0, H - p.base_y), 0, 1) * 0.35)
    d = np.where(y < p.horizon_y, wall_depth, d)
    return d.astype(np.float32)


def wall_light(ctx: SceneContext, colour, falloff: float = 0.16, spot: float = 0.10,
               top_dark: float = 0.08) -> np.ndarray:
    """A lit wall: brighter on the light's side, a soft pool of light behind the product.

    Every term is a product of a function of x and a function of y, so the H×W light is
    built from two outer products instead of per-pixel maths.
    """
    H, W = ctx.height, ctx.width
    x = np.arange(W, dtype=np.float32)
    y = np.arange(H, dtype=np.float32)
    side = 1 - np.float32(falloff * 0.5 * 1.6 * ctx.light_x) * (x / W * 2 - 1)
    p = ctx.placement
    cy = p.base_y - (p.base_y - p.horizon_y) * 1.3
    pool_x = np.exp(-((x - np.float32(p.centre_x - 0.12 * W * ctx.light_x * -1))
                      / np.float32(0.55 * W)) ** 2)
    pool_y = np.exp(-((y - np.float32(cy)) / np.float32(0.5 * H)) ** 2)
    vert = 1 - np.float32(top_dark) * (1 - y / H)
    # colour × side(x) × vert(y) × (1 + spot × pool_x(x) × pool_y(y))
    light = np.multiply.outer(vert, side)
    light += np.multiply.outer(vert * pool_y * np.float32(spot), side * pool_x)
    return light[..., None] * np.array(colour, np.float32)
