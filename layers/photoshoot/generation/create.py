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


def create_generation(user_id: str, body: dict, source: str = "web") -> dict:
    """``{upload_id, style_id | saved_style_id | custom_prompt, format}`` → the new
    generation ``{generation_id, status}`` (HTTP 202)."""
    from photoshoot.ratelimit import hit  # noqa: PLC0415
    from photoshoot.uploads import ensure_validated_upload  # noqa: PLC0415
    from ulid import ULID  # noqa: PLC0415

    settings = get_settings()
    hit("generation", user_id, settings.generation_rate_per_minute, 60,
        message=(f"Не больше {settings.generation_rate_per_minute} генераций в минуту. "
                 "Подождите немного и попробуйте снова."))
    if not body.get("upload_id"):
        raise ValidationFailed("Сначала загрузите фото товара.")
    output_format = get_format(body.get("format"))
    style = choose_style(user_id, body)
    upload_key = ensure_validated_upload(user_id, str(body["upload_id"]))

    generation_id = str(ULID())
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
        apply_balance_change(BalanceChange(user_id, f"charge#{generation_id}", -1, "charge",
                                           generation_id, spent_delta=1,
                                           extra=(create_item,)))
    except InsufficientBalance:
        raise InsufficientBalance(details={"packages_url": PACKAGES_URL}) from None
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
