"""A fake Telegram for unit tests: the Bot API answered in-process (``responses``), and
updates delivered to the bot webhook function the way Telegram delivers them."""
from __future__ import annotations

import itertools
import json
import re
import threading
import time

import pytest
import responses

from photoshoot.auth.telegram_login import login_widget_hash, webapp_hash

CODE = re.compile(r"\b(\d{6})\b")


class FakeBot:
    """Answers every Bot API method like Telegram; chats that never started the bot get
    403 "bot can't initiate conversation with a user". As strict as Telegram where the bot
    can trip: button data over 64 bytes, a press answered twice, an edit that changes
    nothing — each a 400."""

    def __init__(self, rsps: responses.RequestsMock, base: str, token: str):
        self.calls: list[tuple[str, dict]] = []
        self.closed_chats: set[int] = set()
        self.files: dict[str, bytes] = {}
        self.refunded: list[str] = []
        self.failing: set[str] = set()  # methods that answer 400
        self._answered: set[str] = set()
        self._shown: dict[tuple[int, int], tuple] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        rsps.add_callback(responses.POST, re.compile(re.escape(f"{base}/bot{token}/") + r"\w+"),
                          callback=self._answer)
        rsps.add_callback(responses.GET, re.compile(re.escape(f"{base}/file/bot{token}/") + ".+"),
                          callback=self._download)

    def _refused(self, method: str, params: dict) -> str | None:
        for row in (params.get("reply_markup") or {}).get("inline_keyboard") or []:
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > 64:
                    return "BUTTON_DATA_INVALID"
        with self._lock:
            if method == "answerCallbackQuery":
                if params.get("callback_query_id") in self._answered:
                    return ("query is too old and response timeout expired or query ID is "
                            "invalid")
                self._answered.add(params.get("callback_query_id"))
            if method == "editMessageText":
                key = (int(params["chat_id"]), int(params["message_id"]))
                shown = (params.get("text"), json.dumps(params.get("reply_markup"),
                                                        sort_keys=True))
                if self._shown.get(key) == shown:
                    return "message is not modified: specified new message content and " \
                           "reply markup are exactly the same"
                self._shown[key] = shown
        return None

    def add_file(self, data: bytes) -> str:
        """A file a person sent (a photo): its id for ``getFile``."""
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = data
        return file_id

    def _download(self, request):
        file_id = request.url.rsplit("/", 1)[1]
        if file_id not in self.files:
            return 404, {}, b"Not Found"
        return 200, {"Content-Type": "application/octet-stream"}, self.files[file_id]

    def _answer(self, request):
        method = request.url.rsplit("/", 1)[1]
        params = json.loads(request.body or b"{}")
        with self._lock:
            self.calls.append((method, params))
        chat_id = params.get("chat_id")
        if method in self.failing:
            return 400, {}, json.dumps({"ok": False, "error_code": 400,
                                        "description": "Bad Request: scripted failure"})
        refused = self._refused(method, params)
        if refused:
            return 400, {}, json.dumps({"ok": False, "error_code": 400,
                                        "description": f"Bad Request: {refused}"})
        if chat_id is not None and int(chat_id) in self.closed_chats:
            return 403, {}, json.dumps({"ok": False, "error_code": 403, "description":
                                        "Forbidden: bot can't initiate conversation with a user"})
        if method in ("sendMessage", "editMessageText"):
            result = {"message_id": params.get("message_id") or next(self._ids),
                      "chat": {"id": chat_id, "type": "private"}, "date": int(time.time()),
                      "text": params.get("text"), "reply_markup": params.get("reply_markup")}
        elif method == "getFile":
            if params.get("file_id") not in self.files:
                return 400, {}, json.dumps({"ok": False, "error_code": 400,
                                            "description": "Bad Request: invalid file_id"})
            result = {"file_id": params["file_id"], "file_unique_id": params["file_id"],
                      "file_size": len(self.files[params["file_id"]]),
                      "file_path": f"photos/{params['file_id']}"}
        elif method == "refundStarPayment":
            with self._lock:
                self.refunded.append(params["telegram_payment_charge_id"])
            result = True
        elif method in ("sendMediaGroup",):
            result = [{"message_id": next(self._ids), "chat": {"id": chat_id}}
                      for _ in params.get("media") or []]
        elif method in ("sendInvoice", "sendPhoto"):
            result = {"message_id": next(self._ids), "chat": {"id": chat_id, "type": "private"},
                      "date": int(time.time())}
        else:
            result = True
        return 200, {}, json.dumps({"ok": True, "result": result})

    def methods(self) -> list[str]:
        return [m for m, _ in self.calls]

    def of(self, method: str) -> list[dict]:
        return [p for m, p in self.calls if m == method]

    def sent(self, chat_id: int, method: str = "sendMessage") -> list[dict]:
        return [p for m, p in self.calls if m == method and int(p.get("chat_id", 0)) == chat_id]

    def answers(self) -> list[dict]:
        """``answerCallbackQuery`` calls (they name no chat)."""
        return [p for m, p in self.calls if m == "answerCallbackQuery"]

    def last_text(self, chat_id: int) -> str:
        messages = self.sent(chat_id)
        assert messages, f"the bot sent nothing to {chat_id}"
        return messages[-1]["text"]

    def last_code(self, chat_id: int) -> str:
        match = CODE.search(self.last_text(chat_id))
        assert match, f"no code in {self.last_text(chat_id)!r}"
        return match.group(1)

    def button_data(self, chat_id: int) -> str:
        markup = self.sent(chat_id)[-1]["reply_markup"]
        return markup["inline_keyboard"][0][0]["callback_data"]


