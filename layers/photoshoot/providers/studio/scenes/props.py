"""Props drawn into a scene, shaded by the same light as the product."""
from __future__ import annotations

import math

import cv2
import numpy as np

from photoshoot.providers.studio.lighting import blur


def _blend(canvas: np.ndarray, x0: int, y0: int, colour: np.ndarray, alpha: np.ndarray) -> None:
    H, W = canvas.shape[:2]
    h, w = alpha.shape
    ax0, ay0 = max(0, -x0), max(0, -y0)
    bx0, by0 = max(0, x0), max(0, y0)
    bx1, by1 = min(W, x0 + w), min(H, y0 + h)
    if bx1 <= bx0 or by1 <= by0:
        return
    a = alpha[ay0:ay0 + by1 - by0, ax0:ax0 + bx1 - bx0, None]
    c = colour[ay0:ay0 + by1 - by0, ax0:ax0 + bx1 - bx0] if colour.ndim == 3 else colour
    region = canvas[by0:by1, bx0:bx1]
    region *= 1 - a
    region += c * a


def soft_shadow(canvas: np.ndarray, cx: float, cy: float, rx: float, ry: float,
                strength: float = 0.45, softness: float = 0.35, tint=(0.2, 0.18, 0.2)) -> None:
    """A blurred elliptical shadow (contact shadow of a prop)."""
    pad = int(rx * (1 + softness * 2)) + 4
    h, w = int(2 * (ry * (1 + softness * 3)) + 2 * pad), 2 * pad
    m = np.zeros((h, w), np.float32)
    cv2.ellipse(m, (w // 2, h // 2), (max(1, int(rx)), max(1, int(ry))), 0, 0, 360, 1.0, -1,
                cv2.LINE_AA)
    m = blur(m, max(0.8, softness * rx * 0.5))
    x0, y0 = int(cx - w / 2), int(cy - h / 2)
    shade = np.array(tint, np.float32)
    H, W = canvas.shape[:2]
    bx0, by0, bx1, by1 = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
    if bx1 <= bx0 or by1 <= by0:
        return
    a = m[by0 - y0:by1 - y0, bx0 - x0:bx1 - x0, None] * strength
    region = canvas[by0:by1, bx0:bx1]
    region *= (1 - a) + a * shade / max(1e-3, float(shade.max())) * 0.5


def sphere(canvas: np.ndarray, cx: float, cy: float, r: float, colour, light_x: float,
           gloss: float = 0.3) -> None:
    r = max(2.0, r)
    n = int(2 * r) + 3
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    dx, dy = (xx - n / 2) / r, (yy - n / 2) / r
    d2 = dx * dx + dy * dy
    alpha = np.clip((1 - np.sqrt(d2)) * r, 0, 1)
    nz = np.sqrt(np.clip(1 - d2, 0, 1))
    lx, ly, lz = light_x * 0.7, -0.5, 0.6
    norm = math.sqrt(lx * lx + ly * ly + lz * lz)
    diffuse = np.clip((dx * lx + dy * ly + nz * lz) / norm, 0, 1)
    shade = 0.35 + 0.75 * diffuse
    spec = gloss * np.clip(diffuse, 0, 1) ** 30
    col = np.array(colour, np.float32) * shade[..., None] + spec[..., None]
    _blend(canvas, int(cx - n / 2), int(cy - n / 2), np.clip(col, 0, 1), alpha)


def cylinder(canvas: np.ndarray, cx: float, base_y: float, r: float, height: float, colour,
             light_x: float, top_colour=None, ellipse_ratio: float = 0.22) -> None:
    """An upright cylinder (cup, podium, towel roll) standing on base_y."""
    ry = max(1.0, r * ellipse_ratio)
    w, h = int(2 * r) + 4, int(height + 2 * ry) + 4
    body = np.zeros((h, w), np.float32)
    top_y = h - 2 - ry - height
    cv2.rectangle(body, (2, int(top_y)), (w - 3, int(h - 2 - ry)), 1.0, -1)
    cv2.ellipse(body, (w // 2, int(h - 2 - ry)), (int(r), int(ry)), 0, 0, 360, 1.0, -1,
                cv2.LINE_AA)
    top = np.zeros((h, w), np.float32)
    cv2.ellipse(top, (w // 2, int(top_y)), (int(r), int(ry)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
    xx = (np.arange(w, dtype=np.float32) - w / 2) / r
    nz = np.sqrt(np.clip(1 - xx * xx, 0, 1))
    diffuse = np.clip(xx * light_x * 0.8 + nz * 0.6, 0, 1)
    shade = (0.55 + 0.5 * diffuse)[None, :, None]
    col = np.array(colour, np.float32) * shade * np.ones((h, 1, 1), np.float32)
    tc = np.array(top_colour if top_colour is not None else colour, np.float32) * 1.06
    col = col * (1 - top[..., None]) + tc * top[..., None]
    alpha = np.maximum(body, top)
    _blend(canvas, int(cx - w / 2), int(base_y + ry + 2 - h), np.clip(col, 0, 1), alpha)


def block(canvas: np.ndarray, x: float, base_y: float, w: float, h: float, depth: float,
          colour, light_x: float) -> None:
    """A box in 3/4 view (concrete block, gift box)."""
    c = np.array(colour, np.float32)
    side = 1 if light_x <= 0 else -1
    front = np.array([[x, base_y - h], [x + w, base_y - h], [x + w, base_y], [x, base_y]])
    dx, dy = depth * 0.6 * side, -depth * 0.45
    edge_x = x + w if side > 0 else x
    side_poly = np.array([[edge_x, base_y - h], [edge_x + dx, base_y - h + dy],
                          [edge_x + dx, base_y + dy], [edge_x, base_y]])
    top_poly = np.array([[x, base_y - h], [x + w, base_y - h], [x + w + dx, base_y - h + dy],
                         [x + dx, base_y - h + dy]])
    for poly, k in ((side_poly, 0.7), (top_poly, 1.12), (front, 0.95)):
        cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)],
                     tuple(float(v) for v in np.clip(c * k, 0, 1)), cv2.LINE_AA)


def _leaf_shape(length: float, angle: float, width_ratio: float) -> tuple[np.ndarray, np.ndarray]:
    """(alpha, rotation) of a leaf outline centred in an n×n square."""
    n = int(length * 1.1) + 6
    m = np.zeros((n, n), np.float32)
    t = np.linspace(0, 1, 40)
    half = np.sin(np.pi * t) ** 0.8 * length * width_ratio / 2
    cx = n / 2 - length / 2
    upper = np.stack([cx + t * length, n / 2 - half], 1)
    lower = np.stack([cx + t[::-1] * length, n / 2 + half[::-1]], 1)
    cv2.fillPoly(m, [np.concatenate([upper, lower]).astype(np.int32)], 1.0, cv2.LINE_AA)
    rot = cv2.getRotationMatrix2D((n / 2, n / 2), angle, 1.0)
    return m, rot


def leaf(canvas: np.ndarray, x: float, y: float, length: float, angle: float, colour,
         width_ratio: float = 0.38) -> None:
    """A simple leaf: a pointed ellipse with a lighter midrib."""
    m, rot = _leaf_shape(length, angle, width_ratio)
    n = m.shape[0]
    col = np.ones((n, n, 3), np.float32) * np.array(colour, np.float32)
    yy = np.abs(np.arange(n, dtype=np.float32) - n / 2)[:, None]
    col *= (0.85 + 0.3 * np.clip(1 - yy / (length * width_ratio / 2 + 1), 0, 1))[..., None]
    rib = (yy < max(1.0, length * 0.012)).astype(np.float32)[..., None] * np.ones((1, n, 1))
    col = col * (1 - 0.3 * rib) + 0.3 * rib * np.array([0.85, 0.95, 0.7], np.float32)
    m = cv2.warpAffine(m, rot, (n, n))
    col = cv2.warpAffine(col, rot, (n, n))
    _blend(canvas, int(x - n / 2), int(y - n / 2), np.clip(col, 0, 1), m)


def leaf_silhouette(mask: np.ndarray, x: float, y: float, length: float, angle: float,
                    width_ratio: float = 0.38) -> None:
    """A leaf's outline added to a single-channel mask (for cast leaf shadows)."""
    m, rot = _leaf_shape(length, angle, width_ratio)
    n = m.shape[0]
    m = cv2.warpAffine(m, rot, (n, n))
    x0, y0 = int(x - n / 2), int(y - n / 2)
    H, W = mask.shape
    bx0, by0, bx1, by1 = max(0, x0), max(0, y0), min(W, x0 + n), min(H, y0 + n)
    if bx1 <= bx0 or by1 <= by0:
        return
    region = mask[by0:by1, bx0:bx1]
    np.maximum(region, m[by0 - y0:by1 - y0, bx0 - x0:bx1 - x0], out=region)


def flower(canvas: np.ndarray, x: float, y: float, r: float, colour, centre=(0.95, 0.8, 0.3)) -> None:
    for k in range(5):
        a = k * 2 * math.pi / 5
        sphere(canvas, x + math.cos(a) * r * 0.55, y + math.sin(a) * r * 0.55, r * 0.5,
               colour, -0.4, gloss=0.05)
    sphere(canvas, x, y, r * 0.28, centre, -0.4, gloss=0.1)


def bokeh(canvas: np.ndarray, rng: np.random.Generator, count: int, colour,
          region: tuple[int, int, int, int], rmin: float, rmax: float) -> None:
    """Out-of-focus light discs, added to the canvas (light, not paint)."""
    x0, y0, x1, y1 = region
    layer = np.zeros(canvas.shape[:2], np.float32)
    for _ in range(count):
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(rmin, rmax)
        cv2.circle(layer, (int(cx), int(cy)), int(r), float(rng.uniform(0.35, 1.0)), -1,
                   cv2.LINE_AA)
    layer = cv2.GaussianBlur(layer, (0, 0), max(1.0, rmin * 0.15))
    canvas += layer[..., None] * np.array(colour, np.float32) * 0.55
