"""The embedded default provider: everything offline on the Lambda's CPU."""
from __future__ import annotations

import time

from PIL import Image

from photoshoot.providers.contract import (Analysis, Capabilities, GeneratedImage, ShotSpec,
                                           StyleSpec)
from photoshoot.providers.shots import build_shots


def to_rgb_array(image: Image.Image):
    import numpy as np
    from PIL import ImageOps
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # A transparent upload: flatten on white so the model sees a plain background.
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        image = flat
    return np.asarray(image.convert("RGB"))


def analyse_image(image: Image.Image) -> tuple[Analysis, Image.Image]:
    """Cut the product out and describe it; raises ``LowMaskQuality`` on a poor cut-out."""
    from photoshoot.providers.studio.analysis import analyse_cutout
    from photoshoot.providers.studio.cutout import cut_out
    cut = cut_out(to_rgb_array(image))
    analysis = analyse_cutout(cut.rgba, cut.source_size, cut.box, cut.quality)
    return analysis, Image.fromarray(cut.rgba, "RGBA")


class StudioProvider:
    name = "studio"
    capabilities = Capabilities(preserves_product=True, mask=True, text_only=False,
                                async_=False)

    def analyze(self, image: Image.Image) -> tuple[Analysis, Image.Image]:
        return analyse_image(image)

    def warm_up(self) -> None:
        """Import the renderer, load the saliency model and run it twice now rather than
        in the first photoshoots (a long-running process calls this once, off the request
        path): onnxruntime sizes its memory on the first two runs (measured: 320 and 235 ms
        with ~60 000 page faults each, then 190 ms with none)."""
        import numpy as np

        from photoshoot.providers import fidelity  # noqa: F401
        from photoshoot.providers.studio import analysis, compositor, cutout  # noqa: F401
        from photoshoot.providers.studio.saliency_model import INPUT_SIZE, predict_saliency

        blank = np.full((INPUT_SIZE, INPUT_SIZE, 3), 128, np.uint8)
        for _ in range(2):
            predict_saliency(blank)

    def build_prompt(self, analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                     seed: int) -> list[ShotSpec]:
        return build_shots(analysis, style, format_id, count, seed)

    def render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> GeneratedImage:
        import numpy as np

        from photoshoot.providers import fidelity
        from photoshoot.providers.studio.compositor import render_scene
        started = time.perf_counter()
        rgba = np.asarray(cutout.convert("RGBA"))
        out, product, _ = render_scene(rgba, analysis, shot)
        # The check compares the product's own window (the product is absent elsewhere).
        window = product.slices()
        checked, report = fidelity.enforce(out[window], product.crop_rgb, product.crop_alpha,
                                           product.crop_protect)
        if report.action == "restored":
            out[window] = checked
        image = Image.fromarray(out, "RGB")
        return GeneratedImage(image=image, provider=self.name,
                              latency_ms=int((time.perf_counter() - started) * 1000),
                              cost_micro_usd=0, fidelity=report.to_dict())
