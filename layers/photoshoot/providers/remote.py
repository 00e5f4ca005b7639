"""HTTP plumbing shared by remote providers: timeouts, named transient errors, canvases.

Transient failures (timeouts, connection errors, 429, 5xx) raise ``ProviderTimeout`` or
``ProviderUnavailable`` so the state machine's Retry can route on them; anything else the
provider said no to raises ``ProviderError``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from photoshoot.errors import ProviderError, ProviderTimeout, ProviderUnavailable
from photoshoot.providers.contract import Analysis, ShotSpec
from photoshoot.settings import get_settings

DEFAULT_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0


class ProviderRejectedRequest(ProviderError):
    code = "provider_rejected"
    message = "Сервис генерации отклонил запрос (например, из-за описания стиля)."
    advice = "Выберите другой стиль или опишите сцену иначе."


@dataclass(frozen=True)
class RemoteConfig:
    base_url: str
    api_key: str
    timeout_s: float = DEFAULT_TIMEOUT_S

    @staticmethod
    def from_settings(prefix: str) -> "RemoteConfig":
        """The provider's endpoint, key and timeout from the typed settings
        (``<PREFIX>_API_BASE``, ``<PREFIX>_API_KEY``, ``<PREFIX>_TIMEOUT_S``)."""
        configured = get_settings().remote_providers[prefix]
        return RemoteConfig(base_url=configured.api_base, api_key=configured.api_key,
                            timeout_s=configured.timeout_s)


def call(method: str, url: str, *, timeout_s: float, provider: str, **kwargs):
    """One HTTP call with the errors mapped; returns the ``requests.Response`` (2xx only)."""
    import requests
    try:
        resp = requests.request(method, url, timeout=(CONNECT_TIMEOUT_S, timeout_s), **kwargs)
    except requests.Timeout as exc:
        raise ProviderTimeout(details={"provider": provider}) from exc
    except requests.ConnectionError as exc:
        raise ProviderUnavailable(details={"provider": provider}) from exc
    if resp.status_code == 429 or resp.status_code >= 500:
        raise ProviderUnavailable(details={"provider": provider, "status": resp.status_code})
    if resp.status_code in (401, 403):
        raise ProviderError(details={"provider": provider, "status": resp.status_code,
                                     "reason": "unauthorised"})
    if resp.status_code == 402:
        raise ProviderError(details={"provider": provider, "status": 402, "reason": "no_credits"})
    if resp.status_code >= 400:
        raise ProviderRejectedRequest(details={"provider": provider, "status": resp.status_code,
                                               "body": resp.text[:300]})
    return resp


def require_key(config: RemoteConfig, provider: str) -> None:
    if not config.api_key:
        raise ProviderError(details={"provider": provider, "reason": "api_key_missing"})


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=3)
    return buf.getvalue()


def decode_image(data: bytes, provider: str) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as exc:    # a provider returned something that is not an image
        raise ProviderError(details={"provider": provider, "reason": "not_an_image"}) from exc
    return img.convert("RGB")


def fit_exact(image: Image.Image, width: int, height: int) -> Image.Image:
    """Cover-crop and resize to exactly width×height."""
    from PIL import ImageOps
    if image.size == (width, height):
        return image
    return ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS)


@dataclass(frozen=True)
class PreparedCanvas:
    """The cut-out laid out at the shot's exact size, and what fidelity needs to check it."""
    rgba: Image.Image
    product_rgb: object      # numpy float32 H×W×3
    alpha: object            # numpy float32 H×W
    protect: object          # numpy float32 H×W


def prepare_canvas(cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> PreparedCanvas:
    import numpy as np

    from photoshoot.providers.studio.compositor import layout_for, place_on_canvas
    rgba = np.asarray(cutout.convert("RGBA"))
    placement = layout_for(rgba, analysis, shot)
    placed = place_on_canvas(rgba, placement, shot.width, shot.height, analysis.text_regions)
    canvas = np.dstack([placed.rgb, placed.alpha]) * 255.0 + 0.5
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8), "RGBA")
    return PreparedCanvas(image, placed.rgb, placed.alpha, placed.protect)


def checked_image(image: Image.Image, canvas: PreparedCanvas, shot: ShotSpec):
    """Exact size, then the shared fidelity check; returns (PIL image, report dict)."""
    import numpy as np

    from photoshoot.providers import fidelity
    image = fit_exact(image, shot.width, shot.height)
    out, report = fidelity.enforce(np.asarray(image), canvas.product_rgb, canvas.alpha,
                                   canvas.protect)
    return Image.fromarray(out, "RGB"), report.to_dict()
