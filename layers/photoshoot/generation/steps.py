"""What each state of the ``generation`` state machine does. One function per state; the
Lambda handlers in ``functions/generation_steps.py`` only unpack the event and call these.

Payloads between states stay small: ids, indexes and flags. Images live in S3 (the cut-out
is written once by Analyze and read once per Render invocation), the analysis and the shot
specs on the Generation item. Every state writes ``status/step/progress/message/eta_s`` to
the Generation under the condition that it is still running (a cancelled generation is
never revived) and then pushes the new state to the user's sockets.
"""
from __future__ import annotations

import hashlib
import io
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from photoshoot import analytics, errors, storage
from photoshoot.generation import analysis_cache, eta
from photoshoot.generation.records import (ACTIVE, GenerationStopped, get_generation,
                                           images_of, returned_images, update_generation)
from photoshoot.generation.refunds import refund_generation
from photoshoot.generation.results import store_result
from photoshoot.generation.status import progress_for, publish_status, step_message
from photoshoot.generation.styles import catalogue_style_dict
from photoshoot.models import Generation
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.settings import get_settings

MAX_POLLS = 120  # async providers: Wait + PollRender at most this many times per image


def _ids(event: dict) -> tuple[str, str]:
    return str(event["user_id"]), str(event["generation_id"])


# What Analyze, BuildPrompt and Render read: all but the growing image list and timings.
_STEP_ATTRIBUTES = tuple(attribute.attr_name for name, attribute
                         in Generation.get_attributes().items()
                         if name not in ("images", "timings"))


def _load_running(user_id: str, generation_id: str,
                  attributes: tuple[str, ...] | None = _STEP_ATTRIBUTES) -> Generation:
    generation = get_generation(user_id, generation_id, consistent=True,
                                attributes=attributes)
    if generation.status not in ACTIVE:
        raise GenerationStopped()
    return generation


def _is_condition_failure(error: Exception) -> bool:
    return "ConditionalCheckFailed" in f"{error} {getattr(error, 'cause', '')}"


def _update_running(generation: Generation, actions: list, returning: bool = False,
                    **local) -> dict:
    """Write while the generation is still queued/running, or raise GenerationStopped.
    ``local``: the plain values written, mirrored on the object (see update_generation)."""
    from pynamodb.exceptions import UpdateError  # noqa: PLC0415

    now = utc_now_iso()
    try:
        return update_generation(generation, actions + [Generation.updated_at.set(now)],
                                 condition=Generation.status.is_in(*ACTIVE),
                                 returning=returning, updated_at=now, **local)
    except UpdateError as error:
        if _is_condition_failure(error):
            raise GenerationStopped() from None
        raise


def _state_actions(values: dict) -> list:
    return [getattr(Generation, name).set(value) for name, value in values.items()]


def _concurrency() -> int:
    return max(1, get_settings().render_max_concurrency)


def _advance(generation: Generation, step: str, extra: list | None = None,
             images_done: int = 0, **local) -> None:
    """Write ``step`` as the current state (with ``extra`` actions; ``local``: plain values
    among them, mirrored on the object) and push it."""
    count = int(generation.image_count or 1)
    state = {"status": "running", "step": step,
             "progress": progress_for(step, images_done, count),
             "message": step_message(step, images_done, count),
             "eta_s": eta.remaining_seconds(local.get("provider") or generation.provider
                                            or "studio", step, images_done, count,
                                            _concurrency())}
    _update_running(generation, _state_actions(state) + list(extra or []), **state, **local)
    publish_status(generation, images=[])


def _provider(generation: Generation):
    from photoshoot.providers.registry import get_provider  # noqa: PLC0415

    return get_provider(generation.provider or None)


def _analysis(generation: Generation):
    from photoshoot.providers.contract import Analysis  # noqa: PLC0415

    return Analysis.from_dict(dict(generation.analysis or {}))


def _shot(generation: Generation, index: int):
    from photoshoot.providers.contract import ShotSpec  # noqa: PLC0415

    prompts = generation.prompts or []
    if not 0 <= index < len(prompts):
        raise errors.ProviderError(details={"reason": "no_shot_spec", "index": index})
    return ShotSpec.from_dict(dict(prompts[index]))


