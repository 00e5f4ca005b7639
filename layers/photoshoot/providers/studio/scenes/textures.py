"""Procedural surface textures (float32 RGB 0..1), generated small and upscaled for speed."""
from __future__ import annotations

import cv2
import numpy as np


def noise(rng: np.random.Generator, w: int, h: int, octaves: int = 4, base: int = 4,
          persistence: float = 0.5) -> np.ndarray:
    """Fractal value noise in about -1..1."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        cells = base * (2 ** o)
        grid = rng.standard_normal((max(2, int(cells * h / max(w, h)) + 2), cells + 2)).astype(np.float32)
        out += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= persistence
    return out / total


def upscale(tex: np.ndarray, w: int, h: int) -> np.ndarray:
    return cv2.resize(tex, (w, h), interpolation=cv2.INTER_CUBIC)


def marble(rng, w: int, h: int, base=(0.93, 0.92, 0.90), vein=(0.55, 0.55, 0.58)) -> np.ndarray:
    n = noise(rng, w, h, octaves=5, base=3)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0.3, 1.2)
    ca, sa = np.float32(np.cos(angle)), np.float32(np.sin(angle))
    t = (xx * ca + yy * sa) * np.float32(rng.uniform(5, 8) / max(w, h))
    veins = np.abs(np.sin((t + 2.6 * n) * np.pi))
    veins = np.clip(1 - veins / 0.10, 0, 1) ** 1.5
    fine = np.abs(np.sin((t * 2.7 + 3.5 * noise(rng, w, h, 5, 5)) * np.pi))
    fine = np.clip(1 - fine / 0.05, 0, 1) * 0.35
    cloud = 0.03 * noise(rng, w, h, 4, 2)
    m = np.clip(veins * 0.55 + fine, 0, 1)[..., None]
    col = np.array(base, np.float32) * (1 + cloud[..., None])
    return col * (1 - m) + np.array(vein, np.float32) * m


def wood(rng, w: int, h: int, base=(0.62, 0.44, 0.28)) -> np.ndarray:
    """Planks running away from the camera (along y), with rings and pores."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    plank_w = w / rng.uniform(4, 6)
    plank = np.floor(xx / plank_w)
    offs = (np.sin(plank * 12.9898) * 43758.5453) % 1.0
    n = noise(rng, w, h, 4, 3)
    rings = np.sin((xx / plank_w * 7 + offs * 20 + 1.8 * n + yy / h * 0.6) * np.pi * 1.3)
    grain = noise(rng, max(8, w // 2), max(8, h * 4), 2, 60)
    grain = cv2.resize(grain, (w, h))
    tone = 1 + 0.045 * rings + 0.07 * grain + 0.10 * (offs - 0.5)
    img = np.array(base, np.float32) * tone[..., None]
    seam = (np.abs(xx / plank_w - np.round(xx / plank_w)) * plank_w < 1.2).astype(np.float32)
    return img * (1 - 0.35 * seam[..., None])


def concrete(rng, w: int, h: int, base=(0.30, 0.30, 0.31)) -> np.ndarray:
    n = noise(rng, w, h, 6, 3, 0.6)
    speck = (rng.random((h, w)) > 0.985).astype(np.float32) * 0.06
    pits = cv2.GaussianBlur((rng.random((h, w)) > 0.997).astype(np.float32), (0, 0), 0.8) * 0.5
    tone = 1 + 0.16 * n + speck - pits
    return np.array(base, np.float32) * tone[..., None]


def linen(rng, w: int, h: int, base=(0.86, 0.82, 0.76)) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = 0.5 * np.sin(xx * 1.9) * np.sin(yy * 0.35) + 0.5 * np.sin(yy * 1.9) * np.sin(xx * 0.41)
    slub = cv2.resize(rng.standard_normal((h // 2, 6)).astype(np.float32), (w, h)) * 0.5
    slub += cv2.resize(rng.standard_normal((6, w // 2)).astype(np.float32), (w, h)) * 0.5
    folds = noise(rng, w, h, 2, 2)
    tone = 1 + 0.035 * weave + 0.03 * slub + 0.10 * folds
    return np.array(base, np.float32) * tone[..., None]


def tiles(rng, w: int, h: int, tile: int, base=(0.90, 0.93, 0.94),
          grout=(0.78, 0.80, 0.80)) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx = np.abs((xx % tile) - tile / 2) > tile / 2 - max(1.5, tile * 0.03)
    gy = np.abs((yy % tile) - tile / 2) > tile / 2 - max(1.5, tile * 0.03)
    g = (gx | gy).astype(np.float32)
    idx = np.floor(xx / tile) * 31 + np.floor(yy / tile) * 17
    var = ((np.sin(idx * 12.9898) * 43758.5453) % 1.0 - 0.5) * 0.04
    glaze = 0.04 * np.sin((xx % tile) / tile * np.pi)
    t = np.array(base, np.float32) * (1 + var + glaze)[..., None]
    return t * (1 - g[..., None]) + np.array(grout, np.float32) * g[..., None]


def paper(rng, w: int, h: int, colour) -> np.ndarray:
    n = noise(rng, w, h, 3, 4)
    fibre = noise(rng, w, h, 2, 40) * 0.012
    return np.array(colour, np.float32) * (1 + 0.015 * n + fibre)[..., None]


def caustics(rng, w: int, h: int, scale: float = 1.0) -> np.ndarray:
    """Bright network of light refracted by ripples, 0..1."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / max(w, h) * 18 * scale
    acc = np.zeros((h, w), np.float32)
    for _ in range(4):
        a = rng.uniform(0, np.pi)
        ph = rng.uniform(0, 6.3)
        warp = 0.9 * noise(rng, w, h, 2, 3)
        acc += np.sin(xx * np.cos(a) + yy * np.sin(a) + ph + warp)
    c = np.clip(1 - np.abs(acc) / 0.9, 0, 1) ** 3
    return c


def floor_warp(tex: np.ndarray, width: int, height: int, horizon_y: int,
               spread: float = 1.6) -> np.ndarray:
    """Lay a texture on a table plane seen in perspective between horizon_y and the bottom."""
    th, tw = tex.shape[:2]
    src = np.float32([[0, 0], [tw, 0], [tw, th], [0, th]])
    far = width * 0.5 * spread
    near = width * 0.5 * spread * 2.6
    cx = width / 2
    dst = np.float32([[cx - far, horizon_y], [cx + far, horizon_y],
                      [cx + near, height], [cx - near, height]])
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(tex, m, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT)
