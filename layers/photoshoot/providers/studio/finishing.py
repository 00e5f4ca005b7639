"""Camera finishing: depth of field on the scene and a fine grain that unifies the image."""
from __future__ import annotations

import cv2
import numpy as np


def depth_of_field(img: np.ndarray, depth: np.ndarray, sigma: float) -> np.ndarray:
    """Blend sharp, half-blurred and fully blurred copies by depth (0 sharp … 1 farthest)."""
    if sigma < 0.6 or not depth.any():
        return img
    h, w = depth.shape
    f = 4 if sigma > 8 else 2
    small = cv2.resize(img, (w // f, h // f), interpolation=cv2.INTER_AREA)
    half = cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma / 2 / f), (w, h),
                      interpolation=cv2.INTER_LINEAR)
    full = cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma / f), (w, h),
                      interpolation=cv2.INTER_LINEAR)
    d = np.clip(depth, 0, 1)[..., None]
    t1 = np.clip(d * 2, 0, 1)
    t2 = np.clip(d * 2 - 1, 0, 1)
    out = img * (1 - t1) + half * t1
    return out * (1 - t2) + full * t2


def grain(img: np.ndarray, rng: np.random.Generator, amount: float,
          keep: np.ndarray | None = None) -> np.ndarray:
    """Monochrome film grain; ``keep`` (1 = untouched) protects label regions."""
    h, w = img.shape[:2]
    noise = rng.standard_normal((h, w), dtype=np.float32) * amount
    if keep is not None:
        noise *= 1 - keep
    return img + noise[..., None]
