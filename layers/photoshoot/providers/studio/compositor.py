"""Put the real product into a studio scene: place, shadow, reflect, relight, finish.

Only the scene is painted over the whole frame; everything about the product (its layers,
shadows, reflection, relight, the fidelity check) works on windows around it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import cv2
import numpy as np

from photoshoot.providers.contract import Analysis, ShotSpec
from photoshoot.providers.layout import Placement, place_product
from photoshoot.providers.studio import lighting
from photoshoot.providers.studio.finishing import depth_of_field, grain_to_uint8
from photoshoot.providers.studio.scenes.base import SceneContext, SceneResult, mix, rgb
from photoshoot.providers.studio.scenes.catalog import FLOOR_ROOM, SCENES, add_user_props

GRAIN = 0.008
FRAME_MARGIN = 0.04      # the product keeps this share of the width/height from every edge
CROP_PAD = 4             # px of empty canvas kept around the product's crop


@dataclass(frozen=True)
class PlacedProduct:
    """The scaled product on a width×height canvas, kept as a crop at ``origin``.

    ``rgb``, ``alpha`` and ``protect`` give the full-canvas layers (0 outside the crop);
    they are built on first use, for callers that need the whole frame.
    """
    crop_rgb: np.ndarray     # float32 h×w×3
    crop_alpha: np.ndarray   # float32 h×w
    crop_protect: np.ndarray  # float32 h×w, 1 on label/text regions
    origin: tuple[int, int]  # (x, y) of the crop on the canvas
    canvas: tuple[int, int]  # (width, height)
    box: tuple[int, int, int, int]   # tight product box on the canvas

    def slices(self) -> tuple[slice, slice]:
        h, w = self.crop_alpha.shape
        x, y = self.origin
        return slice(y, y + h), slice(x, x + w)

    def _full(self, crop: np.ndarray) -> np.ndarray:
        W, H = self.canvas
        full = np.zeros((H, W) + crop.shape[2:], np.float32)
        full[self.slices()] = crop
        return full

    @cached_property
    def rgb(self) -> np.ndarray:
        return self._full(self.crop_rgb)

    @cached_property
    def alpha(self) -> np.ndarray:
        return self._full(self.crop_alpha)

    @cached_property
    def protect(self) -> np.ndarray:
        return self._full(self.crop_protect)


def tight_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    mask = (alpha > 127 if alpha.dtype == np.uint8 else alpha > 0.5).astype(np.uint8)
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return 0, 0, alpha.shape[1], alpha.shape[0]
    return int(x), int(y), int(w), int(h)


def layout_for(cutout: np.ndarray, analysis: Analysis, shot: ShotSpec) -> Placement:
    return place_product(analysis.shape, (cutout.shape[1], cutout.shape[0]), shot.width,
                         shot.height, shot.composition, shot.product_scale, shot.camera,
                         tight_box(cutout[..., 3]))


def _scaled(p: Placement, s: float) -> Placement:
    """The placement scaled by ``s`` about the product's foot (centre_x, base_y)."""
    return replace(p, w=max(1, round(p.w * s)), h=max(1, round(p.h * s)),
                   x=round(p.centre_x - (p.centre_x - p.x) * s),
                   y=round(p.base_y - (p.base_y - p.y) * s))


def _shifted(p: Placement, dx: int, dy: int, height: int) -> Placement:
    return replace(p, x=p.x + dx, y=p.y + dy, centre_x=p.centre_x + dx, base_y=p.base_y + dy,
                   horizon_y=max(round(0.12 * height), p.horizon_y + dy))


