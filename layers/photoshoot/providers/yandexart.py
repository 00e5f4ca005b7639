"""YandexART (text-only, async): background plates that the studio puts the real product on.

YandexART never sees the product, so it cannot redraw it: it paints an empty scene from the
style's words, and the studio compositor places the cut-out with a contact shadow on it.
"""
from __future__ import annotations

import base64
import time

from PIL import Image

from photoshoot.errors import ProviderError
from photoshoot.providers import remote
from photoshoot.providers.contract import (Analysis, Capabilities, GeneratedImage, ShotSpec,
                                           StyleSpec)
from photoshoot.providers.shots import build_shots, light_words
from photoshoot.providers.studio.provider import analyse_image
from photoshoot.settings import get_settings

GENERATE_PATH = "/foundationModels/v1/imageGenerationAsync"
OPERATION_PATH = "/operations/"
COST_MICRO_USD = 25_000       # about 2 ₽ per image at list price


def plate_prompt(shot: ShotSpec) -> str:
    return (f"{shot.style.prompt}. Empty scene for a product photo, the surface in the lower "
            f"third is free and in focus, nothing in the centre, "
            f"{light_words(shot.light_azimuth, shot.light_elevation)}, photorealistic, "
            f"no objects in the middle, no text, no people")


class YandexArtProvider:
    name = "yandexart"
    capabilities = Capabilities(preserves_product=False, mask=False, text_only=True, async_=True)

    def __init__(self, config: remote.RemoteConfig, folder_id: str):
        self.config = config
        self.folder_id = folder_id

    @classmethod
    def from_settings(cls) -> "YandexArtProvider":
        return cls(remote.RemoteConfig.from_settings("YANDEX_ART"),
                   get_settings().yandex_art_folder_id)

    def analyze(self, image: Image.Image) -> tuple[Analysis, Image.Image]:
        return analyse_image(image)

    def build_prompt(self, analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                     seed: int) -> list[ShotSpec]:
        return build_shots(analysis, style, format_id, count, seed)

    def _headers(self) -> dict:
        return {"Authorization": f"Api-Key {self.config.api_key}",
                "x-folder-id": self.folder_id}

    def request_body(self, shot: ShotSpec) -> dict:
        from math import gcd
        g = gcd(shot.width, shot.height)
        return {
            "modelUri": f"art://{self.folder_id}/yandex-art/latest",
            "generationOptions": {"seed": str(shot.seed),
                                  "aspectRatio": {"widthRatio": str(shot.width // g),
                                                  "heightRatio": str(shot.height // g)}},
            "messages": [{"weight": "1", "text": plate_prompt(shot)[:500]}],
        }

    def render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> GeneratedImage:
        raise ProviderError(details={"provider": self.name,
                                     "reason": "asynchronous: use start_render and poll_render"})

    def start_render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> str:
        remote.require_key(self.config, self.name)
        resp = remote.call("POST", self.config.base_url + GENERATE_PATH,
                           timeout_s=self.config.timeout_s, provider=self.name,
                           headers=self._headers(), json=self.request_body(shot))
        job_id = (resp.json() or {}).get("id")
        if not job_id:
            raise ProviderError(details={"provider": self.name, "reason": "no_operation_id"})
        return str(job_id)

    def poll_render(self, job_id: str, cutout: Image.Image, analysis: Analysis,
                    shot: ShotSpec) -> GeneratedImage | None:
        remote.require_key(self.config, self.name)
        started = time.perf_counter()
        resp = remote.call("GET", self.config.base_url + OPERATION_PATH + job_id,
                           timeout_s=self.config.timeout_s, provider=self.name,
                           headers=self._headers())
        op = resp.json() or {}
        if not op.get("done"):
            return None
        if op.get("error"):
            raise remote.ProviderRejectedRequest(details={"provider": self.name,
                                                          "error": str(op["error"])[:300]})
        data = (op.get("response") or {}).get("image")
        if not data:
            raise ProviderError(details={"provider": self.name, "reason": "no_image"})
        plate = remote.decode_image(base64.b64decode(data), self.name)
        plate = remote.fit_exact(plate, shot.width, shot.height)
        return self._composite(plate, cutout, analysis, shot, started)

    def _composite(self, plate: Image.Image, cutout: Image.Image, analysis: Analysis,
                   shot: ShotSpec, started: float) -> GeneratedImage:
        import numpy as np

        from photoshoot.providers import fidelity
        from photoshoot.providers.studio.compositor import render_scene
        rgba = np.asarray(cutout.convert("RGBA"))
        out, product, _ = render_scene(rgba, analysis, shot, plate=np.asarray(plate))
        out, report = fidelity.enforce(out, product.rgb, product.alpha, product.protect)
        return GeneratedImage(image=Image.fromarray(out, "RGB"), provider=self.name,
                              latency_ms=int((time.perf_counter() - started) * 1000),
                              cost_micro_usd=COST_MICRO_USD, fidelity=report.to_dict())
