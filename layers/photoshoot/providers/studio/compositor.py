"""Put the real product into a studio scene: place, shadow, reflect, relight, finish."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from photoshoot.providers.contract import Analysis, ShotSpec
from photoshoot.providers.layout import Placement, place_product
from photoshoot.providers.studio import lighting
from photoshoot.providers.studio.finishing import depth_of_field, grain
from photoshoot.providers.studio.scenes.base import SceneContext, SceneResult, mix, rgb
from photoshoot.providers.studio.scenes.catalog import SCENES, add_user_props

GRAIN = 0.008


@dataclass(frozen=True)
class PlacedProduct:
    rgb: np.ndarray          # float32 H×W×3 on the full canvas (0 outside the product)
    alpha: np.ndarray        # float32 H×W
    box: tuple[int, int, int, int]   # tight product box on the canvas
    protect: np.ndarray      # float32 H×W, 1 on label/text regions


def tight_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(alpha > 127 if alpha.dtype == np.uint8 else alpha > 0.5)
    if len(xs) == 0:
        return 0, 0, alpha.shape[1], alpha.shape[0]
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def layout_for(cutout: np.ndarray, analysis: Analysis, shot: ShotSpec) -> Placement:
    return place_product(analysis.shape, (cutout.shape[1], cutout.shape[0]), shot.width,
                         shot.height, shot.composition, shot.product_scale, shot.camera,
                         tight_box(cutout[..., 3]))


def place_on_canvas(cutout: np.ndarray, placement: Placement, width: int, height: int,
                    text_regions=()) -> PlacedProduct:
    """Scale the RGBA cut-out to the placement and paste it into full-canvas layers."""
    interp = cv2.INTER_AREA if placement.w < cutout.shape[1] else cv2.INTER_CUBIC
    scaled = cv2.resize(cutout, (placement.w, placement.h), interpolation=interp)
    rgb_c = np.zeros((height, width, 3), np.float32)
    a_c = np.zeros((height, width), np.float32)
    protect = np.zeros((height, width), np.float32)
    x0, y0 = placement.x, placement.y
    sx0, sy0 = max(0, -x0), max(0, -y0)
    dx0, dy0 = max(0, x0), max(0, y0)
    dx1, dy1 = min(width, x0 + placement.w), min(height, y0 + placement.h)
    if dx1 > dx0 and dy1 > dy0:
        part = scaled[sy0:sy0 + dy1 - dy0, sx0:sx0 + dx1 - dx0].astype(np.float32) / 255.0
        rgb_c[dy0:dy1, dx0:dx1] = part[..., :3]
        a_c[dy0:dy1, dx0:dx1] = np.clip(part[..., 3], 0, 1)
    for rx, ry, rw, rh in text_regions:
        px0 = int(x0 + rx * placement.w)
        py0 = int(y0 + ry * placement.h)
        px1 = int(np.ceil(x0 + (rx + rw) * placement.w))
        py1 = int(np.ceil(y0 + (ry + rh) * placement.h))
        protect[max(0, py0):max(0, py1), max(0, px0):max(0, px1)] = 1.0
    protect *= (a_c > 0.999)
    return PlacedProduct(rgb_c, a_c, tight_box(a_c), protect)


def plate_scene(plate: np.ndarray, ctx: SceneContext) -> SceneResult:
    """A background plate from a text-only provider, used as the scene as it is."""
    bg = plate.astype(np.float32) / 255.0
    p = ctx.placement
    ground = bg[min(ctx.height - 1, p.base_y + 2):, :].reshape(-1, 3)
    tone = tuple(float(v) for v in (ground.mean(axis=0) if len(ground) else bg.mean(axis=(0, 1))))
    return SceneResult(bg, np.zeros(bg.shape[:2], np.float32), dof_sigma=0.0, gloss=0.0,
                       shadow_strength=0.4, shadow_softness=0.7, ambient=mix(tone, (1, 1, 1), 0.6),
                       shadow_tint=mix(tone, (0, 0, 0), 0.7), extra={"props_done": True})


def render_scene(cutout: np.ndarray, analysis: Analysis, shot: ShotSpec,
                 plate: np.ndarray | None = None) -> tuple[np.ndarray, PlacedProduct, Placement]:
    """Render one shot; returns uint8 RGB at exactly shot.width × shot.height.

    ``plate`` (uint8 RGB at the shot size) replaces the procedural scene: the product is
    still placed, shadowed and relit here.
    """
    W, H = shot.width, shot.height
    placement = layout_for(cutout, analysis, shot)
    product = place_on_canvas(cutout, placement, W, H, analysis.text_regions)
    rng = np.random.default_rng(shot.seed)
    ctx = SceneContext(
        width=W, height=H, placement=placement, product_box=product.box,
        light_azimuth=shot.light_azimuth, light_elevation=shot.light_elevation,
        palette=[rgb(c) for c in analysis.palette] or [(0.8, 0.8, 0.8)],
        tint=rgb(shot.style.tint) if shot.style.tint else None, props=shot.style.props,
        props_variant=shot.props_variant, camera=shot.camera, rng=rng)
    if plate is not None:
        scene = plate_scene(plate, ctx)
    else:
        scene = SCENES.get(shot.style.scene, SCENES["studio_sweep"])(ctx)
    if ctx.props and not scene.extra.get("props_done"):
        add_user_props(ctx, scene.backdrop)
    bg = scene.backdrop
    ph = float(product.box[3])
    if scene.flat_lay:
        sh = lighting.drop_shadow(product.alpha, shot.light_azimuth, ph, scene.shadow_softness)
        bg = lighting.apply_shadow(bg, sh, scene.shadow_strength, scene.shadow_tint)
    else:
        cast = lighting.cast_shadow(product.alpha, placement.base_y, shot.light_azimuth,
                                    shot.light_elevation, scene.shadow_softness, ph)
        bg = lighting.apply_shadow(bg, cast, scene.shadow_strength, scene.shadow_tint)
        if scene.gloss > 0:
            r_rgb, r_a = lighting.reflection(product.rgb, product.alpha, placement.base_y, ph,
                                             scene.gloss, scene.ripple, rng)
            bg = bg * (1 - r_a[..., None]) + r_rgb * r_a[..., None]
        contact = lighting.contact_shadow(product.alpha, placement.base_y, product.box[2],
                                          scene.contact)
        bg = lighting.apply_shadow(bg, contact, 0.55, scene.shadow_tint)
    bg = depth_of_field(bg, scene.depth, scene.dof_sigma)
    lit = lighting.relight(product.rgb, product.alpha, product.box, shot.light_azimuth,
                           scene.key_strength, scene.ambient, product.protect)
    a = product.alpha[..., None]
    out = bg * (1 - a) + lit * a
    out = grain(out, rng, GRAIN, keep=product.protect)
    out = np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out, product, placement