@pytest.fixture
def fake_bot(aws):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru(re.compile(r"https?://(?!" + re.escape(
            aws.telegram_api_base.split("://", 1)[1].split("/", 1)[0]) + ").*"))
        yield FakeBot(rsps, aws.telegram_api_base, aws.telegram_bot_token)


class LambdaContext:
    function_name = "telegram_webhook"
    aws_request_id = "test-request"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


class Telegram:
    """Sends updates to the ``telegram_webhook`` Lambda as Telegram would."""

    def __init__(self, settings):
        self.settings = settings
        self._update_ids = itertools.count(10_000)

    def event(self, update: dict, secret: str | None = None) -> dict:
        secret = self.settings.telegram_webhook_secret if secret is None else secret
        headers = {"content-type": "application/json"}
        if secret:
            headers["x-telegram-bot-api-secret-token"] = secret
        return {"version": "2.0", "rawPath": "/", "headers": headers,
                "body": json.dumps(update), "isBase64Encoded": False,
                "requestContext": {"http": {"method": "POST", "path": "/"}}}

    def deliver(self, update: dict, secret: str | None = None) -> dict:
        from app import app

        update.setdefault("update_id", next(self._update_ids))
        handler = app.handler_map["telegram_webhook"]
        return handler(self.event(update, secret), LambdaContext())

    def write(self, user: dict, text: str) -> dict:
        return self.deliver({"message": {
            "message_id": next(self._update_ids), "date": int(time.time()), "text": text,
            "from": {"is_bot": False, **user},
            "chat": {"id": user["id"], "type": "private", "first_name": user.get("first_name")}}})

    def send_photo(self, user: dict, file_id: str, size: int = 0, document: str | None = None
                   ) -> dict:
        """The person sends a photo (``document``: the MIME type of an image sent as a file)."""
        message = {"message_id": next(self._update_ids), "date": int(time.time()),
                   "from": {"is_bot": False, **user},
                   "chat": {"id": user["id"], "type": "private"}}
        if document:
            message["document"] = {"file_id": file_id, "file_unique_id": file_id,
                                   "mime_type": document, "file_size": size}
        else:
            message["photo"] = [{"file_id": f"{file_id}-thumb", "file_unique_id": "t",
                                 "width": 90, "height": 120, "file_size": 1000},
                                {"file_id": file_id, "file_unique_id": file_id,
                                 "width": 960, "height": 1280, "file_size": size}]
        return self.deliver({"message": message})

    def press(self, user: dict, data: str, message_id: int = 1) -> dict:
        return self.deliver({"callback_query": {
            "id": str(next(self._update_ids)), "from": {"is_bot": False, **user},
            "data": data, "chat_instance": "1",
            "message": {"message_id": message_id, "date": int(time.time()),
                        "chat": {"id": user["id"], "type": "private"}, "text": "…"}}})


@pytest.fixture
def telegram(aws):
    return Telegram(aws)


def signed_widget(settings, **fields) -> dict:
    fields.setdefault("auth_date", int(time.time()))
    data = {k: v for k, v in fields.items()}
    data["hash"] = login_widget_hash({k: str(v) for k, v in data.items()},
                                     settings.telegram_bot_token)
    return data


def signed_init_data(settings, user: dict, auth_date: int | None = None,
                     **extra: str) -> str:
    from urllib.parse import urlencode

    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(user),
              "auth_date": str(auth_date or int(time.time())), **extra}
    fields["hash"] = webapp_hash(fields, settings.telegram_bot_token)
    return urlencode(fields)


ANNA = {"id": 5550001, "first_name": "Анна", "username": "anna_shop"}
BORIS = {"id": 5550002, "first_name": "Борис", "username": "boris_store"}