# The work cut-out is written once and read by every Render invocation, inside the region:
# uncompressed-fast TIFF (PackBits, lossless, keeps alpha) costs ~4 ms to write and read
# where PNG costs ~20 ms, for a few hundred KB more on an S3 transfer. The suggestions'
# cut-out stays PNG: browsers show it.
WORK_CUTOUT_CONTENT_TYPE = "image/tiff"


def work_cutout_bytes(cutout) -> bytes:
    buffer = io.BytesIO()
    cutout.save(buffer, "TIFF", compression="packbits")
    return buffer.getvalue()


def _load_cutout(generation: Generation):
    return _decoded_cutout(generation.cutout_key).copy()


@lru_cache(maxsize=2)
def _decoded_cutout(key: str):
    """A generation's cut-out never changes once written, so a warm Render Lambda that runs
    several shots of the same photoshoot decodes it once (callers get a copy)."""
    from PIL import Image  # noqa: PLC0415

    image = Image.open(io.BytesIO(storage.get_bytes(key)))
    image.load()
    return image


def _elapsed(started: float) -> float:
    return round(time.monotonic() - started, 3)


# --- Analyze -------------------------------------------------------------------------------
def analyze(event: dict) -> dict:
    """Cut the product out of the validated upload and describe it."""
    from photoshoot.uploads import read_checked_upload  # noqa: PLC0415

    started = time.monotonic()
    user_id, generation_id = _ids(event)
    generation = _load_running(user_id, generation_id)
    provider = _provider(generation)
    upload_id, original_key = generation.upload_id or "", generation.original_key
    # The seller's "analysing" status (a write and a push: round trips, not compute) goes
    # out while the photo is read and analysed; the result is written only after it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="analyze-status") as side:
        announced = side.submit(_advance, generation, "analyze")
        cached = analysis_cache.load(user_id, upload_id, provider.name)
        if cached is not None:  # the style suggestions analysed this upload already
            analysis, key = cached
        else:
            analysis, cutout = provider.analyze(read_checked_upload(original_key))
            key = storage.cutout_key(user_id, generation_id)
            storage.put_bytes(key, work_cutout_bytes(cutout), WORK_CUTOUT_CONTENT_TYPE)
        announced.result()  # a cancellation seen by that write stops this step here
    # The result is written with the next step's state: the scene is planned from here on.
    _advance(generation, "prompt", extra=[Generation.analysis.set(analysis.to_dict()),
                                          Generation.cutout_key.set(key),
                                          Generation.provider.set(provider.name),
                                          Generation.timings.set({
                                              "analyze": _elapsed(started),
                                              "analyze_reused": 1 if cached is not None
                                              else 0})],
             cutout_key=key, provider=provider.name)
    logger.info("analyzed", extra={"generation_id": generation_id, "shape": analysis.shape,
                                   "reused": cached is not None, "seconds": _elapsed(started)})
    return {"user_id": user_id, "generation_id": generation_id,
            "async": bool(provider.capabilities.async_)}


# --- BuildPrompt ---------------------------------------------------------------------------
def shot_seed(generation_id: str) -> int:
    """Stable per generation: a retried BuildPrompt plans the very same shots."""
    return int.from_bytes(hashlib.sha256(generation_id.encode()).digest()[:4], "big")


def build_prompt(event: dict) -> dict:
    """Plan N shots for the style and format; returns the items of the Render Map."""
    from photoshoot.providers.registry import style_spec_for  # noqa: PLC0415

    started = time.monotonic()
    user_id, generation_id = _ids(event)
    generation = _load_running(user_id, generation_id)  # Analyze announced "prompt"
    provider = _provider(generation)
    style = style_spec_for(catalogue_style_dict(generation.style_id),
                           generation.custom_prompt)
    shots = provider.build_prompt(_analysis(generation), style, generation.format,
                                  int(generation.image_count), shot_seed(generation_id))
    _advance(generation, "generate", extra=[
        Generation.prompts.set([shot.to_dict() for shot in shots]),
        Generation.timings["prompt"].set(_elapsed(started)),
        Generation.timings["render_started"].set(round(time.time(), 3))])
    is_async = bool(provider.capabilities.async_)
    return {"user_id": user_id, "generation_id": generation_id, "async": is_async,
            "max_concurrency": _concurrency(),
            "shots": [{"user_id": user_id, "generation_id": generation_id,
                       "index": shot.index, "async": is_async} for shot in shots]}


