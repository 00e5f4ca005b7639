"""Procedural surface textures (float32 RGB 0..1), generated small and upscaled for speed."""
from __future__ import annotations

import cv2
import numpy as np


def noise(rng: np.random.Generator, w: int, h: int, octaves: int = 4, base: int = 4,
          persistence: float = 0.5) -> np.ndarray:
    """Fractal value noise in about -1..1.

    Summed at a size where the finest octave still has 8 px per cell, then upscaled once:
    smooth noise gains nothing from being summed at full size.
    """
    finest = base * 2 ** (octaves - 1)
    sw = min(w, max(16, 8 * (finest + 2)))
    sh = h if sw == w else max(2, round(h * sw / w))
    out = np.zeros((sh, sw), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        cells = base * (2 ** o)
        grid = rng.standard_normal((max(2, int(cells * h / max(w, h)) + 2), cells + 2)).astype(np.float32)
        out += np.float32(amp) * cv2.resize(grid, (sw, sh), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= persistence
    out *= np.float32(1 / total)
    if (sw, sh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)
    return out


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
          grout=(0.78, 0.80, 0.80), rows: tuple[int, int] | None = None) -> np.ndarray:
    """Glazed tiles with grout lines; ``rows`` (y0, y1) paints only that band of a w×h wall.

    Grout, glaze and the per-tile tone are functions of x, of y or of the tile, so the
    texture is assembled from 1-D profiles instead of per-pixel maths.
    """
    y0, y1 = rows or (0, h)
    x = np.arange(w, dtype=np.float32)
    y = np.arange(y0, y1, dtype=np.float32)
    line = tile / 2 - max(1.5, tile * 0.03)
    gx = np.abs((x % tile) - tile / 2) > line
    gy = np.abs((y % tile) - tile / 2) > line
    col_id = np.floor(x / tile).astype(np.int32)
    row_id = np.floor(y / tile).astype(np.int32)
    ids = (np.arange(row_id.min(), row_id.max() + 1, dtype=np.float32)[:, None] * 17
           + np.arange(col_id.max() + 1, dtype=np.float32)[None, :] * 31)
    per_tile = ((np.sin(ids * np.float32(12.9898)) * np.float32(43758.5453)) % 1.0 - 0.5) * 0.04
    glaze = np.float32(0.04) * np.sin((x % tile) / tile * np.float32(np.pi))
    tone = np.ascontiguousarray(per_tile[row_id - row_id.min()][:, col_id]) + glaze[None, :] + 1
    out = np.empty((len(y), w, 3), np.float32)
    np.multiply(tone[..., None], np.array(base, np.float32), out=out)
    out[gy] = np.array(grout, np.float32)
    out[:, gx] = np.array(grout, np.float32)
    return out


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
