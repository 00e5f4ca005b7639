"""Describe a cut-out product: shape class, palette, size, gloss and printed-text regions."""
from __future__ import annotations

import cv2
import numpy as np

from photoshoot.providers.contract import Analysis

MAX_TEXT_REGIONS = 8


def _hex(rgb) -> str:
    r, g, b = (int(np.clip(round(float(v)), 0, 255)) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def _palette(pixels: np.ndarray, k: int = 4) -> tuple[tuple[str, ...], tuple[float, ...]]:
    if len(pixels) > 6000:
        idx = np.linspace(0, len(pixels) - 1, 6000).astype(int)
        pixels = pixels[idx]
    data = pixels.astype(np.float32)
    k = max(1, min(k, len(data)))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(3)
    _, labels, centres = cv2.kmeans(data, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k).astype(np.float64)
    order = np.argsort(-counts)
    weights = counts[order] / counts.sum()
    return tuple(_hex(centres[i]) for i in order), tuple(float(w) for w in weights)


def _shape_class(mask: np.ndarray, aspect: float, fill: float) -> tuple[str, float]:
    h, w = mask.shape
    rows = mask.sum(axis=1).astype(np.float32)
    widest = float(rows.max()) or 1.0
    top = float(np.median(rows[: max(1, h // 6)])) / widest
    base = float(np.median(rows[-max(1, h // 12):])) / widest
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    corners = 99
    if contours:
        c = max(contours, key=cv2.contourArea)
        corners = len(cv2.approxPolyDP(c, 0.008 * cv2.arcLength(c, True), True))
    if aspect < 0.3:
        shape = "flat"
    elif aspect < 0.65 and fill < 0.82:
        shape = "shoe"
    elif fill > 0.9 and corners <= 6:
        shape = "box"
    elif aspect > 1.35 and top < 0.65:
        shape = "bottle"
    elif aspect > 1.6:
        shape = "tall"
    elif 0.55 <= aspect <= 1.35:
        shape = "jar"
    else:
        shape = "round"
    return shape, base


def _text_regions(rgb: np.ndarray, alpha: np.ndarray) -> tuple[tuple[float, ...], ...]:
    """Boxes of printed text/graphics: dense small high-contrast strokes inside the product."""
    h, w = alpha.shape
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grad = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    inner = cv2.erode((alpha > 250).astype(np.uint8), np.ones((7, 7), np.uint8))
    strokes = ((grad > 40) & (inner > 0)).astype(np.uint8)
    kx = max(3, w // 40)
    joined = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, np.ones((3, kx), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, 8)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if bw < 0.04 * w or bh < 0.008 * h or bh > 0.25 * h or bw > 0.95 * w:
            continue
        density = strokes[y:y + bh, x:x + bw].mean()
        if density < 0.08 or bw < 1.2 * bh:
            continue
        pad = max(2, bh // 4)
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(w, x + bw + pad), min(h, y + bh + pad)
        boxes.append((x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h, int(bw * bh)))
    boxes.sort(key=lambda b: -b[4])
    return tuple(tuple(round(float(v), 4) for v in b[:4]) for b in boxes[:MAX_TEXT_REGIONS])


def analyse_cutout(rgba: np.ndarray, source_size: tuple[int, int],
                   box: tuple[int, int, int, int], quality: float) -> Analysis:
    rgb, alpha = rgba[..., :3], rgba[..., 3]
    mask = alpha > 127
    ys, xs = np.nonzero(mask)
    ph, pw = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    tight = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    aspect = float(ph) / float(pw)
    fill = float(tight.mean())
    shape, base = _shape_class(tight, aspect, fill)
    pixels = rgb[mask]
    palette, weights = _palette(pixels)
    hsv = cv2.cvtColor(pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2HSV).reshape(-1, 3) / 255.0
    brightness = float(cv2.cvtColor(pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2GRAY).mean() / 255)
    gloss = float(np.mean((hsv[:, 2] > 0.9) & (hsv[:, 1] < 0.2)))
    sw, sh = source_size
    bx, by = box[0] + xs.min(), box[1] + ys.min()
    return Analysis(
        source_width=int(sw), source_height=int(sh),
        cutout_width=int(rgba.shape[1]), cutout_height=int(rgba.shape[0]),
        bbox=(float(bx / sw), float(by / sh), float(pw / sw), float(ph / sh)),
        shape=shape, aspect=aspect, fill_ratio=fill, base_width_ratio=float(base),
        palette=palette, palette_weights=weights, brightness=brightness,
        saturation=float(hsv[:, 1].mean()), glossiness=min(1.0, gloss * 4),
        product_share=float(mask.sum()) / float(sw * sh),
        text_regions=_text_regions(rgb, alpha), mask_quality=float(quality),
    )
