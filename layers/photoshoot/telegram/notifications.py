"""Messages the bot sends on its own initiative (payment received, generation ready …).

A bot may write only to users who started it, so ``notify_user`` sends only when the user
has a ``bot_chat_id`` and treats Telegram's 403 ("bot can't initiate conversation", "bot was
blocked by the user") as "not delivered", never as a failure of the caller's flow.
"""
from __future__ import annotations

from photoshoot.observability import logger
from photoshoot.telegram.bot_api import BotForbidden, TelegramApiError, bot_api


def notify_user(user_id: str, text: str, reply_markup: dict | None = None) -> bool:
    """Send ``text`` to the user's chat with the bot. True if Telegram accepted it."""
    from photoshoot.models import User  # noqa: PLC0415

    try:
        chat_id = User.get(str(user_id), attributes_to_get=["bot_chat_id"]).bot_chat_id
    except User.DoesNotExist:
        return False
    if not chat_id:
        return False
    try:
        bot_api().send_message(int(chat_id), text, reply_markup=reply_markup)
        return True
    except BotForbidden:
        logger.info("bot cannot write to user", extra={"user_id": str(user_id)})
        return False
    except TelegramApiError as error:
        # A notification is best effort: the state it reports is already saved.
        logger.warning("notification not sent", extra={"user_id": str(user_id),
                                                       "telegram_error": error.error_code})
        return False
