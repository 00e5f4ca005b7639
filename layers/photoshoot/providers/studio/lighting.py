"""Light the product into the scene: cast and contact shadows, reflection, subtle relight.

All take the product's alpha already placed on the full canvas (float32 H×W) and the
scene's light direction, so shadows, reflections and the relight agree with each other.
"""
from __future__ import annotations

import math

import cv2
import numpy as np


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    if sigma < 0.5:
        return img
    # Blur at reduced size for big sigmas: same look, a fraction of the time.
    if sigma > 6:
        f = int(min(8, sigma // 3))
        h, w = img.shape[:2]
        small = cv2.resize(img, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), sigma / f)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(img, (0, 0), sigma)


def cast_shadow(alpha: np.ndarray, base_y: int, azimuth: float, elevation: float,
                softness: float, height_px: float) -> np.ndarray:
    """The product's silhouette laid on the table away from the light, softening with distance."""
    H, W = alpha.shape
    a, e = math.radians(azimuth), math.radians(max(15.0, min(80.0, elevation)))
    length = 1.0 / math.tan(e)
    sx = -math.sin(a) * length * 0.9
    sy = math.cos(a) * length * 0.32
    m = np.float32([[1, -sx, sx * base_y], [0, sy, base_y * (1 - sy)]])
    if abs(sy) < 0.02:
        m[1] = [0, 0.02, base_y * 0.98]
    sh = cv2.warpAffine(alpha, m, (W, H), flags=cv2.INTER_LINEAR)
    near = _blur(sh, 1.5 + 6 * softness * height_px / 600)
    far = _blur(sh, 4 + 40 * softness * height_px / 600 + 6)
    y = np.arange(H, dtype=np.float32)
    reach = max(8.0, abs(sy) * height_px + abs(sx) * height_px * 0.3)
    t = np.clip(np.abs(base_y - y) / reach, 0, 1)[:, None]
    shadow = near * (1 - t) + far * t
    fade = (1 - 0.55 * t)
    return np.clip(shadow * fade, 0, 1)


def contact_shadow(alpha: np.ndarray, base_y: int, width_px: float, strength: float = 1.0) -> np.ndarray:
    """Dark, tight occlusion where the product touches the surface."""
    H, W = alpha.shape
    band = max(2, int(0.02 * width_px) + 2)
    foot = alpha[max(0, base_y - band):base_y].max(axis=0) if base_y > 0 else np.zeros(W, np.float32)
    cols = np.nonzero(foot > 0.5)[0]
    out = np.zeros((H, W), np.float32)
    if len(cols) == 0:
        return out
    x0, x1 = cols.min(), cols.max()
    cx, rx = (x0 + x1) / 2, (x1 - x0) / 2 * 1.04
    ry = max(2.0, rx * 0.09)
    cv2.ellipse(out, (int(cx), int(base_y)), (int(rx), int(ry)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
    tight = cv2.GaussianBlur(out, (0, 0), max(1.0, ry * 0.5))
    wide = _blur(out, max(2.0, ry * 2.5))
    return np.clip((0.8 * tight + 0.5 * wide) * strength, 0, 1)


def drop_shadow(alpha: np.ndarray, azimuth: float, size_px: float, softness: float) -> np.ndarray:
    """Flat lay: the product lies on paper, its shadow is an offset blurred copy."""
    a = math.radians(azimuth)
    dx, dy = -math.sin(a) * size_px * 0.035, size_px * 0.03
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    H, W = alpha.shape
    sh = cv2.warpAffine(alpha, m, (W, H))
    return _blur(sh, 2 + softness * size_px * 0.03)


def apply_shadow(backdrop: np.ndarray, shadow: np.ndarray, strength: float, tint) -> np.ndarray:
    tint = np.array(tint, np.float32)
    s = (shadow * strength)[..., None]
    return backdrop * (1 - s) + backdrop * tint * s


def reflection(product_rgb: np.ndarray, alpha: np.ndarray, base_y: int, height_px: float,
               strength: float, ripple: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Mirror the placed product about its base line, fading with distance and blurred."""
    H, W = alpha.shape
    ys = np.arange(H)
    src = 2 * base_y - ys
    valid = (src >= 0) & (src < H) & (ys >= base_y)
    src = np.clip(src, 0, H - 1)
    rgb = product_rgb[src] * valid[:, None, None]
    a = alpha[src] * valid[:, None]
    if ripple > 0:
        xs = np.arange(W, dtype=np.float32)
        yy = ys.astype(np.float32)
        phase = rng.uniform(0, 6.28)
        shift = (ripple * 0.006 * W * np.sin(yy / max(3.0, 0.012 * H) + phase)
                 * np.clip((yy - base_y) / (0.1 * H), 0, 1))
        map_x = (xs[None, :] + shift[:, None]).astype(np.float32)
        map_y = np.repeat(yy[:, None], W, axis=1).astype(np.float32)
        rgb = cv2.remap(rgb.astype(np.float32), map_x, map_y, cv2.INTER_LINEAR)
        a = cv2.remap(a.astype(np.float32), map_x, map_y, cv2.INTER_LINEAR)
    fade_len = max(8.0, 0.45 * height_px)
    t = np.clip((ys - base_y) / fade_len, 0, 1)
    fade = ((1 - t) ** 2 * strength).astype(np.float32)[:, None]
    a = _blur(a.astype(np.float32), 1.2 + ripple * 1.5) * fade
    rgb = _blur(rgb.astype(np.float32), 1.2 + ripple * 1.5)
    return rgb, a


def relight(product_rgb: np.ndarray, alpha: np.ndarray, box: tuple[int, int, int, int],
            azimuth: float, strength: float, ambient, protect: np.ndarray | None) -> np.ndarray:
    """Subtle light gradient across the product towards the key light, and colour matching.

    ``protect`` (H×W, 1 = keep) marks label/text regions: their pixels stay exactly as given.
    """
    H, W = alpha.shape
    x, y, w, h = box
    xs = (np.arange(W, dtype=np.float32) - (x + w / 2)) / max(1.0, w / 2)
    ys = (np.arange(H, dtype=np.float32) - (y + h / 2)) / max(1.0, h / 2)
    lx = math.sin(math.radians(azimuth))
    gain = 1 + strength * (np.clip(xs, -1, 1)[None, :] * lx) + 0.35 * strength * (-np.clip(ys, -1, 1)[:, None])
    amb = np.array(ambient, np.float32)
    amb = amb / max(1e-3, float(amb.mean()))
    cast = 1 + 0.35 * (amb - 1)      # at most a few percent of the scene's colour
    out = product_rgb * gain[..., None] * cast
    if protect is not None:
        p = protect[..., None]
        out = out * (1 - p) + product_rgb * p
    return np.clip(out, 0, 1)