def fit_in_frame(p: Placement, cutout_size: tuple[int, int], tight: tuple[int, int, int, int],
                 width: int, height: int, room_below=None) -> Placement:
    """Move (and if needed shrink) the product so it keeps ``FRAME_MARGIN`` from every edge.

    ``room_below(width, height, centre_x, box_width)`` is how many pixels the scene needs
    under the product's foot (a podium's body), which must also fit inside the frame.
    """
    cw = cutout_size[0]
    tx, ty, tw, th = tight
    mx, my = FRAME_MARGIN * width, FRAME_MARGIN * height
    for _ in range(4):
        k = p.w / cw
        bx0, by0 = p.x + tx * k, p.y + ty * k
        bx1, by1 = bx0 + tw * k, by0 + th * k
        slack_below = height - my - by1
        if room_below is not None:
            room = room_below(width, height, p.centre_x, tw * k)
            slack_below = min(slack_below, height - my - room - p.base_y)
        dy = slack_below if slack_below < 0 else min(max(0.0, my - by0), slack_below)
        dx = max(0.0, mx - bx0) or min(0.0, width - mx - bx1)
        if abs(dx) >= 0.5 or abs(dy) >= 0.5:
            p = _shifted(p, int(np.sign(dx) * np.ceil(abs(dx))),
                         int(np.sign(dy) * np.ceil(abs(dy))), height)
            continue
        s = 1.0
        if by0 < my - 0.5:
            s = min(s, (p.base_y - my) / max(1.0, p.base_y - by0))
        if bx1 - bx0 > width - 2 * mx:
            s = min(s, (width - 2 * mx) / (bx1 - bx0))
        if s >= 1.0:
            return p
        p = _scaled(p, s * 0.99)
    return p


def place_on_canvas(cutout: np.ndarray, placement: Placement, width: int, height: int,
                    text_regions=()) -> PlacedProduct:
    """Scale the RGBA cut-out to the placement and keep it as a crop of the canvas."""
    interp = cv2.INTER_AREA if placement.w < cutout.shape[1] else cv2.INTER_CUBIC
    scaled = cv2.resize(cutout, (placement.w, placement.h), interpolation=interp)
    x0, y0 = placement.x, placement.y
    # The crop: the scaled cut-out plus a thin empty border, clipped to the frame.
    cx0, cy0 = max(0, x0 - CROP_PAD), max(0, y0 - CROP_PAD)
    cx1, cy1 = min(width, x0 + placement.w + CROP_PAD), min(height, y0 + placement.h + CROP_PAD)
    cx1, cy1 = max(cx1, cx0 + 1), max(cy1, cy0 + 1)
    ch, cw = cy1 - cy0, cx1 - cx0
    rgb_c = np.zeros((ch, cw, 3), np.float32)
    a_c = np.zeros((ch, cw), np.float32)
    protect = np.zeros((ch, cw), np.float32)
    dx0, dy0 = max(x0, cx0), max(y0, cy0)
    dx1, dy1 = min(x0 + placement.w, cx1), min(y0 + placement.h, cy1)
    if dx1 > dx0 and dy1 > dy0:
        part = scaled[dy0 - y0:dy1 - y0, dx0 - x0:dx1 - x0].astype(np.float32)
        part /= np.float32(255.0)
        rgb_c[dy0 - cy0:dy1 - cy0, dx0 - cx0:dx1 - cx0] = part[..., :3]
        a_c[dy0 - cy0:dy1 - cy0, dx0 - cx0:dx1 - cx0] = np.clip(part[..., 3], 0, 1)
    for rx, ry, rw, rh in text_regions:
        px0 = int(x0 + rx * placement.w) - cx0
        py0 = int(y0 + ry * placement.h) - cy0
        px1 = int(np.ceil(x0 + (rx + rw) * placement.w)) - cx0
        py1 = int(np.ceil(y0 + (ry + rh) * placement.h)) - cy0
        protect[max(0, py0):max(0, py1), max(0, px0):max(0, px1)] = 1.0
    protect *= (a_c > 0.999)
    bx, by, bw, bh = tight_box(a_c)
    return PlacedProduct(rgb_c, a_c, protect, (cx0, cy0), (width, height),
                         (bx + cx0, by + cy0, bw, bh))


