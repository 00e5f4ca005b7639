"""The twelve studio scenes, one function each, parameterised by palette and light."""
from __future__ import annotations

import math

import cv2
import numpy as np

from photoshoot.providers.studio.lighting import blur
from photoshoot.providers.studio.scenes import props as P
from photoshoot.providers.studio.scenes import textures as T
from photoshoot.providers.studio.scenes.base import (SceneContext, SceneResult, mix,
                                                     table_depth, wall_light)


def _floor(ctx: SceneContext, tex: np.ndarray, spread: float = 1.6) -> np.ndarray:
    return T.floor_warp(tex, ctx.width, ctx.height, ctx.placement.horizon_y, spread)


def _join(ctx: SceneContext, wall: np.ndarray, floor: np.ndarray, edge_dark: float = 0.12,
          soft: float = 2.0) -> np.ndarray:
    """Wall above the horizon, table below, with a soft table edge (built in ``wall``)."""
    H = ctx.height
    hy = ctx.placement.horizon_y
    y = np.arange(H, dtype=np.float32)
    t = np.clip((y - hy) / soft + 0.5, 0, 1)
    mixed = np.nonzero((t > 0) & (t < 1))[0]
    below = np.nonzero(t >= 1)[0]
    out = wall
    if len(below):
        out[below[0]:] = floor[below[0]:]
    if len(mixed):
        r0, r1 = mixed[0], mixed[-1] + 1
        tm = t[r0:r1, None, None]
        out[r0:r1] += (floor[r0:r1] - out[r0:r1]) * tm
    # Light falls off towards the back of the table and the edge catches a thin shadow.
    depth = np.clip((y - hy) / max(1.0, H - hy), 0, 1)
    shade = (1 - edge_dark * np.exp(-((y - hy) / (0.012 * H + 1)) ** 2)
             - 0.10 * (1 - depth) * (y > hy)).astype(np.float32)
    out *= shade[:, None, None]
    return out


def _side_x(ctx: SceneContext, which: int) -> float:
    """x of a prop beside the product: which = -1 left, +1 right."""
    box = ctx.product_box
    gap = 0.08 * ctx.width
    return box[0] - gap if which < 0 else box[0] + box[2] + gap


def add_user_props(ctx: SceneContext, backdrop: np.ndarray) -> None:
    """Props the user asked for in their own words, beside the product on the surface."""
    H, W = ctx.height, ctx.width
    p = ctx.placement
    side = 1 if ctx.light_x <= 0 else -1
    by = p.horizon_y + 0.55 * (p.base_y - p.horizon_y)
    if "flowers" in ctx.props:
        colour = mix(ctx.accent(0.78, 0.6), (1, 1, 1), 0.15)
        for k in range(4):
            x = _side_x(ctx, side) + side * (k % 2) * 0.05 * W
            y = by - k * 0.035 * H
            P.leaf(backdrop, x - side * 0.02 * W, y + 0.02 * H, 0.06 * W, 40 * k * side,
                   (0.3, 0.48, 0.3))
            P.flower(backdrop, x, y, 0.03 * W, colour)
    if "leaves" in ctx.props:
        for k in range(5):
            P.leaf(backdrop, _side_x(ctx, -side), by - k * 0.04 * H, 0.08 * W, 25 + 30 * k,
                   (0.3, 0.5, 0.3))
    if "spheres" in ctx.props:
        r = 0.04 * W
        P.soft_shadow(backdrop, _side_x(ctx, side), by, r, r * 0.25, 0.4)
        P.sphere(backdrop, _side_x(ctx, side), by - r, r, ctx.accent(0.7, 0.4), ctx.light_x)


