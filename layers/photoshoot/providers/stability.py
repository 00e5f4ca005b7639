"""Stability AI "Replace Background and Relight" (async: start a job, poll its result).

``start_render`` posts the laid-out cut-out and returns the job id; ``poll_render`` returns
``None`` while the job runs (HTTP 202) and the checked image when it is done. The state
machine does the waiting (Wait + Choice); nothing here sleeps.
"""
from __future__ import annotations

import time

from PIL import Image

from photoshoot.errors import ProviderError
from photoshoot.providers import remote
from photoshoot.providers.contract import (Analysis, Capabilities, GeneratedImage, ShotSpec,
                                           StyleSpec)
from photoshoot.providers.shots import build_shots, product_words
from photoshoot.providers.studio.provider import analyse_image

EDIT_PATH = "/v2beta/stable-image/edit/replace-background-and-relight"
RESULT_PATH = "/v2beta/results/"
COST_MICRO_USD = 80_000       # 8 credits at $0.01


class StabilityProvider:
    name = "stability"
    capabilities = Capabilities(preserves_product=True, mask=False, text_only=False, async_=True)

    def __init__(self, config: remote.RemoteConfig):
        self.config = config

    @classmethod
    def from_settings(cls) -> "StabilityProvider":
        return cls(remote.RemoteConfig.from_settings("STABILITY"))

    def analyze(self, image: Image.Image) -> tuple[Analysis, Image.Image]:
        return analyse_image(image)

    def build_prompt(self, analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                     seed: int) -> list[ShotSpec]:
        return build_shots(analysis, style, format_id, count, seed)

    def request_fields(self, analysis: Analysis, shot: ShotSpec) -> dict:
        direction = "left" if shot.light_azimuth < -8 else "right" if shot.light_azimuth > 8 else "above"
        return {
            "background_prompt": shot.prompt,
            "foreground_prompt": product_words(analysis),
            "negative_prompt": "text, watermark, extra products, distorted label",
            "light_source_direction": direction,
            "light_source_strength": "0.35",
            "preserve_original_subject": "0.95",
            "original_background_depth": "0.5",
            "output_format": "png",
            "seed": str(shot.seed),
        }

    def render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> GeneratedImage:
        raise ProviderError(details={"provider": self.name,
                                     "reason": "asynchronous: use start_render and poll_render"})

    def start_render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> str:
        remote.require_key(self.config, self.name)
        canvas = remote.prepare_canvas(cutout, analysis, shot)
        resp = remote.call(
            "POST", self.config.base_url + EDIT_PATH, timeout_s=self.config.timeout_s,
            provider=self.name, headers={"Authorization": f"Bearer {self.config.api_key}",
                                         "Accept": "application/json"},
            data=self.request_fields(analysis, shot),
            files={"subject_image": ("product.png", remote.png_bytes(canvas.rgba), "image/png")})
        job_id = (resp.json() or {}).get("id")
        if not job_id:
            raise ProviderError(details={"provider": self.name, "reason": "no_job_id"})
        return str(job_id)

    def poll_render(self, job_id: str, cutout: Image.Image, analysis: Analysis,
                    shot: ShotSpec) -> GeneratedImage | None:
        remote.require_key(self.config, self.name)
        started = time.perf_counter()
        resp = remote.call(
            "GET", self.config.base_url + RESULT_PATH + job_id, timeout_s=self.config.timeout_s,
            provider=self.name, headers={"Authorization": f"Bearer {self.config.api_key}",
                                         "Accept": "image/*"})
        if resp.status_code == 202:
            return None
        if resp.headers.get("finish-reason", "SUCCESS") != "SUCCESS":
            raise remote.ProviderRejectedRequest(
                details={"provider": self.name, "finish_reason": resp.headers.get("finish-reason")})
        canvas = remote.prepare_canvas(cutout, analysis, shot)
        image, report = remote.checked_image(remote.decode_image(resp.content, self.name),
                                             canvas, shot)
        return GeneratedImage(image=image, provider=self.name,
                              latency_ms=int((time.perf_counter() - started) * 1000),
                              cost_micro_usd=COST_MICRO_USD, fidelity=report)