def plate_scene(plate: np.ndarray, ctx: SceneContext) -> SceneResult:
    """A background plate from a text-only provider, used as the scene as it is."""
    bg = plate.astype(np.float32) / 255.0
    p = ctx.placement
    ground = bg[min(ctx.height - 1, p.base_y + 2):, :].reshape(-1, 3)
    tone = tuple(float(v) for v in (ground.mean(axis=0) if len(ground) else bg.mean(axis=(0, 1))))
    return SceneResult(bg, np.zeros(bg.shape[0], np.float32), dof_sigma=0.0, gloss=0.0,
                       shadow_strength=0.4, shadow_softness=0.7, ambient=mix(tone, (1, 1, 1), 0.6),
                       shadow_tint=mix(tone, (0, 0, 0), 0.7), extra={"props_done": True})


def render_scene(cutout: np.ndarray, analysis: Analysis, shot: ShotSpec,
                 plate: np.ndarray | None = None) -> tuple[np.ndarray, PlacedProduct, Placement]:
    """Render one shot; returns uint8 RGB at exactly shot.width × shot.height.

    ``plate`` (uint8 RGB at the shot size) replaces the procedural scene: the product is
    still placed, shadowed and relit here.
    """
    W, H = shot.width, shot.height
    scene_id = shot.style.scene if shot.style.scene in SCENES else "studio_sweep"
    placement = layout_for(cutout, analysis, shot)
    placement = fit_in_frame(placement, (cutout.shape[1], cutout.shape[0]),
                             tight_box(cutout[..., 3]), W, H,
                             None if plate is not None else FLOOR_ROOM.get(scene_id))
    product = place_on_canvas(cutout, placement, W, H, analysis.text_regions)
    rng = np.random.default_rng(shot.seed)
    ctx = SceneContext(
        width=W, height=H, placement=placement, product_box=product.box,
        light_azimuth=shot.light_azimuth, light_elevation=shot.light_elevation,
        palette=[rgb(c) for c in analysis.palette] or [(0.8, 0.8, 0.8)],
        tint=rgb(shot.style.tint) if shot.style.tint else None, props=shot.style.props,
        props_variant=shot.props_variant, camera=shot.camera, rng=rng)
    scene = plate_scene(plate, ctx) if plate is not None else SCENES[scene_id](ctx)
    if ctx.props and not scene.extra.get("props_done"):
        add_user_props(ctx, scene.backdrop)
    bg = np.ascontiguousarray(scene.backdrop, dtype=np.float32)
    ph = float(product.box[3])
    alpha, origin, canvas = product.crop_alpha, product.origin, (W, H)
    if scene.flat_lay:
        sh = lighting.drop_shadow(alpha, origin, canvas, shot.light_azimuth, ph,
                                  scene.shadow_softness)
        lighting.apply_shadow(bg, sh, scene.shadow_strength, scene.shadow_tint)
    else:
        cast = lighting.cast_shadow(alpha, origin, canvas, placement.base_y, shot.light_azimuth,
                                    shot.light_elevation, scene.shadow_softness, ph)
        lighting.apply_shadow(bg, cast, scene.shadow_strength, scene.shadow_tint)
        if scene.gloss > 0:
            mirrored = lighting.reflection(product.crop_rgb, alpha, origin, canvas,
                                           placement.base_y, ph, scene.gloss, scene.ripple, rng)
            if mirrored is not None:
                r_rgb, r_a = mirrored
                region = bg[r_a.slices()]
                region += (r_rgb.data - region) * r_a.data[..., None]
        contact = lighting.contact_shadow(alpha, origin, canvas, placement.base_y,
                                          product.box[2], scene.contact)
        lighting.apply_shadow(bg, contact, 0.55, scene.shadow_tint)
    bg = depth_of_field(bg, scene.depth, scene.dof_sigma)
    lit = lighting.relight(product.crop_rgb, origin, product.box, shot.light_azimuth,
                           scene.key_strength, scene.ambient, product.crop_protect)
    region = bg[product.slices()]
    region += (lit - region) * alpha[..., None]
    out = grain_to_uint8(bg, rng, GRAIN, keep=product.crop_protect, keep_at=origin)
    return out, product, placement
