"""Synthetic product photos with known masks, for tests, benchmarks, samples and previews.

Deterministic: the same (kind, background, seed) always gives the same pixels. Products are
shaded like real objects (cylinders, boxes in 3/4 view, a sneaker) and carry printed labels;
backgrounds are plain paper with a soft shadow, or a cluttered table where other things and
a coloured sheet touch the product.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

KINDS = ("bottle", "box", "jar", "shoe")
BACKGROUNDS = ("plain", "cluttered")


@dataclass(frozen=True)
class Specimen:
    name: str
    kind: str
    background: str
    image: np.ndarray      # uint8 RGB, H×W×3
    mask: np.ndarray       # float32 0..1, H×W (ground truth alpha)


def _profile_mask(profile, w: int, h: int, ss: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Fill rows of a symmetric width profile; returns (alpha, u) where u is -1..1 across."""
    H, W = h * ss, w * ss
    ys = (np.arange(H) + 0.5) / H
    half = np.array([profile(y) for y in ys]) * W / 2.0
    xs = np.arange(W) + 0.5 - W / 2.0
    inside = (np.abs(xs)[None, :] <= half[:, None]).astype(np.float32)
    u = np.clip(xs[None, :] / np.maximum(half[:, None], 1e-3), -1, 1).astype(np.float32)
    alpha = cv2.resize(inside, (w, h), interpolation=cv2.INTER_AREA)
    u = cv2.resize(u, (w, h), interpolation=cv2.INTER_AREA)
    return alpha, u


def _cylinder_shade(u: np.ndarray, light_x: float = -0.55) -> tuple[np.ndarray, np.ndarray]:
    nz = np.sqrt(np.clip(1 - u * u, 0, 1))
    lx, lz = light_x, np.sqrt(1 - light_x * light_x)
    diffuse = np.clip(u * lx + nz * lz, 0, 1)
    shade = 0.32 + 0.68 * diffuse
    spec = np.exp(-((u - light_x * 0.8) / 0.07) ** 2) * 0.55 + np.exp(-((u - 0.82) / 0.05) ** 2) * 0.12
    return shade.astype(np.float32), spec.astype(np.float32)


def _text(img: np.ndarray, text: str, org, scale: float, color, thick: int = 2) -> None:
    cv2.putText(img, text, (int(org[0]), int(org[1])), cv2.FONT_HERSHEY_DUPLEX, scale, color,
                thick, cv2.LINE_AA)


