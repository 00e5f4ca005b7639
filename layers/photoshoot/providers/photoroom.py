"""Photoroom Image Editing API (``POST /v2/edit``): AI background around the kept product.

We send the cut-out already laid out at the exact output size (``referenceBox=
originalImage``, background removal off), so the product stays where our layout put it and
the shared fidelity check can verify it pixel by pixel.
"""
from __future__ import annotations

import time

from PIL import Image

from photoshoot.providers import remote
from photoshoot.providers.contract import (Analysis, Capabilities, GeneratedImage, ShotSpec,
                                           StyleSpec)
from photoshoot.providers.shots import build_shots
from photoshoot.providers.studio.provider import analyse_image

COST_MICRO_USD = 100_000      # Plus plan: $0.10 per image-editing call


class PhotoroomProvider:
    name = "photoroom"
    capabilities = Capabilities(preserves_product=True, mask=True, text_only=False, async_=False)

    def __init__(self, config: remote.RemoteConfig):
        self.config = config

    @classmethod
    def from_settings(cls) -> "PhotoroomProvider":
        return cls(remote.RemoteConfig.from_settings("PHOTOROOM"))

    def analyze(self, image: Image.Image) -> tuple[Analysis, Image.Image]:
        return analyse_image(image)

    def build_prompt(self, analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                     seed: int) -> list[ShotSpec]:
        return build_shots(analysis, style, format_id, count, seed)

    def request_fields(self, shot: ShotSpec) -> dict:
        return {
            "background.prompt": shot.prompt,
            "background.seed": str(shot.seed),
            "outputSize": f"{shot.width}x{shot.height}",
            "referenceBox": "originalImage",
            "removeBackground": "false",
            "shadow.mode": "ai.soft",
            "export.format": "png",
        }

    def render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> GeneratedImage:
        remote.require_key(self.config, self.name)
        started = time.perf_counter()
        canvas = remote.prepare_canvas(cutout, analysis, shot)
        resp = remote.call(
            "POST", f"{self.config.base_url}/v2/edit", timeout_s=self.config.timeout_s,
            provider=self.name, headers={"x-api-key": self.config.api_key,
                                         "Accept": "image/png, application/json"},
            data=self.request_fields(shot),
            files={"imageFile": ("product.png", remote.png_bytes(canvas.rgba), "image/png")})
        image, report = remote.checked_image(remote.decode_image(resp.content, self.name),
                                             canvas, shot)
        return GeneratedImage(image=image, provider=self.name,
                              latency_ms=int((time.perf_counter() - started) * 1000),
                              cost_micro_usd=COST_MICRO_USD, fidelity=report)
