"""Cut the product out of an uploaded photo: saliency model → GrabCut → guided-filter matte.

The result carries a mask-quality score; below ``MIN_MASK_QUALITY`` the photo is refused
with ``LowMaskQuality`` (a kind Russian message asking for a plainer photo), because a bad
cut-out makes every later image bad.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from photoshoot.errors import LowMaskQuality
from photoshoot.providers.studio.matting import estimate_foreground, refine_alpha
from photoshoot.providers.studio.saliency_model import predict_saliency

MAX_SIDE = 1600          # larger uploads are reduced first: outputs are ≤ 1600 px wide
WORK_SIDE = 512          # GrabCut runs at this long side
GRABCUT_ITERATIONS = 4
GRABCUT_PAD = 0.06       # sure-background ring around GrabCut's window, share of the long side
MIN_MASK_QUALITY = 0.45
CROP_MARGIN = 0.02


@dataclass(frozen=True)
class Cutout:
    rgba: np.ndarray             # uint8 H×W×4, cropped to the product (with a small margin)
    alpha_full: np.ndarray       # float32 alpha over the (possibly reduced) photo
    box: tuple[int, int, int, int]   # crop box x, y, w, h in the reduced photo
    source_size: tuple[int, int]     # (width, height) of the reduced photo
    quality: float
    quality_parts: dict


def _largest_components(mask: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if n <= 1:
        return mask.astype(np.uint8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, bool)
    keep[1 + int(np.argmax(areas))] = True
    big = areas.max()
    for i in range(1, n):
        # Keep other sizeable parts the model is sure about (e.g. a cap separated by a seam).
        if areas[i - 1] > 0.08 * big and seeds[labels == i].mean() > 0.5:
            keep[i] = True
    return keep[labels].astype(np.uint8)


def _fill_small_holes(mask: np.ndarray, max_share: float = 0.01) -> np.ndarray:
    inv = (1 - mask).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inv, 4)
    h, w = mask.shape
    limit = max_share * h * w
    out = mask.copy()
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        if not touches and area < limit:
            out[labels == i] = 1
    return out


def _fallback_saliency(small: np.ndarray) -> np.ndarray:
    """Colour distance from the border × a centre prior, when the model sees nothing."""
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    dist = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    dist /= max(1e-3, np.percentile(dist, 99))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    prior = np.exp(-(((xx - w / 2) / (0.35 * w)) ** 2 + ((yy - h / 2) / (0.35 * h)) ** 2))
    return np.clip(dist * prior, 0, 1)


def _main_object(sal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the salient area into the product (central, large) and other things.

    Returns (product_region, other_salient): an opening with a large kernel cuts thin
    bridges between the product and clutter touching it; the component with the best
    area × centrality is the product, and salient pixels far from it are clutter.
    """
    h, w = sal.shape
    salient = (sal > 0.5).astype(np.uint8)
    k = max(5, int(0.06 * max(h, w))) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    opened = cv2.morphologyEx(salient, cv2.MORPH_OPEN, kernel)
    if not opened.any():
        opened = salient
    n, labels, stats, cents = cv2.connectedComponentsWithStats(opened, 8)
    if n <= 1:
        return salient, np.zeros_like(salient)
    diag = float(np.hypot(h, w))
    best, best_score = 1, -1.0
    for i in range(1, n):
        cx, cy = cents[i]
        d2 = ((cx - w / 2) ** 2 + (cy - h * 0.55) ** 2) / (0.28 * diag) ** 2
        score = stats[i, cv2.CC_STAT_AREA] * float(np.exp(-d2))
        if score > best_score:
            best, best_score = i, score
    core = (labels == best).astype(np.uint8)
    near = cv2.dilate(core, kernel)
    product = (near & salient) | core
    other = salient & (1 - near)
    return product.astype(np.uint8), other.astype(np.uint8)