def _smooth_step(a: float, b: float, y: float) -> float:
    t = min(max((y - a) / (b - a), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def _bottle(rng, h: int) -> tuple[np.ndarray, np.ndarray]:
    w = int(h * 0.42)
    hues = [(40, 110, 70), (150, 40, 60), (30, 70, 140), (230, 190, 60), (240, 240, 235)]
    body = np.array(hues[rng.integers(len(hues))], np.float32)

    def profile(y):
        if y < 0.11:
            return 0.36
        if y < 0.24:
            return 0.30
        if y < 0.38:
            return 0.30 + 0.66 * _smooth_step(0.24, 0.38, y)
        bottom = 1.0 - 0.10 * max(0.0, (y - 0.965) / 0.035) ** 2
        return 0.96 * bottom
    alpha, u = _profile_mask(profile, w, h)
    shade, spec = _cylinder_shade(u)
    img = np.ones((h, w, 3), np.float32) * body
    img[: int(h * 0.11)] = (35, 35, 38)                         # cap
    img[int(h * 0.105): int(h * 0.115)] = (200, 170, 90)        # gold ring
    label = np.full((h, w, 3), 245, np.float32)
    y0, y1 = int(h * 0.5), int(h * 0.86)
    lab = np.full((y1 - y0, w, 3), (246, 242, 232), np.uint8)
    _text(lab, "AQUA", (w * 0.18, (y1 - y0) * 0.36), w / 170, (30, 40, 60), max(1, w // 70))
    _text(lab, "NATURAL", (w * 0.22, (y1 - y0) * 0.6), w / 330, (90, 90, 90), 1)
    _text(lab, "250 ml", (w * 0.32, (y1 - y0) * 0.85), w / 360, (120, 60, 40), 1)
    label[y0:y1] = lab
    in_label = np.zeros((h, w, 1), np.float32)
    in_label[y0:y1] = 1
    img = img * (1 - in_label) + label * in_label
    img = img * shade[..., None] + 255 * spec[..., None] * (1 - 0.6 * in_label)
    return np.clip(img, 0, 255), alpha


def _jar(rng, h: int) -> tuple[np.ndarray, np.ndarray]:
    w = int(h * 1.05)
    contents = [(200, 120, 30), (120, 30, 50), (230, 220, 200), (60, 40, 30)]
    body = np.array(contents[rng.integers(len(contents))], np.float32)

    def profile(y):
        if y < 0.2:
            return 0.86 - 0.04 * (1 - _smooth_step(0.0, 0.05, y))
        if y < 0.24:
            return 0.80
        r = 1.0 - 0.08 * max(0.0, (y - 0.93) / 0.07) ** 2 - 0.05 * max(0.0, (0.3 - y) / 0.06)
        return 0.97 * r
    alpha, u = _profile_mask(profile, w, h)
    shade, spec = _cylinder_shade(u, -0.45)
    img = np.ones((h, w, 3), np.float32) * body
    img[: int(h * 0.2)] = (190, 160, 80)                        # metal lid
    for k in range(6):
        yy = int(h * (0.03 + k * 0.03))
        img[yy: yy + 2] *= 0.8
    y0, y1 = int(h * 0.38), int(h * 0.82)
    x0, x1 = int(w * 0.2), int(w * 0.8)
    lab = np.full((y1 - y0, x1 - x0, 3), (250, 246, 236), np.uint8)
    cv2.rectangle(lab, (4, 4), (lab.shape[1] - 5, lab.shape[0] - 5), (150, 40, 40), 2)
    _text(lab, "HONEY", (lab.shape[1] * 0.14, lab.shape[0] * 0.5), lab.shape[1] / 190,
          (150, 40, 40), max(1, w // 120))
    _text(lab, "organic 500 g", (lab.shape[1] * 0.16, lab.shape[0] * 0.8), lab.shape[1] / 420,
          (60, 60, 60), 1)
    img[y0:y1, x0:x1] = lab
    img = img * shade[..., None] + 255 * spec[..., None]
    return np.clip(img, 0, 255), alpha


def _box(rng, h: int) -> tuple[np.ndarray, np.ndarray]:
    fw, fh, depth = int(h * 0.62), int(h * 0.86), int(h * 0.14)
    w = fw + depth
    colours = [(235, 235, 230), (40, 60, 110), (200, 60, 50), (245, 210, 80)]
    base = np.array(colours[rng.integers(len(colours))], np.float32)
    ss = 2
    canvas = np.zeros((h * ss, w * ss, 3), np.float32)
    mask = np.zeros((h * ss, w * ss), np.float32)
    top = np.array([[0, depth], [depth, 0], [w, 0], [fw, depth]]) * ss
    side = np.array([[fw, depth], [w, 0], [w, fh], [fw, h]]) * ss
    front = np.array([[0, depth], [fw, depth], [fw, h], [0, h]]) * ss
    for poly, k in ((top, 1.08), (side, 0.68), (front, 0.95)):
        cv2.fillPoly(canvas, [poly.astype(np.int32)], tuple(float(c) for c in np.clip(base * k, 0, 255)))
        cv2.fillPoly(mask, [poly.astype(np.int32)], 1.0)
    img = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA)
    ink = (20, 20, 20) if base.mean() > 150 else (245, 245, 245)
    # Front face: brand, product line and a coloured band.
    grad = np.linspace(1.04, 0.9, h, dtype=np.float32)[:, None, None]
    img[depth:, :fw] *= grad[depth:]
    cv2.rectangle(img, (int(fw * 0.08), int(h * 0.62)), (int(fw * 0.92), int(h * 0.72)),
                  (230, 120, 40), -1)
    _text(img, "LUMA", (fw * 0.12, h * 0.36), fw / 150, ink, max(1, fw // 60))
    _text(img, "smart lamp", (fw * 0.14, h * 0.48), fw / 330, ink, 1)
    _text(img, "LED 9W", (fw * 0.3, h * 0.69), fw / 400, (255, 255, 255), 1)
    return np.clip(img, 0, 255), alpha


def _shoe(rng, h: int) -> tuple[np.ndarray, np.ndarray]:
    w = int(h * 2.3)
    ss = 2
    uppers = [(200, 50, 45), (40, 45, 60), (235, 235, 235), (60, 120, 180)]
    upper = np.array(uppers[rng.integers(len(uppers))], np.float32)
    pts_upper = np.array([[0.03, 0.70], [0.06, 0.42], [0.16, 0.30], [0.26, 0.05], [0.40, 0.02],
                          [0.47, 0.18], [0.62, 0.34], [0.82, 0.44], [0.95, 0.55], [0.985, 0.70]])
    pts_sole = np.array([[0.02, 0.68], [0.99, 0.68], [0.985, 0.86], [0.95, 0.97], [0.05, 0.98],
                         [0.01, 0.86]])
    canvas = np.zeros((h * ss, w * ss, 3), np.float32)
    mask = np.zeros((h * ss, w * ss), np.float32)
    scale = np.array([w * ss, h * ss])
    up = (pts_upper * scale).astype(np.int32)
    so = (pts_sole * scale).astype(np.int32)
    cv2.fillPoly(canvas, [up], tuple(float(c) for c in upper))
    cv2.fillPoly(mask, [up], 1.0)
    cv2.fillPoly(canvas, [so], (238, 236, 228))
    cv2.fillPoly(mask, [so], 1.0)
    swoosh = (np.array([[0.30, 0.62], [0.55, 0.40], [0.80, 0.50], [0.55, 0.52]]) * scale).astype(np.int32)
    cv2.fillPoly(canvas, [swoosh], (245, 245, 245))
    cv2.line(canvas, tuple(so[0]), tuple(so[1]), (60, 60, 60), 3 * ss)
    for k in range(5):
        x = int((0.33 + k * 0.045) * scale[0])
        y = int((0.14 + k * 0.04) * scale[1])
        cv2.line(canvas, (x - 12 * ss, y + 6 * ss), (x + 14 * ss, y - 4 * ss), (250, 250, 250), 2 * ss)
    img = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA)
    shade = np.linspace(1.1, 0.75, h, dtype=np.float32)[:, None, None]
    img = img * shade
    _text(img, "RUN", (w * 0.64, h * 0.63), h / 240, (30, 30, 30), max(1, h // 120))
    return np.clip(img, 0, 255), alpha


_MAKERS = {"bottle": (_bottle, 0.62), "box": (_box, 0.58), "jar": (_jar, 0.42),
           "shoe": (_shoe, 0.30)}


def _plain_background(rng, W: int, H: int) -> np.ndarray:
    papers = [(232, 230, 226), (214, 220, 226), (236, 226, 212), (205, 205, 200)]
    c = np.array(papers[rng.integers(len(papers))], np.float32)
    yy = np.linspace(1.05, 0.88, H, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
    light = yy * (1 - 0.06 * xx ** 2)
    return c[None, None, :] * light[..., None]


def _clutter_background(rng, W: int, H: int, product_box) -> np.ndarray:
    table = np.array([(150, 110, 80), (120, 120, 125), (180, 160, 130)][rng.integers(3)], np.float32)
    bg = np.ones((H, W, 3), np.float32) * table
    streaks = cv2.resize(rng.normal(0, 1, (H // 8, 4)).astype(np.float32), (W, H))
    bg *= (1 + 0.06 * streaks)[..., None]
    px, py, pw, ph = product_box
    # A coloured sheet of paper the product stands on, touching it.
    sheet = np.array([(90, 170, 210), (230, 120, 150), (240, 220, 90)][rng.integers(3)], float)
    cx, cy = px + pw / 2, py + ph * 0.95
    rect = ((cx + rng.uniform(-0.2, 0.2) * pw, cy), (pw * 1.7, ph * 0.5), rng.uniform(-20, 20))
    cv2.fillPoly(bg, [cv2.boxPoints(rect).astype(np.int32)], tuple(sheet))
    for _ in range(int(rng.integers(5, 8))):
        colour = tuple(float(v) for v in rng.integers(20, 240, 3))
        ox, oy = rng.uniform(0, W), rng.uniform(0, H)
        if rng.random() < 0.5:
            cv2.circle(bg, (int(ox), int(oy)), int(rng.uniform(0.05, 0.14) * W), colour, -1,
                       cv2.LINE_AA)
        else:
            rect = ((ox, oy), (rng.uniform(0.1, 0.35) * W, rng.uniform(0.05, 0.3) * H),
                    rng.uniform(0, 90))
            cv2.fillPoly(bg, [cv2.boxPoints(rect).astype(np.int32)], colour, cv2.LINE_AA)
            _text(bg, "SALE", (ox - 40, oy + 10), 1.2, (250, 250, 250), 2)
    # Something leaning on the product's side: a cup-like object overlapping its edge.
    side = 1 if rng.random() < 0.5 else -1
    ex = px + (pw if side > 0 else 0) + side * pw * 0.18
    cv2.ellipse(bg, (int(ex), int(py + ph * 0.8)), (int(pw * 0.3), int(ph * 0.22)), 0, 0, 360,
                tuple(float(v) for v in rng.integers(40, 220, 3)), -1, cv2.LINE_AA)
    return bg


def make_specimen(kind: str, background: str = "plain", seed: int = 0,
                  size: tuple[int, int] = (960, 1280)) -> Specimen:
    """A product photo and its true alpha; ``size`` is (width, height)."""
    rng = np.random.default_rng(_seed(kind, background, seed))
    W, H = size
    maker, rel_h = _MAKERS[kind]
    ph = int(H * rel_h * rng.uniform(0.9, 1.05))
    prod, alpha = maker(rng, ph)
    if prod.shape[1] > W * 0.8:
        k = W * 0.8 / prod.shape[1]
        prod = cv2.resize(prod, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        alpha = cv2.resize(alpha, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    ph, pw = alpha.shape
    px = int((W - pw) / 2 + rng.uniform(-0.06, 0.06) * W)
    py = int(H * 0.82 - ph + rng.uniform(-0.03, 0.03) * H)
    px, py = max(4, min(px, W - pw - 4)), max(4, min(py, H - ph - 4))
    if background == "plain":
        bg = _plain_background(rng, W, H)
    else:
        bg = _clutter_background(rng, W, H, (px, py, pw, ph))
    full_alpha = np.zeros((H, W), np.float32)
    full_alpha[py:py + ph, px:px + pw] = alpha
    # The product's own soft shadow on the table: part of the background, not the product.
    shadow = np.zeros((H, W), np.float32)
    cv2.ellipse(shadow, (px + pw // 2 + pw // 10, py + ph), (int(pw * 0.6), max(4, ph // 14)), 0,
                0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(3, pw / 14))
    bg = bg * (1 - 0.45 * shadow)[..., None]
    full_prod = np.zeros((H, W, 3), np.float32)
    full_prod[py:py + ph, px:px + pw] = prod
    img = bg * (1 - full_alpha[..., None]) + full_prod * full_alpha[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    img += rng.normal(0, 2.0, img.shape).astype(np.float32)
    return Specimen(f"{kind}_{background}_{seed}", kind, background,
                    np.clip(img, 0, 255).astype(np.uint8), full_alpha)


def _seed(kind: str, background: str, seed: int) -> int:
    return (KINDS.index(kind) * 1000 + BACKGROUNDS.index(background) * 100 + seed) * 7919 + 17


def specimen_set(seed: int = 0) -> list[Specimen]:
    """Every kind on every background: the cut-out test and benchmark set."""
    return [make_specimen(k, b, seed) for b in BACKGROUNDS for k in KINDS]
