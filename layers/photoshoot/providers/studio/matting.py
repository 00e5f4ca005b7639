"""Edge refinement of a hard mask: guided-filter matting and foreground colour estimation."""
from __future__ import annotations

import cv2
import numpy as np


def _box(img: np.ndarray, r: int) -> np.ndarray:
    return cv2.boxFilter(img, -1, (2 * r + 1, 2 * r + 1), borderType=cv2.BORDER_REFLECT)


def guided_filter(guide: np.ndarray, src: np.ndarray, radius: int, eps: float,
                  subsample: int = 2) -> np.ndarray:
    """Fast guided filter (He et al.) with a grey guide; float32 in 0..1."""
    h, w = src.shape
    s = max(1, subsample)
    g = cv2.resize(guide, (w // s, h // s), interpolation=cv2.INTER_AREA) if s > 1 else guide
    p = cv2.resize(src, (w // s, h // s), interpolation=cv2.INTER_AREA) if s > 1 else src
    r = max(1, radius // s)
    mean_g, mean_p = _box(g, r), _box(p, r)
    cov = _box(g * p, r) - mean_g * mean_p
    var = _box(g * g, r) - mean_g * mean_g
    a = cov / (var + eps)
    b = mean_p - a * mean_g
    mean_a, mean_b = _box(a, r), _box(b, r)
    if s > 1:
        mean_a = cv2.resize(mean_a, (w, h), interpolation=cv2.INTER_LINEAR)
        mean_b = cv2.resize(mean_b, (w, h), interpolation=cv2.INTER_LINEAR)
    return mean_a * guide + mean_b


def refine_alpha(rgb: np.ndarray, hard: np.ndarray) -> np.ndarray:
    """Soft alpha from a binary mask, following the photo's edges in a thin band only."""
    h, w = hard.shape
    scale = max(h, w) / 1000.0
    guide = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    src = hard.astype(np.float32)
    alpha = guided_filter(guide, src, radius=max(2, int(6 * scale)), eps=2e-3)
    # Trust the hard mask away from its edge: the filter only decides the boundary band.
    k = max(3, int(5 * scale)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    inner = cv2.erode(hard.astype(np.uint8), kernel)
    outer = cv2.dilate(hard.astype(np.uint8), kernel)
    alpha = np.where(inner > 0, 1.0, np.where(outer == 0, 0.0, alpha))
    return np.clip(alpha, 0.0, 1.0).astype(np.float32)


def estimate_foreground(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Remove background colour spill from semi-transparent edge pixels (blur fusion).

    Pixels with alpha ≈ 1 keep their exact original values: only the edge band changes.
    """
    img = rgb.astype(np.float32) / 255.0
    a = alpha[..., None]
    f = img.copy()
    for r in (61, 5):
        blur_a = cv2.blur(alpha, (r, r))[..., None]
        blur_fa = cv2.blur(f * a, (r, r))
        blur_f = blur_fa / (blur_a + 1e-5)
        blur_b1a = cv2.blur(img * (1 - a), (r, r))
        blur_b = blur_b1a / ((1 - blur_a) + 1e-5)
        f = np.clip(blur_f + a * (img - a * blur_f - (1 - a) * blur_b), 0, 1)
    edge = (alpha < 0.98)[..., None]
    out = np.where(edge, f, img)
    return np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)