def studio_sweep(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    base = ctx.tint or mix(ctx.accent(0.9, 0.18), (0.93, 0.92, 0.9), 0.5)
    wall = wall_light(ctx, base, falloff=0.14, spot=0.16, top_dark=0.14)
    y = np.arange(H, dtype=np.float32)[:, None, None]
    floor_boost = 1 + 0.05 * np.clip((y - ctx.placement.horizon_y) / H * 3, 0, 1)
    backdrop = wall
    backdrop *= floor_boost
    if ctx.props_variant % 3 == 2:
        side = -1 if ctx.light_x > 0 else 1
        r = 0.07 * W
        P.soft_shadow(backdrop, _side_x(ctx, side) + side * r, ctx.placement.base_y - 0.04 * H,
                      r, r * 0.25, 0.35)
        P.sphere(backdrop, _side_x(ctx, side) + side * r, ctx.placement.base_y - 0.04 * H - r,
                 r, mix(base, (1, 1, 1), 0.25), ctx.light_x)
    depth = table_depth(ctx, 0.6) * 0.5
    return SceneResult(backdrop, depth, dof_sigma=0.006 * W, gloss=0.10,
                       shadow_strength=0.42, shadow_softness=0.65, ambient=base,
                       shadow_tint=mix(base, (0, 0, 0), 0.7))


def marble(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    wall_c = ctx.tint or (0.86, 0.84, 0.81)
    wall = wall_light(ctx, wall_c, falloff=0.2, spot=0.08)
    # Window light: a bright soft trapezoid with mullion shadows from the light's side.
    win = np.zeros((H, W), np.float32)
    wx = W * (0.15 if ctx.light_x < 0 else 0.55)
    pts = np.array([[wx, 0.05 * H], [wx + 0.35 * W, 0.0], [wx + 0.42 * W, ctx.placement.horizon_y],
                    [wx + 0.05 * W, ctx.placement.horizon_y]], np.int32)
    cv2.fillPoly(win, [pts], 1.0)
    cv2.line(win, (int(wx + 0.2 * W), 0), (int(wx + 0.24 * W), ctx.placement.horizon_y), 0.0,
             max(2, W // 60))
    win = blur(win, 0.03 * W)
    wall *= 1 + 0.14 * win[..., None]
    floor = _floor(ctx, T.upscale(T.marble(ctx.rng, W // 2, H // 2), W, H), 1.3)
    backdrop = _join(ctx, wall, floor, 0.1)
    v = ctx.props_variant % 3
    side = 1 if ctx.light_x <= 0 else -1
    by = ctx.placement.horizon_y + 0.35 * (ctx.placement.base_y - ctx.placement.horizon_y)
    if v == 0:
        r = 0.05 * W
        P.soft_shadow(backdrop, _side_x(ctx, side), by, r * 1.1, r * 0.25, 0.4)
        P.sphere(backdrop, _side_x(ctx, side), by - r * 0.95, r, (0.78, 0.74, 0.70), ctx.light_x)
    elif v == 1:
        x = _side_x(ctx, side) + side * 0.04 * W
        for k in range(6):
            P.leaf(backdrop, x + side * k * 0.01 * W, by - 0.05 * H - k * 0.045 * H,
                   0.07 * W, (60 + 25 * k) * -side, (0.42, 0.55, 0.45))
    else:
        P.soft_shadow(backdrop, _side_x(ctx, -side), by, 0.08 * W, 0.02 * H, 0.35)
        P.cylinder(backdrop, _side_x(ctx, -side), by, 0.08 * W, 0.015 * H,
                   (0.95, 0.93, 0.90), ctx.light_x, ellipse_ratio=0.3)
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.010 * W, gloss=0.22,
                       shadow_strength=0.45, shadow_softness=0.5, ambient=(1.0, 0.98, 0.95),
                       shadow_tint=(0.25, 0.24, 0.26))


def wood(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    wall_c = ctx.tint or mix((0.86, 0.80, 0.72), ctx.accent(0.82, 0.2), 0.25)
    wall = wall_light(ctx, wall_c, falloff=0.25, spot=0.14, top_dark=0.18)
    backdrop = _join(ctx, wall, _floor(ctx, T.upscale(T.wood(ctx.rng, W // 2, H // 2), W, H), 1.2),
                     0.14)
    side = 1 if ctx.light_x <= 0 else -1
    by = ctx.placement.horizon_y + 0.25 * (ctx.placement.base_y - ctx.placement.horizon_y)
    v = ctx.props_variant % 3
    if v in (0, 2):
        r = 0.06 * W
        x = _side_x(ctx, side) + side * 0.05 * W
        P.soft_shadow(backdrop, x, by, r, r * 0.25, 0.4)
        P.cylinder(backdrop, x, by, r, 0.11 * H, (0.93, 0.91, 0.87), ctx.light_x,
                   top_colour=(0.35, 0.22, 0.14))
    if v in (1, 2):
        x = _side_x(ctx, -side) - side * 0.02 * W
        for k in range(5):
            P.leaf(backdrop, x, by - 0.04 * H - k * 0.04 * H, 0.08 * W, 30 + 30 * k,
                   (0.35, 0.5, 0.3))
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.016 * W, gloss=0.04,
                       shadow_strength=0.5, shadow_softness=0.45, ambient=(1.0, 0.95, 0.88),
                       shadow_tint=(0.22, 0.14, 0.08), key_strength=0.07)


def concrete(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    c = ctx.tint or (0.34, 0.34, 0.35)
    wall = T.upscale(T.concrete(ctx.rng, W // 2, H // 2, tuple(v * 1.1 for v in c)), W, H)
    wall *= wall_light(ctx, (1, 1, 1), falloff=0.45, spot=0.35, top_dark=0.3)
    floor = _floor(ctx, T.upscale(T.concrete(ctx.rng, W // 2, H // 2, c), W, H), 1.4)
    backdrop = _join(ctx, wall, floor, 0.2)
    side = 1 if ctx.light_x <= 0 else -1
    by = ctx.placement.horizon_y + 0.3 * (ctx.placement.base_y - ctx.placement.horizon_y)
    if ctx.props_variant % 2 == 0:
        x = _side_x(ctx, side) + (0 if side > 0 else -0.16 * W)
        P.soft_shadow(backdrop, x + 0.08 * W, by, 0.1 * W, 0.015 * H, 0.5)
        P.block(backdrop, x, by, 0.16 * W, 0.16 * H, 0.08 * W, (0.42, 0.42, 0.43), ctx.light_x)
    else:
        r = 0.045 * W
        P.soft_shadow(backdrop, _side_x(ctx, -side), by, r, r * 0.25, 0.5)
        P.sphere(backdrop, _side_x(ctx, -side), by - r, r, (0.12, 0.12, 0.13), ctx.light_x, 0.6)
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.008 * W, gloss=0.18,
                       shadow_strength=0.62, shadow_softness=0.12, ambient=(0.96, 0.97, 1.0),
                       shadow_tint=(0.05, 0.05, 0.06), key_strength=0.09)


def linen(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    c = ctx.tint or mix((0.88, 0.85, 0.80), ctx.accent(0.85, 0.25), 0.35)
    fabric = T.linen(ctx.rng, W, H, c)
    xx = np.linspace(0, 1, W, dtype=np.float32)[None, :]
    yy = np.arange(H, dtype=np.float32)[:, None]
    folds = 1 + 0.07 * np.sin(xx * 9 + 0.8 * np.sin(yy / H * 4)) * (yy < ctx.placement.horizon_y)
    wall = wall_light(ctx, (1, 1, 1), 0.12, 0.1, 0.1)
    wall *= fabric
    wall *= folds[..., None]
    del fabric
    floor = _floor(ctx, T.linen(ctx.rng, W, H, c), 1.2)
    floor *= (1 + 0.05 * T.noise(ctx.rng, W, H, 2, 2))[..., None]
    backdrop = _join(ctx, wall, floor, 0.03, soft=0.05 * H)
    if ctx.props_variant % 2 == 1 or "flowers" in ctx.props:
        side = 1 if ctx.light_x <= 0 else -1
        by = ctx.placement.horizon_y + 0.3 * (ctx.placement.base_y - ctx.placement.horizon_y)
        for k in range(3):
            P.flower(backdrop, _side_x(ctx, side) + side * k * 0.05 * W, by - k * 0.03 * H,
                     0.025 * W, mix(ctx.accent(0.8, 0.5), (1, 1, 1), 0.2))
    return SceneResult(backdrop, table_depth(ctx, 0.9), dof_sigma=0.010 * W, gloss=0.0,
                       shadow_strength=0.38, shadow_softness=0.85, ambient=c,
                       shadow_tint=mix(c, (0, 0, 0), 0.6), extra={"props_done": "flowers" in ctx.props})


PODIUM_HEIGHT = 0.09          # share of the frame height
PODIUM_ELLIPSE = 0.2          # ellipse height / radius: the camera is a little above


def podium_radius(width: int, centre_x: float, box_width: float) -> float:
    """Wider than the product, yet with its whole top inside the frame."""
    r = min(max(box_width * 0.85, 0.16 * width), 0.45 * width,
            centre_x - 0.02 * width, width - centre_x - 0.02 * width)
    return max(r, 0.52 * box_width)


def podium_room(width: int, height: int, centre_x: float, box_width: float) -> float:
    """Pixels the podium needs under the product's foot: its body and its front rim."""
    r = podium_radius(width, centre_x, box_width)
    return PODIUM_HEIGHT * height + PODIUM_ELLIPSE * r + 4


def podium(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    bg = ctx.accent(0.82, 0.4)
    pod = ctx.accent(0.9, 0.3)
    backdrop = wall_light(ctx, bg, falloff=0.18, spot=0.12, top_dark=0.12)
    p = ctx.placement
    floor_y = min(H - 2, p.base_y + PODIUM_HEIGHT * H)
    backdrop[int(floor_y):] *= np.float32(0.93)
    r = podium_radius(W, p.centre_x, ctx.product_box[2])
    side = 1 if ctx.light_x <= 0 else -1
    if ctx.props_variant % 2 == 0:
        # An arch behind, in a deeper tone.
        arch = np.zeros((H, W), np.float32)
        ax, aw = p.centre_x + side * 0.12 * W, 0.42 * W
        top = min(0.25 * H, floor_y - 0.3 * H)
        cv2.rectangle(arch, (int(ax - aw / 2), int(top)), (int(ax + aw / 2), int(floor_y)), 1.0, -1)
        cv2.circle(arch, (int(ax), int(top)), int(aw / 2), 1.0, -1, cv2.LINE_AA)
        deeper = np.array(ctx.accent(0.72, 0.45), np.float32) / np.array(bg, np.float32)
        backdrop *= 1 + arch[..., None] * (0.9 * deeper - 1)
    else:
        P.soft_shadow(backdrop, p.centre_x - side * (r + 0.1 * W), floor_y, 0.1 * W, 0.02 * H, 0.3)
        P.cylinder(backdrop, p.centre_x - side * (r + 0.1 * W), floor_y, 0.1 * W, 0.07 * H,
                   ctx.accent(0.78, 0.4), ctx.light_x)
    P.soft_shadow(backdrop, p.centre_x + side * 0.03 * W, floor_y, r * 1.1, r * 0.2, 0.35)
    P.cylinder(backdrop, p.centre_x, floor_y, r, floor_y - p.base_y, pod, ctx.light_x,
               top_colour=mix(pod, (1, 1, 1), 0.15), ellipse_ratio=PODIUM_ELLIPSE)
    depth = np.full(H, 0.45, np.float32)
    depth[int(p.base_y - 0.2 * r):] = 0.0
    return SceneResult(backdrop, depth, dof_sigma=0.006 * W, gloss=0.04,
                       shadow_strength=0.4, shadow_softness=0.55, ambient=mix(bg, (1, 1, 1), 0.6),
                       shadow_tint=mix(bg, (0, 0, 0), 0.65))


def botanical(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    wall_c = ctx.tint or (0.92, 0.87, 0.78)
    wall = wall_light(ctx, wall_c, 0.2, 0.1, 0.1)
    floor = _floor(ctx, T.upscale(T.concrete(ctx.rng, W // 2, H // 2, (0.86, 0.80, 0.70)), W, H), 1.4)
    backdrop = _join(ctx, wall, floor, 0.08)
    # Leaf shadows cast by a plant outside the frame on the light's side.
    gobo = np.zeros((H, W), np.float32)
    src_x = 0.0 if ctx.light_x <= 0 else W
    for _ in range(26):
        x = src_x + (1 if src_x == 0 else -1) * ctx.rng.uniform(0.0, 0.55) * W
        P.leaf_silhouette(gobo, x, ctx.rng.uniform(0.0, 0.9) * H, ctx.rng.uniform(0.1, 0.2) * W,
                          ctx.rng.uniform(0, 180), 0.45)
    g = cv2.GaussianBlur(gobo, (0, 0), 0.006 * W)
    backdrop *= (1 - 0.26 * g)[..., None]
    backdrop *= np.array((1.04, 1.0, 0.93), np.float32)
    side = -1 if ctx.light_x <= 0 else 1
    for k in range(4):
        P.leaf(backdrop, (0.02 if side < 0 else 0.98) * W, (0.1 + 0.17 * k) * H, 0.22 * W,
               (-20 + 25 * k) * (1 if side < 0 else -1) + (180 if side > 0 else 0),
               (0.22 + 0.04 * k, 0.42, 0.22))
    if "flowers" in ctx.props:
        for k in range(3):
            P.flower(backdrop, _side_x(ctx, -side) - side * k * 0.04 * W,
                     ctx.placement.horizon_y + 0.05 * H + k * 0.02 * H, 0.025 * W,
                     ctx.accent(0.75, 0.6))
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.008 * W, gloss=0.0,
                       shadow_strength=0.55, shadow_softness=0.25, ambient=(1.0, 0.95, 0.85),
                       shadow_tint=(0.25, 0.18, 0.1), key_strength=0.09,
                       extra={"gobo": g})


def water(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    aqua = ctx.tint or (0.62, 0.84, 0.88)
    wall = wall_light(ctx, mix(aqua, (1, 1, 1), 0.35), 0.15, 0.2, 0.12)
    surf = np.ones((H // 2, W // 2, 3), np.float32) * np.array(aqua, np.float32)
    ca = T.caustics(ctx.rng, W // 2, H // 2, 1.3)
    surf *= (0.88 + 0.35 * ca[..., None])
    floor = _floor(ctx, T.upscale(surf, W, H), 1.5)
    backdrop = _join(ctx, wall, floor, 0.05, soft=0.01 * H)
    # Ripple rings around the product's base.
    p = ctx.placement
    rings = np.zeros((H, W), np.float32)
    bw = ctx.product_box[2]
    for k in range(1, 5):
        cv2.ellipse(rings, (p.centre_x, p.base_y), (int(bw * (0.55 + 0.25 * k)), int(bw * (0.08 + 0.04 * k))),
                    0, 0, 360, 1.0 / k, max(1, W // 400), cv2.LINE_AA)
    rings = cv2.GaussianBlur(rings, (0, 0), 1.5)
    backdrop += 0.25 * rings[..., None]
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.010 * W, gloss=0.38, ripple=1.0,
                       shadow_strength=0.25, shadow_softness=0.7, ambient=(0.92, 1.0, 1.0),
                       shadow_tint=(0.1, 0.25, 0.3))


def kitchen(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    hy = ctx.placement.horizon_y
    wall = wall_light(ctx, (0.93, 0.92, 0.89), 0.15, 0.1, 0.05)
    # Upper cabinets, a window and a splash-back of tiles, all far behind.
    cab = ctx.tint or mix((0.80, 0.84, 0.82), ctx.accent(0.75, 0.25), 0.3)
    for i in range(-1, 5):
        x0 = int((i * 0.3 + 0.05) * W)
        cv2.rectangle(wall, (x0, 0), (x0 + int(0.28 * W), int(hy * 0.45)), cab, -1)
    wx = int((0.62 if ctx.light_x > 0 else 0.05) * W)
    cv2.rectangle(wall, (wx, int(hy * 0.05)), (wx + int(0.3 * W), int(hy * 0.7)), (1.0, 0.99, 0.95), -1)
    band = (int(hy * 0.5), hy)
    if band[1] > band[0]:
        wall[band[0]:band[1]] = T.tiles(ctx.rng, W, H, max(8, W // 22), (0.95, 0.95, 0.93),
                                        (0.82, 0.82, 0.8), rows=band) * np.float32(0.95)
    # A plant pot and a jar on the far counter.
    P.cylinder(wall, 0.15 * W if ctx.light_x > 0 else 0.85 * W, hy, 0.05 * W, 0.08 * H,
               (0.75, 0.45, 0.3), ctx.light_x)
    for k in range(5):
        P.leaf(wall, (0.15 if ctx.light_x > 0 else 0.85) * W, hy - 0.1 * H - k * 0.02 * H, 0.09 * W,
               40 * k - 80, (0.25, 0.45, 0.25))
    top = _floor(ctx, T.upscale(T.marble(ctx.rng, W // 2, H // 2, (0.95, 0.95, 0.94),
                                         (0.78, 0.78, 0.8)), W, H), 1.3)
    backdrop = _join(ctx, wall, top, 0.12)
    return SceneResult(backdrop, table_depth(ctx, 1.0), dof_sigma=0.022 * W, gloss=0.12,
                       shadow_strength=0.45, shadow_softness=0.55, ambient=(1.0, 0.99, 0.96),
                       shadow_tint=(0.2, 0.2, 0.22))


def bathroom(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    tile_c = ctx.tint or mix((0.86, 0.92, 0.9), ctx.accent(0.85, 0.25), 0.3)
    wall = T.tiles(ctx.rng, W, H, max(12, W // 7), tile_c, mix(tile_c, (1, 1, 1), 0.5))
    wall *= wall_light(ctx, (1, 1, 1), 0.2, 0.15, 0.05)
    # Glossy tiles: a soft reflected window highlight.
    hl = np.zeros((H, W), np.float32)
    cv2.ellipse(hl, (int((0.25 if ctx.light_x <= 0 else 0.75) * W), int(0.3 * H)),
                (int(0.12 * W), int(0.25 * H)), 0, 0, 360, 1.0, -1)
    wall += 0.12 * blur(hl, 0.04 * W)[..., None]
    shelf = np.broadcast_to(np.array((0.96, 0.96, 0.95), np.float32), (H, W, 3))
    backdrop = _join(ctx, wall, shelf, 0.15)
    side = 1 if ctx.light_x <= 0 else -1
    by = ctx.placement.horizon_y + 0.35 * (ctx.placement.base_y - ctx.placement.horizon_y)
    v = ctx.props_variant % 2
    x = _side_x(ctx, side) + side * 0.06 * W
    if v == 0:
        P.soft_shadow(backdrop, x, by, 0.09 * W, 0.02 * H, 0.35)
        P.cylinder(backdrop, x, by, 0.08 * W, 0.1 * H, (0.97, 0.96, 0.93), ctx.light_x,
                   top_colour=(0.9, 0.89, 0.86))
    for k in range(3):
        r = 0.025 * W * (1 - 0.2 * k)
        px = _side_x(ctx, -side) - side * k * 0.045 * W
        P.soft_shadow(backdrop, px, by + 0.02 * H, r, r * 0.3, 0.35)
        P.sphere(backdrop, px, by + 0.02 * H - r * 0.7, r, (0.5, 0.5, 0.48), ctx.light_x, 0.4)
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.010 * W, gloss=0.25,
                       shadow_strength=0.35, shadow_softness=0.6, ambient=(0.97, 1.0, 1.0),
                       shadow_tint=(0.2, 0.24, 0.25))


def festive(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    hy = ctx.placement.horizon_y
    wall = wall_light(ctx, (0.16, 0.10, 0.08), 0.2, 0.5, 0.2)
    P.bokeh(wall, ctx.rng, 45, (1.0, 0.78, 0.4), (0, 0, W, hy), 0.015 * W, 0.05 * W)
    cloth = ctx.tint or (0.55, 0.1, 0.12)
    table = _floor(ctx, T.upscale(T.linen(ctx.rng, W // 2, H // 2, cloth), W, H), 1.2)
    backdrop = _join(ctx, wall, table, 0.2)
    side = 1 if ctx.light_x <= 0 else -1
    by = hy + 0.35 * (ctx.placement.base_y - hy)
    x = _side_x(ctx, side) + (0 if side > 0 else -0.14 * W)
    P.soft_shadow(backdrop, x + 0.07 * W, by, 0.09 * W, 0.015 * H, 0.5)
    P.block(backdrop, x, by, 0.14 * W, 0.12 * H, 0.07 * W, (0.92, 0.88, 0.8), ctx.light_x)
    cv2.rectangle(backdrop, (int(x + 0.06 * W), int(by - 0.12 * H)), (int(x + 0.08 * W), int(by)),
                  (0.75, 0.55, 0.2), -1)
    for k in range(3):
        r = 0.025 * W
        px = _side_x(ctx, -side) - side * k * 0.05 * W
        P.sphere(backdrop, px, by + 0.03 * H - r, r, [(0.8, 0.6, 0.2), (0.6, 0.08, 0.1),
                                                      (0.15, 0.35, 0.2)][k], ctx.light_x, 0.8)
    return SceneResult(backdrop, table_depth(ctx), dof_sigma=0.014 * W, gloss=0.1,
                       shadow_strength=0.55, shadow_softness=0.45, ambient=(1.0, 0.9, 0.75),
                       shadow_tint=(0.08, 0.03, 0.02), key_strength=0.1)


def pastel_flatlay(ctx: SceneContext) -> SceneResult:
    H, W = ctx.height, ctx.width
    base = ctx.tint or ctx.accent(0.86, 0.35)
    paper = T.upscale(T.paper(ctx.rng, W // 2, H // 2, base), W, H)
    paper *= wall_light(ctx, (1, 1, 1), 0.1, 0.06, 0.0)
    shapes = [ctx.accent(0.76, 0.45), mix(base, (1, 1, 1), 0.45), ctx.accent(0.7, 0.3)]
    rng = ctx.rng
    sdx, sdy = 0.012 * W * -ctx.light_x * 1.5, 0.012 * H
    shadow_sigma = 0.006 * W
    for k in range(5 + ctx.props_variant % 3):
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        if k % 3 == 0:
            r = int(rng.uniform(0.08, 0.18) * W)
            reach = r + 2
        elif k % 3 == 1:
            size = (rng.uniform(0.15, 0.35) * W, rng.uniform(0.1, 0.25) * H)
            rect_angle = rng.uniform(0, 90)
            reach = 0.5 * math.hypot(*size) + 2
        else:
            arc_angle = rng.uniform(0, 360)
            reach = 0.15 * W + max(3, W // 60)
        # Each shape and its shadow are drawn in their own window of the paper.
        pad = int(reach + abs(sdx) + abs(sdy) + 3 * shadow_sigma + 4)
        x0, y0 = int(cx) - pad, int(cy) - pad
        m = np.zeros((2 * pad, 2 * pad), np.float32)
        c = (int(cx) - x0, int(cy) - y0)
        if k % 3 == 0:
            cv2.circle(m, c, r, 1.0, -1, cv2.LINE_AA)
        elif k % 3 == 1:
            rect = ((cx - x0, cy - y0), size, rect_angle)
            cv2.fillPoly(m, [cv2.boxPoints(rect).astype(np.int32)], 1.0, cv2.LINE_AA)
        else:
            cv2.ellipse(m, c, (int(0.15 * W), int(0.15 * W)), arc_angle, 0, 180, 1.0,
                        max(3, W // 60), cv2.LINE_AA)
        sh = cv2.GaussianBlur(np.roll(m, (int(sdy), int(sdx)), (0, 1)), (0, 0), shadow_sigma)
        wx0, wy0 = max(0, x0), max(0, y0)
        wx1, wy1 = min(W, x0 + 2 * pad), min(H, y0 + 2 * pad)
        if wx1 <= wx0 or wy1 <= wy0:
            continue
        mw = m[wy0 - y0:wy1 - y0, wx0 - x0:wx1 - x0, None]
        shw = sh[wy0 - y0:wy1 - y0, wx0 - x0:wx1 - x0, None]
        region = paper[wy0:wy1, wx0:wx1]
        region *= 1 - 0.18 * shw * (1 - mw)
        region += (np.array(shapes[k % 3], np.float32) - region) * mw
    return SceneResult(paper, np.zeros(H, np.float32), dof_sigma=0.0, gloss=0.0,
                       shadow_strength=0.35, shadow_softness=0.5, ambient=mix(base, (1, 1, 1), 0.7),
                       shadow_tint=mix(base, (0, 0, 0), 0.7), flat_lay=True, contact=0.0)


# Scenes that build a stage under the product say how much room it needs below its foot.
FLOOR_ROOM = {"podium": podium_room}

SCENES = {
    "studio_sweep": studio_sweep, "marble": marble, "wood": wood, "concrete": concrete,
    "linen": linen, "podium": podium, "botanical": botanical, "water": water,
    "kitchen": kitchen, "bathroom": bathroom, "festive": festive,
    "pastel_flatlay": pastel_flatlay,
}
