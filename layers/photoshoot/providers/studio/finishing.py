"""Camera finishing: depth of field on the scene and a fine grain that unifies the image."""
from __future__ import annotations

import cv2
import numpy as np


def depth_of_field(img: np.ndarray, depth: np.ndarray, sigma: float) -> np.ndarray:
    """Blend sharp, half-blurred and fully blurred copies by depth (0 sharp … 1 farthest).

    ``depth`` is one value per row (scenes are seen from eye level or straight down, so depth
    only changes with height). Both blurred copies are made and mixed at a half or quarter
    size, then upscaled once: the blur hides the reduced size. ``img`` is changed in place.
    """
    if sigma < 0.6 or not depth.any():
        return img
    h, w = img.shape[:2]
    f = 4 if sigma > 8 else 2
    sw, sh = max(1, w // f), max(1, h // f)
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA)
    half = cv2.GaussianBlur(small, (0, 0), sigma / 2 / f)
    full = cv2.GaussianBlur(small, (0, 0), sigma / f)
    d = np.clip(depth.astype(np.float32), 0, 1)
    t1 = np.clip(d * 2, 0, 1)
    t2 = np.clip(d * 2 - 1, 0, 1)
    t2_small = cv2.resize(t2[:, None], (1, sh), interpolation=cv2.INTER_AREA)
    full -= half
    full *= t2_small[..., None]
    full += half
    blurred = cv2.resize(full, (w, h), interpolation=cv2.INTER_LINEAR)
    blurred -= img
    blurred *= t1[:, None, None]
    img += blurred
    return img


def grain_to_uint8(img: np.ndarray, rng: np.random.Generator, amount: float,
                   keep: np.ndarray | None = None,
                   keep_at: tuple[int, int] = (0, 0)) -> np.ndarray:
    """Add monochrome film grain and convert 0..1 float RGB to uint8 (``img`` is consumed).

    ``keep`` (1 = untouched, placed at ``keep_at`` on the image) protects label regions.
    """
    h, w = img.shape[:2]
    noise = rng.standard_normal((h, w), dtype=np.float32)
    noise *= np.float32(amount * 255.0)
    if keep is not None:
        kx, ky = keep_at
        kh, kw = keep.shape
        noise[ky:ky + kh, kx:kx + kw] *= 1 - keep
    noise += np.float32(0.5)
    img *= np.float32(255.0)
    img += noise[..., None]
    np.clip(img, 0, 255, out=img)
    return img.astype(np.uint8)