# --- Render (one Map iteration) --------------------------------------------------------------
def _image_done(generation: Generation, index: int, image, latency_ms: int) -> dict:
    """Store a finished image, add it to the Generation and push it at once."""
    from pynamodb.exceptions import UpdateError  # noqa: PLC0415

    record = store_result(generation.user_id, generation.generation_id, index, image)
    record["latency_ms"] = int(latency_ms)
    try:
        written = _update_running(
            generation, [Generation.images.set(Generation.images.append([record]))],
            returning=True)
    except GenerationStopped:
        # Cancelled or deleted while this shot rendered: a deletion has already emptied the
        # results prefix, and nothing else would ever remove these two objects.
        for key in (record["key"], record["thumb_key"]):
            storage.delete_key(key)
        raise
    count = int(generation.image_count or 1)
    # a retried Render may have appended its index twice
    done = len({int(image["index"]) for image in returned_images(written)})
    progress = progress_for("generate", done, count)
    state = {"progress": progress, "message": step_message("generate", done, count),
             "eta_s": eta.remaining_seconds(generation.provider or "studio", "generate",
                                            done, count, _concurrency())}
    try:  # progress only moves forward when two Render iterations finish together
        update_generation(generation, _state_actions(state),
                          condition=Generation.status.is_in(*ACTIVE)
                          & (Generation.progress < progress), **state)
    except UpdateError as error:
        if not _is_condition_failure(error):
            raise
        current = get_generation(generation.user_id, generation.generation_id,
                                 consistent=True,
                                 attributes=("status", "progress", "message", "eta_s"))
        if current.status not in ACTIVE:
            raise GenerationStopped() from None
        generation.progress, generation.message, generation.eta_s = (
            current.progress, current.message, current.eta_s)
    publish_status(generation, images=[record])
    return record


def render(event: dict) -> dict:
    """Render one shot (synchronous providers)."""
    started = time.monotonic()
    user_id, generation_id = _ids(event)
    index = int(event["index"])
    generation = _load_running(user_id, generation_id)
    provider = _provider(generation)
    result = provider.render(_load_cutout(generation), _analysis(generation),
                             _shot(generation, index))
    latency_ms = int((time.monotonic() - started) * 1000)
    _image_done(generation, index, result.image, latency_ms)
    logger.info("rendered", extra={"generation_id": generation_id, "index": index,
                                   "latency_ms": latency_ms,
                                   "renderer_ms": result.latency_ms})
    return {"index": index, "latency_ms": latency_ms}


def start_render(event: dict) -> dict:
    """Submit one shot to an asynchronous provider; the state machine then polls."""
    user_id, generation_id = _ids(event)
    index = int(event["index"])
    generation = _load_running(user_id, generation_id)
    provider = _provider(generation)
    job_id = provider.start_render(_load_cutout(generation), _analysis(generation),
                                   _shot(generation, index))
    return {"user_id": user_id, "generation_id": generation_id, "index": index,
            "async": True, "job_id": str(job_id), "polls": 0, "done": False,
            "started_at": round(time.time(), 3)}


def poll_render(event: dict) -> dict:
    """Ask an asynchronous provider whether the shot is ready; store it when it is."""
    user_id, generation_id = _ids(event)
    index = int(event["index"])
    polls = int(event.get("polls") or 0) + 1
    generation = _load_running(user_id, generation_id)
    provider = _provider(generation)
    result = provider.poll_render(str(event["job_id"]), _load_cutout(generation),
                                  _analysis(generation), _shot(generation, index))
    if result is None:
        if polls >= MAX_POLLS:
            raise errors.ProviderTimeout(details={"job_id": str(event["job_id"]), "polls": polls})
        return {**event, "polls": polls, "done": False}
    latency_ms = int((time.time() - float(event.get("started_at") or time.time())) * 1000)
    _image_done(generation, index, result.image, latency_ms)
    return {"user_id": user_id, "generation_id": generation_id, "index": index,
            "async": True, "done": True, "polls": polls}


