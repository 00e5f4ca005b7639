"""A small Telegram Bot API client over ``requests``.

``TELEGRAM_API_BASE`` switches between Telegram (``https://api.telegram.org``) and the local
sandbox (``<PUBLIC_BASE_URL>/sandbox/telegram``); the code path is the same. The bot token is
part of every URL, so errors raised from here never carry the URL or the transport
exception's text — only the method name and Telegram's own description.
"""
from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.settings import get_settings

DEFAULT_TIMEOUT_S = 10


class TelegramApiError(PhotoshootError):
    """The Bot API refused a call or could not be reached."""

    status = 502
    code = "telegram_error"
    message = "Telegram сейчас недоступен. Попробуйте ещё раз через минуту."

    def __init__(self, method: str, error_code: int | None = None, description: str = ""):
        super().__init__()
        self.method = method
        self.error_code = error_code
        self.description = description

    def __str__(self) -> str:  # never the URL: it contains the bot token
        return f"{self.method}: {self.error_code} {self.description}".strip()

    @property
    def permanent(self) -> bool:
        """A 4xx other than 429: asking again (or Telegram redelivering the update for a
        day) gets the same answer. Network errors, 429 and 5xx may pass."""
        return self.error_code is not None and 400 <= self.error_code < 500 \
            and self.error_code != 429


class BotForbidden(TelegramApiError):
    """403: the user never started the bot ("bot can't initiate conversation with a user")
    or blocked it. The bot cannot write to this chat until the user writes first."""


class FileTooBig(TelegramApiError):
    """A file to download is larger than the caller accepts."""


