"""The product's own pixels are never redrawn: check every output against the cut-out.

For any provider, the output's product region is compared with the cut-out placed where the
layout put it. Small drift (relight, grain) passes; larger drift in colour or in printed
labels is restored by putting the real product pixels back; if the product moved or was
redrawn beyond recognition, the image is rejected.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from photoshoot.errors import ProviderError

# Mean absolute difference (0..1) tolerated inside the product before restoring.
MAX_DRIFT = 0.06
MAX_LABEL_DRIFT = 0.02
# Below this correlation of edges the product is no longer where it should be: reject.
MIN_STRUCTURE = 0.35
# Edges are compared a little blurred: a raw Laplacian is mostly pixel-level grain, and the
# grain a render adds to a smooth or small product (a 256 px photo blown up) took the
# correlation of an untouched product to 0.27-0.33, below the limit; blurred it is 0.93+,
# while a moved product stays near 0.
EDGE_SCALE_PX = 1.0


class ProductRedrawn(ProviderError):
    code = "product_redrawn"
    message = ("Сервис генерации изменил сам товар, а не только фон, — такие снимки мы не "
               "отдаём.")


@dataclass(frozen=True)
class FidelityReport:
    drift: float
    label_drift: float
    structure: float
    action: str          # kept | restored | rejected

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _interior(alpha, np, cv2):
    k = max(3, int(min(alpha.shape) * 0.006)) | 1
    return cv2.erode((alpha > 0.99).astype(np.uint8), np.ones((k, k), np.uint8)) > 0


def _edges(rgb, np, cv2):
    grey = cv2.GaussianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (0, 0), EDGE_SCALE_PX)
    return cv2.Laplacian(grey, cv2.CV_32F)


def measure(output, product_rgb, alpha, protect=None) -> FidelityReport:
    """Compare an output (uint8 RGB) with the placed product (float rgb/alpha on the canvas)."""
    import cv2
    import numpy as np
    out = output.astype(np.float32) / 255.0
    inside = _interior(alpha, np, cv2)
    if not inside.any():
        return FidelityReport(0.0, 0.0, 1.0, "kept")
    diff = np.abs(out - product_rgb).mean(axis=2)
    drift = float(diff[inside].mean())
    label = inside & (protect > 0.5) if protect is not None else np.zeros_like(inside)
    label_drift = float(diff[label].mean()) if label.any() else 0.0
    g_out = _edges(out, np, cv2)
    g_ref = _edges(product_rgb.astype(np.float32), np, cv2)
    a, b = g_out[inside], g_ref[inside]
    a, b = a - a.mean(), b - b.mean()
    denom = float(np.sqrt((a * a).sum() * (b * b).sum()))
    structure = float((a * b).sum() / denom) if denom > 1e-9 else 1.0
    return FidelityReport(drift, label_drift, structure, "kept")


def enforce(output, product_rgb, alpha, protect=None):
    """Return (image, report): restored when drifted, ``ProductRedrawn`` when unrecognisable."""
    import numpy as np
    report = measure(output, product_rgb, alpha, protect)
    if report.structure < MIN_STRUCTURE:
        raise ProductRedrawn(details=report.to_dict())
    if report.drift <= MAX_DRIFT and report.label_drift <= MAX_LABEL_DRIFT:
        return output, report
    a = alpha[..., None]
    fixed = output.astype(np.float32) / 255.0 * (1 - a) + product_rgb * a
    fixed = np.clip(fixed * 255.0 + 0.5, 0, 255).astype(np.uint8)
    after = measure(fixed, product_rgb, alpha, protect)
    return fixed, FidelityReport(report.drift, report.label_drift, after.structure, "restored")
