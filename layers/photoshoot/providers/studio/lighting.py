"""Light the product into the scene: cast and contact shadows, reflection, subtle relight.

All take the product's alpha as its crop on the canvas (float32 h×w at ``origin`` (x, y))
and the scene's light direction, so shadows, reflections and the relight agree with each
other. Shadows and reflections come back as a ``Layer``: a map covering only the part of
the canvas it touches, which keeps the work proportional to the product, not the frame.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Layer:
    """A float32 map (h×w or h×w×3) placed at (x, y) on the canvas."""
    data: np.ndarray
    x: int
    y: int

    def slices(self) -> tuple[slice, slice]:
        h, w = self.data.shape[:2]
        return slice(self.y, self.y + h), slice(self.x, self.x + w)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; big sigmas run at a reduced size (same look, a fraction of the time)."""
    if sigma < 0.5:
        return img
    if sigma > 6:
        f = int(min(8, sigma // 3))
        h, w = img.shape[:2]
        small = cv2.resize(img, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), sigma / f)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(img, (0, 0), sigma)


def _window(x0: float, y0: float, x1: float, y1: float, width: int,
            height: int) -> tuple[int, int, int, int] | None:
    """A canvas rectangle clipped to the frame, or None when nothing of it is visible."""
    x0, y0 = max(0, int(math.floor(x0))), max(0, int(math.floor(y0)))
    x1, y1 = min(width, int(math.ceil(x1))), min(height, int(math.ceil(y1)))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def cast_shadow(alpha: np.ndarray, origin: tuple[int, int], canvas: tuple[int, int],
                base_y: int, azimuth: float, elevation: float, softness: float,
                height_px: float) -> Layer | None:
    """The product's silhouette laid on the table away from the light, softening with distance."""
    W, H = canvas
    ox, oy = origin
    ah, aw = alpha.shape
    a, e = math.radians(azimuth), math.radians(max(15.0, min(80.0, elevation)))
    length = 1.0 / math.tan(e)
    sx = -math.sin(a) * length * 0.9
    sy = math.cos(a) * length * 0.32
    m = np.float32([[1, -sx, sx * base_y], [0, sy, base_y * (1 - sy)]])
    if abs(sy) < 0.02:
        m[1] = [0, 0.02, base_y * 0.98]
    near_sigma = 1.5 + 6 * softness * height_px / 600
    far_sigma = 4 + 40 * softness * height_px / 600 + 6
    corners = np.float32([[ox, oy, 1], [ox + aw, oy, 1], [ox, oy + ah, 1], [ox + aw, oy + ah, 1]])
    dst = corners @ m.T
    pad = 3 * far_sigma + 4
    win = _window(dst[:, 0].min() - pad, dst[:, 1].min() - pad, dst[:, 0].max() + pad,
                  dst[:, 1].max() + pad, W, H)
    if win is None:
        return None
    x0, y0, x1, y1 = win
    local = m.copy()
    local[:, 2] = m[:, :2] @ np.float32([ox, oy]) + m[:, 2] - np.float32([x0, y0])
    sh = cv2.warpAffine(alpha, local, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR)
    near = blur(sh, near_sigma)
    far = blur(sh, far_sigma)
    y = np.arange(y0, y1, dtype=np.float32)
    reach = max(8.0, abs(sy) * height_px + abs(sx) * height_px * 0.3)
    t = np.clip(np.abs(base_y - y) / reach, 0, 1)[:, None]
    shadow = near * (1 - t) + far * t
    shadow *= 1 - 0.55 * t
    return Layer(np.clip(shadow, 0, 1, out=shadow), x0, y0)


def contact_shadow(alpha: np.ndarray, origin: tuple[int, int], canvas: tuple[int, int],
                   base_y: int, width_px: float, strength: float = 1.0) -> Layer | None:
    """Dark, tight occlusion where the product touches the surface."""
    W, H = canvas
    ox, oy = origin
    band = max(2, int(0.02 * width_px) + 2)
    rows = alpha[max(0, base_y - band - oy):max(0, base_y - oy)]
    if rows.size == 0:
        return None
    cols = np.nonzero(rows.max(axis=0) > 0.5)[0]
    if len(cols) == 0:
        return None
    c0, c1 = ox + cols.min(), ox + cols.max()
    cx, rx = (c0 + c1) / 2, (c1 - c0) / 2 * 1.04
    ry = max(2.0, rx * 0.09)
    wide_sigma = max(2.0, ry * 2.5)
    pad = 3 * wide_sigma + 4
    win = _window(cx - rx - pad, base_y - ry - pad, cx + rx + pad, base_y + ry + pad, W, H)
    if win is None:
        return None
    x0, y0, x1, y1 = win
    out = np.zeros((y1 - y0, x1 - x0), np.float32)
    cv2.ellipse(out, (int(cx) - x0, int(base_y) - y0), (int(rx), int(ry)), 0, 0, 360, 1.0, -1,
                cv2.LINE_AA)
    tight = cv2.GaussianBlur(out, (0, 0), max(1.0, ry * 0.5))
    wide = blur(out, wide_sigma)
    return Layer(np.clip((0.8 * tight + 0.5 * wide) * strength, 0, 1), x0, y0)


def drop_shadow(alpha: np.ndarray, origin: tuple[int, int], canvas: tuple[int, int],
                azimuth: float, size_px: float, softness: float) -> Layer | None:
    """Flat lay: the product lies on paper, its shadow is an offset blurred copy."""
    W, H = canvas
    ox, oy = origin
    ah, aw = alpha.shape
    a = math.radians(azimuth)
    dx, dy = -math.sin(a) * size_px * 0.035, size_px * 0.03
    sigma = 2 + softness * size_px * 0.03
    pad = 3 * sigma + 4
    win = _window(ox + dx - pad, oy + dy - pad, ox + aw + dx + pad, oy + ah + dy + pad, W, H)
    if win is None:
        return None
    x0, y0, x1, y1 = win
    m = np.float32([[1, 0, ox + dx - x0], [0, 1, oy + dy - y0]])
    sh = cv2.warpAffine(alpha, m, (x1 - x0, y1 - y0))
    return Layer(blur(sh, sigma), x0, y0)


def apply_shadow(backdrop: np.ndarray, shadow: Layer | None, strength: float, tint) -> None:
    """Darken the backdrop in place towards ``tint`` under the shadow."""
    if shadow is None:
        return
    region = backdrop[shadow.slices()]
    keep = np.float32(strength) * (1 - np.array(tint, np.float32))
    region *= 1 - shadow.data[..., None] * keep


def reflection(product_rgb: np.ndarray, alpha: np.ndarray, origin: tuple[int, int],
               canvas: tuple[int, int], base_y: int, height_px: float, strength: float,
               ripple: float, rng: np.random.Generator) -> tuple[Layer, Layer] | None:
    """Mirror the placed product about its base line, fading with distance and blurred.

    Returns (rgb, alpha) layers over the same window below the base line.
    """
    W, H = canvas
    ox, oy = origin
    ah, aw = alpha.shape
    phase = rng.uniform(0, 6.28) if ripple > 0 else 0.0
    fade_len = max(8.0, 0.45 * height_px)
    sigma = 1.2 + ripple * 1.5
    pad = int(3 * sigma + 4)
    shift_max = ripple * 0.006 * W
    win = _window(ox - shift_max - pad, base_y - pad, ox + aw + shift_max + pad,
                  base_y + fade_len + pad, W, H)
    if win is None:
        return None
    x0, y0, x1, y1 = win
    ys = np.arange(y0, y1)
    src = 2 * base_y - ys - oy                       # source row inside the crop
    valid = (src >= 0) & (src < ah) & (ys >= base_y)
    src = np.clip(src, 0, ah - 1)
    rgb = np.zeros((y1 - y0, x1 - x0, 3), np.float32)
    a = np.zeros((y1 - y0, x1 - x0), np.float32)
    cx0, cx1 = max(ox, x0), min(ox + aw, x1)
    rgb[:, cx0 - x0:cx1 - x0] = product_rgb[src, cx0 - ox:cx1 - ox] * valid[:, None, None]
    a[:, cx0 - x0:cx1 - x0] = alpha[src, cx0 - ox:cx1 - ox] * valid[:, None]
    if ripple > 0:
        xs = np.arange(x0, x1, dtype=np.float32)
        yy = ys.astype(np.float32)
        shift = (ripple * 0.006 * W * np.sin(yy / max(3.0, 0.012 * H) + phase)
                 * np.clip((yy - base_y) / (0.1 * H), 0, 1))
        map_x = (xs[None, :] - x0 + shift[:, None]).astype(np.float32)
        map_y = np.repeat((yy - y0)[:, None], x1 - x0, axis=1).astype(np.float32)
        rgb = cv2.remap(rgb, map_x, map_y, cv2.INTER_LINEAR)
        a = cv2.remap(a, map_x, map_y, cv2.INTER_LINEAR)
    t = np.clip((ys - base_y) / fade_len, 0, 1)
    fade = ((1 - t) ** 2 * strength).astype(np.float32)[:, None]
    a = blur(a, sigma) * fade
    rgb = blur(rgb, sigma)
    return Layer(rgb, x0, y0), Layer(a, x0, y0)


def relight(product_rgb: np.ndarray, origin: tuple[int, int], box: tuple[int, int, int, int],
            azimuth: float, strength: float, ambient, protect: np.ndarray | None) -> np.ndarray:
    """Subtle light gradient across the product towards the key light, and colour matching.

    Works on the product's crop at ``origin``; ``box`` is the tight product box on the canvas.
    ``protect`` (1 = keep) marks label/text regions: their pixels stay exactly as given.
    """
    h, w = product_rgb.shape[:2]
    ox, oy = origin
    x, y, bw, bh = box
    xs = (np.arange(ox, ox + w, dtype=np.float32) - (x + bw / 2)) / max(1.0, bw / 2)
    ys = (np.arange(oy, oy + h, dtype=np.float32) - (y + bh / 2)) / max(1.0, bh / 2)
    lx = math.sin(math.radians(azimuth))
    gain = (1 + np.float32(strength * lx) * np.clip(xs, -1, 1)[None, :]
            - np.float32(0.35 * strength) * np.clip(ys, -1, 1)[:, None])
    amb = np.array(ambient, np.float32)
    amb = amb / max(1e-3, float(amb.mean()))
    cast = 1 + np.float32(0.35) * (amb - 1)      # at most a few percent of the scene's colour
    out = product_rgb * gain[..., None] * cast
    if protect is not None:
        p = protect[..., None]
        out = out * (1 - p) + product_rgb * p
    return np.clip(out, 0, 1, out=out)
