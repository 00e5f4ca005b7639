"""Create a generation: rate limit, validate the request and the upload, then one
transaction that charges one photoshoot (``balance >= 1``, ledger ``charge#<id>``) and
creates the Generation; then start its execution. Nothing is charged for a bad request or
a bad photo, and a start that fails is refunded at once."""
from __future__ import annotations

from photoshoot import analytics
from photoshoot.billing import BalanceChange, apply_balance_change
from photoshoot.errors import InsufficientBalance, ValidationFailed
from photoshoot.formats import get_format
from photoshoot.generation import eta, workflow
from photoshoot.generation.refunds import failure_message, refund_generation
from photoshoot.generation.status import progress_for, publish_status, step_message
from photoshoot.generation.styles import choose_style
from photoshoot.models import Generation
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.settings import get_settings

PACKAGES_URL = "/packages"
SOURCES = ("web", "bot")


def _at_most_per_minute(count: int) -> str:
    """«Не больше 1 фотосессии в минуту.», «… 10 фотосессий …» (genitive after «больше»)."""
    word = "фотосессии" if count % 10 == 1 and count % 100 != 11 else "фотосессий"
    return f"Не больше {count} {word} в минуту."


def request_generation_id(request_key: str, at_ms: int) -> str:
    """The same generation id for every delivery of one request (a Telegram button press
    Telegram delivers again after an error): its charge, ``charge#<id>``, is then taken once.
    ``at_ms``: a moment the request carries itself, so the id sorts by time like the rest."""
    import hashlib  # noqa: PLC0415

    from ulid import ULID  # noqa: PLC0415

    digest = hashlib.sha256(request_key.encode()).digest()
    return str(ULID.from_bytes(int(at_ms).to_bytes(6, "big") + digest[:10]))


def create_generation(user_id: str, body: dict, source: str = "web",
                      generation_id: str | None = None) -> dict:
    """``{upload_id, style_id | saved_style_id | custom_prompt, format}`` → the new
    generation ``{generation_id, status}`` (HTTP 202). ``generation_id``: given by a caller
    that may deliver the same request again (``request_generation_id``); a repeat charges
    nothing and answers the generation made the first time."""
    from photoshoot.ratelimit import hit  # noqa: PLC0415
    from photoshoot.uploads import ensure_validated_upload  # noqa: PLC0415
    from ulid import ULID  # noqa: PLC0415

    settings = get_settings()
    hit("generation", user_id, settings.generation_rate_per_minute, 60,
        message=(f"{_at_most_per_minute(settings.generation_rate_per_minute)} "
                 "Подождите немного и попробуйте снова."))
    if not body.get("upload_id"):
        raise ValidationFailed("Сначала загрузите фото товара.")
    output_format = get_format(body.get("format"))
    style = choose_style(user_id, body)
    upload_key = ensure_validated_upload(user_id, str(body["upload_id"]))

    generation_id = generation_id or str(ULID())
    count = settings.images_per_generation
    now = utc_now_iso()
    generation = Generation(
        user_id, generation_id, source=source if source in SOURCES else "web",
        upload_id=str(body["upload_id"]).upper(), original_key=upload_key,
        style_id=style.style_id, saved_style_id=style.saved_style_id,
        custom_prompt=style.custom_prompt, style_title=style.title,
        format=output_format.format_id, image_count=count, provider=settings.provider,
        status="queued", step="upload", progress=progress_for("upload"),
        message=step_message("upload"),
        eta_s=eta.remaining_seconds(settings.provider, "upload", 0, count,
                                    settings.render_max_concurrency),
        # the execution is named by the generation id: its ARN is known before it starts
        execution_arn=(workflow.execution_arn(generation_id)
                       if settings.state_machine_arn else None),
        images=[], timings={}, created_at=now, updated_at=now)

    def create_item(transaction) -> None:
        transaction.save(generation, condition=Generation.generation_id.does_not_exist())

    try:
        charged = apply_balance_change(BalanceChange(user_id, f"charge#{generation_id}", -1,
                                                     "charge", generation_id, spent_delta=1,
                                                     extra=(create_item,)))
    except InsufficientBalance:
        raise InsufficientBalance(details={"packages_url": PACKAGES_URL}) from None
    if not charged:
        return _repeated(user_id, generation_id)
    logger.info("generation charged", extra={"generation_id": generation_id,
                                             "format": output_format.format_id})
    # Start right after the charge, nothing in between: if this function stops before the
    # start (killed at its timeout), the generation stays queued with no execution, and
    # reading it refunds it (reconcile.settle_never_started).
    try:
        workflow.start(user_id, generation_id)
    except Exception:  # noqa: BLE001 - refund, then tell the seller kindly
        logger.exception("execution not started", extra={"generation_id": generation_id})
        unavailable = workflow.WorkflowUnavailable()
        refund_generation(user_id, generation_id, "start_failed", error=unavailable)
        raise workflow.WorkflowUnavailable(failure_message(unavailable)) from None
    publish_status(generation)  # clients keep the newest state if a step pushed first
    analytics.record("generation_start", user_id)
    return {"generation_id": generation_id, "status": "queued"}


def _repeated(user_id: str, generation_id: str) -> dict:
    """The same request again: its generation was created and charged the first time. The
    start is idempotent (the execution is named by the id), so make sure it happened."""
    from photoshoot.generation.records import get_generation, is_active  # noqa: PLC0415

    generation = get_generation(user_id, generation_id, consistent=True)
    logger.info("generation request repeated", extra={"generation_id": generation_id,
                                                      "status": generation.status})
    if is_active(generation):
        try:
            workflow.start(user_id, generation_id)
        except Exception:  # noqa: BLE001 - a read of it refunds it if it never starts
            logger.exception("execution not started on repeat",
                             extra={"generation_id": generation_id})
    return {"generation_id": generation_id, "status": generation.status}
