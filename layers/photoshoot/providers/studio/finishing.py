"""Camera finishing: depth of field on the scene and a fine grain that unifies the image."""
from __future__ import annotations

import cv2
import numpy as np

DOF_BAND_ROWS = 256


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
    # Upscale and blend in bands of rows: only a band of the blurred copy exists at a time,
    # and rows in focus are never touched.
    rows = np.nonzero(t1 > 0)[0]
    if len(rows) == 0:
        return img
    kx, ky = sw / w, sh / h
    for r0 in range(int(rows[0]), int(rows[-1]) + 1, DOF_BAND_ROWS):
        r1 = min(r0 + DOF_BAND_ROWS, int(rows[-1]) + 1)
        # The same sampling as cv2.resize: source = (target + 0.5) × scale - 0.5.
        m = np.float32([[kx, 0, 0.5 * kx - 0.5], [0, ky, (r0 + 0.5) * ky - 0.5]])
        band = cv2.warpAffine(full, m, (w, r1 - r0),
                              flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_REPLICATE)
        band -= img[r0:r1]
        band *= t1[r0:r1, None, None]
        img[r0:r1] += band
    return img


# Standard deviation of the sum of two uniform bytes (u1 + u2 - 255): sqrt(2 × (256² - 1) / 12).
_TRIANGULAR_STD = 104.5


def grain_to_uint8(img: np.ndarray, rng: np.random.Generator, amount: float,
                   keep: np.ndarray | None = None,
                   keep_at: tuple[int, int] = (0, 0)) -> np.ndarray:
    """Add monochrome film grain and convert 0..1 float RGB to uint8 (``img`` is consumed).

    The grain is the sum of two uniform draws (a triangular distribution with standard
    deviation ``amount``): at a grain of two or three levels it looks the same as Gaussian
    grain and is several times cheaper to draw. ``keep`` (1 = untouched, placed at
    ``keep_at`` on the image) protects label regions.
    """
    h, w = img.shape[:2]
    draws = rng.integers(0, 256, (2, h, w), dtype=np.uint8)
    noise = draws[0].astype(np.float32)
    noise += draws[1]
    noise -= np.float32(255.0)
    noise *= np.float32(amount / _TRIANGULAR_STD)
    if keep is not None:
        kx, ky = keep_at
        kh, kw = keep.shape
        noise[ky:ky + kh, kx:kx + kw] *= 1 - keep
    img += noise[..., None]
    np.maximum(img, 0, out=img)
    # Scales by 255, rounds to nearest and saturates at 255 in one pass.
    return cv2.convertScaleAbs(img, alpha=255.0)