def _grabcut(small: np.ndarray, sal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, w = sal.shape
    product, other = _main_object(sal)
    gc = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    gc[(sal > 0.35) & (product > 0)] = cv2.GC_PR_FGD
    k = max(3, int(0.02 * max(h, w))) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    sure = cv2.erode(((sal > 0.8) & (product > 0)).astype(np.uint8), kernel)
    gc[sal < 0.03] = cv2.GC_BGD
    gc[cv2.erode(other, kernel) > 0] = cv2.GC_BGD
    ring = max(2, int(0.01 * max(h, w)))
    border = np.zeros((h, w), bool)
    border[:ring], border[-ring:], border[:, :ring], border[:, -ring:] = True, True, True, True
    gc[border & (sal < 0.5)] = cv2.GC_BGD
    gc[sure > 0] = cv2.GC_FGD
    if not (gc == cv2.GC_FGD).any() and not (gc == cv2.GC_PR_FGD).any():
        return np.zeros((h, w), np.uint8), other
    # Only the window around what may be product is undecided: GrabCut runs there, with a
    # ring of sure background around it to learn the background colours from.
    x, y, bw, bh = cv2.boundingRect((gc != cv2.GC_BGD).astype(np.uint8))
    pad = int(GRABCUT_PAD * max(h, w))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(w, x + bw + pad), min(h, y + bh + pad)
    window = np.ascontiguousarray(gc[y0:y1, x0:x1])
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(7)
    cv2.grabCut(np.ascontiguousarray(small[y0:y1, x0:x1]), window, None, bgd, fgd,
                GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    mask = np.zeros((h, w), np.uint8)
    mask[y0:y1, x0:x1] = (window == cv2.GC_FGD) | (window == cv2.GC_PR_FGD)
    return mask, other


def _quality(small: np.ndarray, sal: np.ndarray, mask: np.ndarray) -> tuple[float, dict]:
    area = float(mask.sum())
    h, w = mask.shape
    if area < 0.005 * h * w:
        return 0.0, {"area": round(area / (h * w), 4)}
    sal_mask = sal > 0.5
    inter = float((sal_mask & (mask > 0)).sum())
    union = float((sal_mask | (mask > 0)).sum())
    agreement = inter / max(union, 1.0)
    inside = sal[mask > 0]
    confidence = float(np.mean(inside > 0.7))
    # Salient things right next to the cut-out: clutter that may have bled into it.
    k = max(5, int(0.04 * max(h, w))) | 1
    near = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    leftovers = float(((sal > 0.5) & (near > 0) & (mask == 0)).sum()) / max(area, 1.0)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull_area = sum(cv2.contourArea(cv2.convexHull(c)) for c in contours)
    solidity = area / max(hull_area, 1.0)
    ring = max(2, int(0.01 * max(h, w)))
    edge_band = np.zeros_like(mask, bool)
    edge_band[:ring], edge_band[-ring:], edge_band[:, :ring], edge_band[:, -ring:] = (True,) * 4
    border_touch = float((mask[edge_band] > 0).mean())
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    grad = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    contour = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    edge_support = float(np.mean(grad[contour] > 0.5 * np.percentile(grad, 90) + 1e-3))
    share = area / (h * w)
    size_ok = 1.0 if 0.02 <= share <= 0.85 else 0.4
    score = (0.25 * agreement + 0.20 * confidence + 0.20 * edge_support
             + 0.20 * (1.0 - min(1.0, 5 * border_touch)) + 0.15 * min(1.0, solidity / 0.85))
    score *= size_ok * (1.0 - min(0.5, 3 * leftovers))
    parts = {"agreement": round(agreement, 3), "confidence": round(confidence, 3),
             "edge_support": round(edge_support, 3), "border_touch": round(border_touch, 3),
             "leftovers": round(leftovers, 3),
             "solidity": round(solidity, 3), "area": round(share, 4)}
    return float(np.clip(score, 0, 1)), parts


def cut_out(rgb: np.ndarray, *, enforce_quality: bool = True) -> Cutout:
    """Cut-out of a uint8 RGB photo; raises ``LowMaskQuality`` when it cannot be trusted."""
    h, w = rgb.shape[:2]
    if max(h, w) > MAX_SIDE:
        k = MAX_SIDE / max(h, w)
        rgb = cv2.resize(rgb, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
        h, w = rgb.shape[:2]
    k = WORK_SIDE / max(h, w)
    sw, sh = max(8, round(w * k)), max(8, round(h * k))
    small = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA)
    sal = cv2.resize(predict_saliency(rgb), (sw, sh), interpolation=cv2.INTER_LINEAR)
    if float((sal > 0.5).mean()) < 0.003:
        sal = _fallback_saliency(small)
    mask, _ = _grabcut(small, sal)
    mask = _largest_components(mask, sal)
    mask = _fill_small_holes(mask)
    quality, parts = _quality(small, sal, mask)
    if enforce_quality and quality < MIN_MASK_QUALITY:
        raise LowMaskQuality(details={"mask_quality": round(quality, 3)})
    soft = cv2.resize(mask.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    soft = cv2.GaussianBlur(soft, (0, 0), max(0.8, 0.6 / k))
    hard = (soft > 0.5).astype(np.uint8)
    alpha = refine_alpha(rgb, hard)
    ys, xs = np.nonzero(alpha > 0.02)
    if len(xs) == 0:
        raise LowMaskQuality(details={"mask_quality": 0.0})
    m = int(CROP_MARGIN * max(h, w))
    x0, y0 = max(0, xs.min() - m), max(0, ys.min() - m)
    x1, y1 = min(w, xs.max() + 1 + m), min(h, ys.max() + 1 + m)
    crop_rgb = estimate_foreground(rgb[y0:y1, x0:x1], alpha[y0:y1, x0:x1])
    crop_a = (alpha[y0:y1, x0:x1] * 255 + 0.5).astype(np.uint8)
    rgba = np.dstack([crop_rgb, crop_a])
    return Cutout(rgba, alpha, (int(x0), int(y0), int(x1 - x0), int(y1 - y0)), (w, h),
                  quality, parts)