# --- Finalize --------------------------------------------------------------------------------
def finalize(event: dict) -> dict:
    """All shots are in: mark succeeded, learn the step durations for ETAs, tidy up."""
    started = time.monotonic()
    user_id, generation_id = _ids(event)
    generation = _load_running(user_id, generation_id, attributes=None)
    images = images_of(generation)
    count = int(generation.image_count or 0)
    if len(images) < count:
        raise errors.ProviderError(details={"reason": "images_missing", "rendered": len(images),
                                              "expected": count})
    timings = dict(generation.timings.as_dict() if generation.timings else {})
    render_started = float(timings.pop("render_started", 0) or 0)
    latencies = sorted(int(image.get("latency_ms") or 0) for image in images)
    state = {"status": "succeeded", "step": "done", "progress": 100,
             "message": step_message("done", 0, count), "images": images,
             "finished_at": utc_now_iso()}
    _update_running(generation, _state_actions(state) + [
        Generation.eta_s.remove(),
        Generation.timings["generate"].set(round(time.time() - render_started, 3)
                                           if render_started else 0),
        Generation.timings["finalize"].set(_elapsed(started))], eta_s=None, **state)
    # _update_running is conditional on "running": reaching here means succeeded just now.
    publish_status(generation)  # the seller first; the bookkeeping below can wait
    analytics.record("generation_complete", user_id)
    from photoshoot.telegram.generation_notifications import (  # noqa: PLC0415
        generation_succeeded)

    generation_succeeded(generation)  # the bot's album / «готово»; never raises
    durations = {"prompt": timings.get("prompt"), "finalize": _elapsed(started)}
    if not timings.get("analyze_reused"):  # a reused analysis says nothing about its cost
        durations["analyze"] = timings.get("analyze")
    if latencies:
        durations["render"] = latencies[len(latencies) // 2] / 1000
    eta.record_durations(generation.provider or "studio", durations)
    try:
        storage.delete_prefix(storage.work_prefix(user_id, generation_id))
    except Exception:  # noqa: BLE001 - the work/ lifecycle rule removes leftovers
        logger.warning("work files not removed", extra={"generation_id": generation_id})
    logger.info("generation succeeded", extra={"generation_id": generation_id,
                                               "images": len(images)})
    return {"user_id": user_id, "generation_id": generation_id, "status": "succeeded",
            "images": len(images)}


# --- Fail ----------------------------------------------------------------------------------
def _error_classes() -> dict[str, type]:
    """Every PhotoshootError class by name, including those defined next to the code that
    raises them (uploads, fidelity, remote providers)."""
    from photoshoot import uploads  # noqa: F401, PLC0415
    from photoshoot.providers import fidelity, remote  # noqa: F401, PLC0415

    found: dict[str, type] = {}
    pending = [errors.PhotoshootError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.__name__, cls)
        pending.extend(cls.__subclasses__())
    return found


def error_for(name: str | None) -> errors.PhotoshootError:
    """The domain error a Catch delivered by name (unknown names: a provider failure)."""
    cls = _error_classes().get(str(name or ""))
    if isinstance(cls, type) and issubclass(cls, errors.PhotoshootError) and cls.status >= 400:
        if cls in (errors.ProviderTimeout, errors.ProviderUnavailable):
            # Retries are exhausted: say so rather than "trying again".
            return errors.ProviderError("Сервис генерации так и не ответил.",
                                        advice="Попробуйте чуть позже.")
        return cls()
    return errors.ProviderError()


def fail(event: dict) -> dict:
    """Catch target: mark the generation failed and refund it (once, whoever is first)."""
    user_id, generation_id = _ids(event)
    caught = event.get("error") or {}
    name = caught.get("Error") if isinstance(caught, dict) else None
    refunded = refund_generation(user_id, generation_id, f"step_failed:{name}",
                                 error=error_for(name))
    logger.info("generation failed", extra={"generation_id": generation_id, "error": name,
                                            "refunded": refunded})
    return {"generation_id": generation_id, "refunded": refunded, "error": name}
