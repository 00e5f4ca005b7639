"""The provider contract: typed values passed between Analyze, BuildPrompt and Render.

Everything here imports with Pillow only (no numpy/cv2), because the API and the state
machine payloads use these types. ``Analysis`` and ``ShotSpec`` travel through Step
Functions as JSON, so both round-trip through ``to_dict``/``from_dict`` and stay small.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Protocol, runtime_checkable

from PIL import Image

ANALYSIS_VERSION = 1


def _known(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass(frozen=True)
class Analysis:
    """What the renderer needs to know about a product; JSON-safe and < 4 KB.

    Boxes are ``[x, y, w, h]`` normalised to the cut-out (0..1). ``bbox`` is the product's
    box in the uploaded photo, normalised to that photo.
    """
    source_width: int
    source_height: int
    cutout_width: int
    cutout_height: int
    bbox: tuple[float, float, float, float]
    shape: str                      # bottle | jar | box | shoe | flat | tall | round
    aspect: float                   # product height / width
    fill_ratio: float               # mask area / bbox area
    base_width_ratio: float         # width of the bottom row band / max width
    palette: tuple[str, ...]        # hex colours, most frequent first
    palette_weights: tuple[float, ...]
    brightness: float               # mean luma of the product, 0..1
    saturation: float               # mean HSV saturation, 0..1
    glossiness: float               # share of specular highlight pixels, 0..1
    product_share: float            # mask area / photo area
    text_regions: tuple[tuple[float, float, float, float], ...]
    mask_quality: float             # 0..1, below the threshold the cut-out is refused
    version: int = ANALYSIS_VERSION

    def to_dict(self) -> dict:
        data = asdict(self)
        data["bbox"] = [round(v, 4) for v in self.bbox]
        data["palette"] = list(self.palette)
        data["palette_weights"] = [round(v, 3) for v in self.palette_weights]
        data["text_regions"] = [[round(v, 4) for v in box] for box in self.text_regions]
        for key in ("aspect", "fill_ratio", "base_width_ratio", "brightness", "saturation",
                    "glossiness", "product_share", "mask_quality"):
            data[key] = round(float(data[key]), 4)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Analysis":
        data = _known(cls, data)
        data["bbox"] = tuple(float(v) for v in data["bbox"])
        data["palette"] = tuple(data.get("palette", ()))
        data["palette_weights"] = tuple(float(v) for v in data.get("palette_weights", ()))
        data["text_regions"] = tuple(tuple(float(v) for v in box)
                                     for box in data.get("text_regions", ()))
        return cls(**data)


@dataclass(frozen=True)
class StyleSpec:
    """A resolved style: a catalogue style or a user's own words mapped onto a scene."""
    style_id: str | None
    title: str
    prompt: str
    scene: str                              # id of a studio scene (see studio.scenes)
    tint: str | None = None                 # hex colour the user asked for ("розовый")
    props: tuple[str, ...] = ()             # prop kinds the user asked for ("flowers")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["props"] = list(self.props)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "StyleSpec":
        data = _known(cls, data)
        data["props"] = tuple(data.get("props", ()))
        return cls(**data)


@dataclass(frozen=True)
class ShotSpec:
    """One image to render: exact size, seed, style and the varied shot parameters."""
    index: int
    format_id: str
    width: int
    height: int
    seed: int
    style: StyleSpec
    prompt: str
    light_azimuth: float = -35.0     # degrees; 0 = light from the camera, <0 from the left
    light_elevation: float = 45.0    # degrees above the table
    composition: str = "center"      # center | left | right
    product_scale: float = 1.0       # multiplier on the format's default product size
    props_variant: int = 0           # which arrangement of props the scene draws
    camera: str = "eye"              # eye | high | top
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["style"] = self.style.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ShotSpec":
        data = _known(cls, data)
        data["style"] = StyleSpec.from_dict(data["style"])
        data["extra"] = dict(data.get("extra") or {})
        return cls(**data)


@dataclass(frozen=True)
class GeneratedImage:
    image: Image.Image              # RGB, exactly shot.width × shot.height
    provider: str
    latency_ms: int
    cost_micro_usd: int = 0
    fidelity: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Capabilities:
    """How a provider must be fed; callers decide on these flags, never on the name."""
    preserves_product: bool    # keeps the product pixels it is given
    mask: bool                 # accepts a mask protecting the product
    text_only: bool            # generates from text alone (background plates)
    async_: bool               # start_render + poll_render instead of render


@runtime_checkable
class Provider(Protocol):
    name: str
    capabilities: Capabilities

    def analyze(self, image: Image.Image) -> tuple[Analysis, Image.Image]: ...

    def build_prompt(self, analysis: Analysis, style: StyleSpec, format_id: str, count: int,
                     seed: int) -> list[ShotSpec]: ...

    def render(self, cutout: Image.Image, analysis: Analysis,
               shot: ShotSpec) -> GeneratedImage: ...


@runtime_checkable
class AsyncProvider(Provider, Protocol):
    def start_render(self, cutout: Image.Image, analysis: Analysis, shot: ShotSpec) -> str: ...

    def poll_render(self, job_id: str, cutout: Image.Image, analysis: Analysis,
                    shot: ShotSpec) -> GeneratedImage | None: ...
