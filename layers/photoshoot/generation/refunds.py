"""Refunds: a failed, cancelled or timed-out generation gets its photoshoot back exactly once.

Whoever gets there first — the Fail step, the Cancel API or the Reconcile Lambda — applies
one ``BalanceChange`` with the ledger entry ``refund#<generation_id>``; the same transaction
moves the Generation from queued/running to failed or cancelled. The others find the entry
(or a finished generation) and change nothing. A succeeded generation is never refunded.
"""
from __future__ import annotations

from photoshoot import realtime, storage
from photoshoot.billing import BalanceChange, TransactionConflict, apply_balance_change
from photoshoot.errors import NotFound, PhotoshootError, ProviderError
from photoshoot.generation.records import ACTIVE, get_generation
from photoshoot.generation.status import CANCELLED_MESSAGE, publish_status
from photoshoot.models import Generation
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger

REFUNDED_NOTE = "Фотосессия вернулась на баланс."


def failure_message(error: PhotoshootError) -> str:
    """What the seller reads about a failed photoshoot — what went wrong, that it is back on
    the balance, what to do next. Composed only here: the SPA and the bot show it as it is."""
    return " ".join(part for part in (error.message, REFUNDED_NOTE, error.advice) if part)


def _finish_without_account(user_id: str, generation_id: str, actions: list,
                            reason: str) -> None:
    from pynamodb.exceptions import UpdateError  # noqa: PLC0415

    try:
        Generation(user_id, generation_id).update(actions=actions,
                                                  condition=Generation.status.is_in(*ACTIVE))
    except UpdateError:
        pass  # finished, or removed with the account
    logger.warning("generation of a removed account ended without a refund",
                   extra={"generation_id": generation_id, "reason": reason})


def refund_generation(user_id: str, generation_id: str, reason: str, *,
                      status: str = "failed", error: PhotoshootError | None = None) -> bool:
    """Refund the generation's photoshoot and mark it ``status`` (failed | cancelled).

    True when this call refunded; False when it was refunded before or had already
    finished. The new state is pushed to the user's sockets.
    """
    now = utc_now_iso()
    actions = [Generation.status.set(status), Generation.updated_at.set(now),
               Generation.finished_at.set(now), Generation.eta_s.remove()]
    if status == "cancelled":
        actions.append(Generation.message.set(CANCELLED_MESSAGE))
    else:
        error = error or ProviderError()
        actions += [Generation.message.set(failure_message(error)),
                    Generation.error_code.set(error.code),
                    Generation.error_message.set(failure_message(error))]
    # A refunded photoshoot delivers nothing: the shots done before it stopped go too.
    actions.append(Generation.images.set([]))

    def mark_finished(transaction) -> None:
        transaction.update(Generation(user_id, generation_id), actions=actions,
                           condition=Generation.status.is_in(*ACTIVE))

    change = BalanceChange(user_id, f"refund#{generation_id}", +1, "refund", generation_id,
                           note=reason[:200], spent_delta=-1, extra=(mark_finished,))
    try:
        applied = apply_balance_change(change)
    except TransactionConflict:
        applied = False  # the generation finished (or was deleted) before: nothing to refund
    except NotFound:
        # The account was removed (by hand) while its photoshoot ran: no balance to return it
        # to. The generation still ends, or Reconcile and the Fail step would fail on it again
        # and again.
        _finish_without_account(user_id, generation_id, actions, reason)
        return False
    logger.info("generation refund", extra={"generation_id": generation_id, "reason": reason,
                                            "refunded": applied, "status": status})
    if applied:
        try:
            publish_status(get_generation(user_id, generation_id, consistent=True))
        except PhotoshootError:
            pass
        realtime.push_balance(user_id)  # the header still shows the charged balance
        try:
            storage.delete_prefix(storage.results_prefix(user_id, generation_id))
        except Exception:  # noqa: BLE001 - unlisted; a shot finishing later removes its own
            logger.warning("results of a refunded generation not removed",
                           extra={"generation_id": generation_id}, exc_info=True)
        if status == "failed" and reason != "start_failed":  # start_failed: the caller says it
            from photoshoot.telegram.generation_notifications import (  # noqa: PLC0415
                generation_failed)

            generation_failed(user_id, generation_id)
        elif status == "cancelled":  # on the site or in the bot: a bot chat hears it once
            from photoshoot.telegram.generation_notifications import (  # noqa: PLC0415
                generation_cancelled)

            generation_cancelled(user_id, generation_id)
    return applied