class BotApi:
    """``call(method, **params)`` → the ``result`` of Telegram's ``{ok, result}`` answer."""

    def __init__(self, token: str, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 session=None):
        if not token:
            raise ValueError("a bot token is required")
        self._token = token
        self._base = base_url.rstrip("/")
        self._timeout = timeout_s
        self._session = session

    def __repr__(self) -> str:
        return f"BotApi(base={self._base!r})"

    def _http(self):
        if self._session is None:
            import requests  # noqa: PLC0415 - only functions that talk to Telegram pay for it

            self._session = requests.Session()
        return self._session

    def call(self, method: str, **params: Any) -> Any:
        payload = {k: v for k, v in params.items() if v is not None}
        # One retry for "Too Many Requests" (with Telegram's retry_after) and for 5xx.
        for attempt in range(2):
            status, body = self._post(method, payload)
            if body.get("ok"):
                return body.get("result")
            error_code = body.get("error_code") or status
            retry_after = (body.get("parameters") or {}).get("retry_after")
            if attempt == 0 and (error_code == 429 or error_code >= 500):
                time.sleep(min(float(retry_after or 1), 3.0))
                continue
            error_class = BotForbidden if error_code == 403 else TelegramApiError
            raise error_class(method, error_code, str(body.get("description") or ""))
        raise TelegramApiError(method, None, "no answer")  # pragma: no cover - loop returns

    def _post(self, method: str, payload: dict) -> tuple[int, dict]:
        import requests  # noqa: PLC0415

        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = self._http().post(url, json=payload, timeout=self._timeout)
        except requests.RequestException:
            raise TelegramApiError(method, None, "network error") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if "ok" not in body:
            body = {"ok": False, "error_code": response.status_code,
                    "description": f"HTTP {response.status_code}"}
        return response.status_code, body

    # --- the methods the product uses ---------------------------------------------------
    def get_me(self) -> dict:
        return self.call("getMe")

    def set_webhook(self, url: str, secret_token: str,
                    allowed_updates: list[str] | None = None) -> bool:
        return self.call("setWebhook", url=url, secret_token=secret_token,
                         allowed_updates=allowed_updates, drop_pending_updates=False)

    # The bot's profile (photoshoot.telegram.bot_profile). An empty language_code is the
    # fallback for every language without its own; it is left out rather than sent empty.
    def get_my_commands(self, scope: dict, language_code: str = "") -> list[dict]:
        return self.call("getMyCommands", scope=scope, language_code=language_code or None)

    def set_my_commands(self, commands: list[dict], scope: dict,
                        language_code: str = "") -> bool:
        return self.call("setMyCommands", commands=commands, scope=scope,
                         language_code=language_code or None)

    def get_my_description(self, language_code: str = "") -> str:
        return (self.call("getMyDescription", language_code=language_code or None)
                or {}).get("description", "")

    def set_my_description(self, description: str, language_code: str = "") -> bool:
        return self.call("setMyDescription", description=description,
                         language_code=language_code or None)

    def get_my_short_description(self, language_code: str = "") -> str:
        return (self.call("getMyShortDescription", language_code=language_code or None)
                or {}).get("short_description", "")

    def set_my_short_description(self, short_description: str,
                                 language_code: str = "") -> bool:
        return self.call("setMyShortDescription", short_description=short_description,
                         language_code=language_code or None)

    def get_chat_menu_button(self) -> dict:
        """The bot's default menu button (no ``chat_id``: every private chat)."""
        return self.call("getChatMenuButton") or {}

    def set_chat_menu_button(self, menu_button: dict) -> bool:
        return self.call("setChatMenuButton", menu_button=menu_button)

    def send_message(self, chat_id: int | str, text: str, reply_markup: dict | None = None,
                     parse_mode: str | None = None) -> dict:
        return self.call("sendMessage", chat_id=chat_id, text=text, reply_markup=reply_markup,
                         parse_mode=parse_mode, disable_web_page_preview=True)

    def edit_message_text(self, chat_id: int | str, message_id: int, text: str,
                          reply_markup: dict | None = None) -> dict | None:
        """The message shows this text now; Telegram's "message is not modified" (the same
        button pressed twice, a redelivered press) is that too, not a failure."""
        try:
            return self.call("editMessageText", chat_id=chat_id, message_id=message_id,
                             text=text, reply_markup=reply_markup)
        except TelegramApiError as error:
            if error.error_code == 400 and "not modified" in error.description.lower():
                return None
            raise

    def answer_callback_query(self, callback_query_id: str, text: str | None = None,
                              show_alert: bool = False) -> bool:
        """Stops the button's spinner. Best effort: a press answered before (a redelivered
        update) or too old is refused with a 400 — the update must still be handled."""
        try:
            return bool(self.call("answerCallbackQuery", callback_query_id=callback_query_id,
                                  text=text, show_alert=show_alert or None))
        except TelegramApiError as error:
            if isinstance(error, BotForbidden) or error.error_code != 400:
                raise
            logger.info("callback query not answered", extra={"error": str(error)})
            return False

    def send_photo(self, chat_id: int | str, photo: str, caption: str | None = None,
                   reply_markup: dict | None = None) -> dict:
        return self.call("sendPhoto", chat_id=chat_id, photo=photo, caption=caption,
                         reply_markup=reply_markup)

    def send_media_group(self, chat_id: int | str, media: list[dict]) -> list[dict]:
        return self.call("sendMediaGroup", chat_id=chat_id, media=media)

    def send_invoice(self, chat_id: int | str, title: str, description: str, payload: str,
                     prices: list[dict], currency: str = "XTR",
                     provider_token: str = "") -> dict:
        return self.call("sendInvoice", chat_id=chat_id, title=title, description=description,
                         payload=payload, provider_token=provider_token, currency=currency,
                         prices=prices)

    def answer_pre_checkout_query(self, pre_checkout_query_id: str, ok: bool,
                                  error_message: str | None = None) -> bool:
        return self.call("answerPreCheckoutQuery", pre_checkout_query_id=pre_checkout_query_id,
                         ok=ok, error_message=error_message)

    def refund_star_payment(self, user_id: int, telegram_payment_charge_id: str) -> bool:
        return self.call("refundStarPayment", user_id=user_id,
                         telegram_payment_charge_id=telegram_payment_charge_id)

    def get_file(self, file_id: str) -> dict:
        """``{file_id, file_unique_id, file_size?, file_path}``; the path is valid ≥ 1 h."""
        return self.call("getFile", file_id=file_id)

    def download_file(self, file_path: str, max_bytes: int) -> bytes:
        """The file's bytes from ``<base>/file/bot<token>/<file_path>``. Raises
        ``FileTooBig`` past ``max_bytes`` without reading the rest."""
        import requests  # noqa: PLC0415

        url = f"{self._base}/file/bot{self._token}/{file_path.lstrip('/')}"
        try:
            with self._http().get(url, timeout=self._timeout, stream=True) as response:
                if response.status_code != 200:
                    raise TelegramApiError("file", response.status_code, "download failed")
                chunks, size = [], 0
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooBig("file", None, f"more than {max_bytes} bytes")
                    chunks.append(chunk)
        except requests.RequestException:
            raise TelegramApiError("file", None, "network error") from None
        return b"".join(chunks)


@lru_cache(maxsize=4)
def _bot_api(token: str, base_url: str) -> BotApi:
    return BotApi(token, base_url)


def bot_api() -> BotApi:
    """The bot of this environment (token and API base from settings), reused while warm."""
    settings = get_settings()
    return _bot_api(settings.telegram_bot_token, settings.telegram_api_base)
