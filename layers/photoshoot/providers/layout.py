"""Where the product goes in a frame: one layout shared by every provider.

Remote providers get a canvas already laid out this way, so the fidelity check knows where
the product must be in their output.
"""
from __future__ import annotations

from dataclasses import dataclass

# Share of the frame height the product should take, by shape class.
_TARGET_HEIGHT = {"bottle": 0.62, "tall": 0.62, "box": 0.55, "jar": 0.46, "round": 0.48,
                  "shoe": 0.40, "flat": 0.30}
MAX_WIDTH_SHARE = 0.62
MAX_HEIGHT_SHARE = 0.68


@dataclass(frozen=True)
class Placement:
    x: int            # left of the cut-out image (not the tight product box) on the canvas
    y: int
    w: int            # size of the scaled cut-out image
    h: int
    base_y: int       # canvas row where the product touches the surface
    centre_x: int
    horizon_y: int    # where the table meets the wall

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def place_product(shape: str, cutout_size: tuple[int, int], width: int, height: int,
                  composition: str = "center", scale: float = 1.0, camera: str = "eye",
                  tight_box: tuple[int, int, int, int] | None = None) -> Placement:
    """Scale and position a cut-out of ``cutout_size`` (w, h) inside a width×height frame.

    ``tight_box`` is the product's own box inside the cut-out (x, y, w, h); the frame share
    is computed on it, so the cut-out's transparent margin does not count.
    """
    cw, ch = cutout_size
    tx, ty, tw, th = tight_box or (0, 0, cw, ch)
    target_h = _TARGET_HEIGHT.get(shape, 0.5) * height * scale
    if camera == "top":
        target_h *= 0.9
    k = target_h / th
    max_w = MAX_WIDTH_SHARE * width * (0.75 if width > 1.4 * height else 1.0)
    k = min(k, max_w / tw, MAX_HEIGHT_SHARE * height / th)
    pw, ph = tw * k, th * k
    anchor = {"center": 0.5, "left": 0.36, "right": 0.64}.get(composition, 0.5)
    if width > 1.4 * height:
        anchor = {"center": 0.5, "left": 0.32, "right": 0.68}.get(composition, 0.5)
    centre_x = anchor * width
    centre_x = min(max(centre_x, pw / 2 + 0.04 * width), width - pw / 2 - 0.04 * width)
    base_share = 0.86 if camera != "top" else 0.5 + ph / height / 2
    base_y = base_share * height
    if camera == "high":
        base_y = 0.88 * height
    top = base_y - ph
    if top < 0.05 * height:
        base_y += 0.05 * height - top
    x = round(centre_x - pw / 2 - tx * k)
    y = round(base_y - ph - ty * k)
    horizon = base_y - max(0.30 * height, 0.55 * ph) if camera != "high" else base_y - 0.5 * height
    return Placement(x=x, y=y, w=max(1, round(cw * k)), h=max(1, round(ch * k)),
                     base_y=round(base_y), centre_x=round(centre_x),
                     horizon_y=round(max(0.12 * height, horizon)))
