"""A local Telegram: the Bot API the bot calls, the chats it writes to, and a person's side
of the conversation — so ``make run`` can log in by code or deep link without Telegram.

Mounted by the local stack at ``/sandbox/telegram`` (``infra/local/routes.py``), which is
also the default ``TELEGRAM_API_BASE``:

- ``POST|GET /bot<token>/<method>`` — the Bot API methods the product uses (sendMessage,
  editMessageText, answerCallbackQuery, sendPhoto, sendMediaGroup, sendInvoice,
  answerPreCheckoutQuery, refundStarPayment, getFile, setWebhook, getMe), the bot's profile
  (set/get/deleteMyCommands, set/getMyDescription, set/getMyShortDescription,
  set/getChatMenuButton — with Telegram's validation: command names ``[a-z0-9_]{1,32}``,
  command descriptions 1–256, at most 100 commands, descriptions ≤ 512 and ≤ 120, an HTTPS
  web_app URL), and
  ``GET /file/bot<token>/<file_path>`` — a file's bytes, as Telegram serves them. The token must be ``TELEGRAM_BOT_TOKEN``;
  answers are Telegram's ``{ok, result}`` / ``{ok: false, error_code, description}``; a chat
  that never sent ``/start`` gets Telegram's 403 "Forbidden: bot can't initiate
  conversation with a user". Every call is recorded.
- ``GET /messages?chat_id=`` — what the bot sent (and what the person wrote).
- ``GET /profile`` — the bot's profile as set: commands per scope and language,
  descriptions, short descriptions, the menu button (also on the HTML page).
- ``POST /updates`` — deliver an update to the bot webhook as Telegram does (assigning
  ``update_id``, with ``X-Telegram-Bot-Api-Secret-Token``) to ``PUBLIC_BASE_URL/webhooks/
  telegram`` or the ``setWebhook`` URL. Body: a raw ``update``, or ``{from, text}`` for a
  message, or ``{from, callback_data, message_id}`` for pressing an inline button, or
  ``{from, photo: <file_id>}`` / ``{from, document: <file_id>, mime_type?}`` for sending a
  photo uploaded with ``POST /photos``, or ``{from, pay_invoice: <message_id>}`` for paying
  an invoice the bot sent (a ``pre_checkout_query`` first; when the bot answers ok, a
  ``successful_payment`` message with a new ``telegram_payment_charge_id``). A ``/start``
  marks the chat as started.
- ``POST /photos`` — store a test photo (the raw body, or a multipart ``photo`` file) and get
  its ``file_id`` to send in an update.
- ``POST /login-widget {id, first_name, username}`` — a validly signed Login Widget payload
  for that test user (only with ``TELEGRAM_LOGIN_SANDBOX`` on).
- ``GET /`` — an HTML page: every chat's conversation, inline buttons to press, and a box to
  write to the bot as a test user (e.g. to read a login code).
- Test hooks: ``GET /calls`` (every Bot API call), ``POST /reset``.

State is in memory; the local stack process is the sandbox.
"""
from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

JSON = "application/json; charset=utf-8"
CANNOT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
MAX_FILES = 200
DEFAULT_TEST_USER = {"id": 100001, "first_name": "Тестовый продавец",
                     "username": "test_seller"}
# Parameters Telegram accepts as JSON-serialized strings in form-encoded calls.
JSON_PARAMS = ("reply_markup", "media", "prices", "allowed_updates", "entities", "commands",
               "scope", "menu_button")
# The bot profile's limits, as the Bot API documents them (lengths in UTF-16 code units,
# as Telegram counts them: an emoji may take two).
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}\Z")
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
LANGUAGE_CODE = re.compile(r"^([a-z]{2})?\Z")
COMMAND_SCOPES = ("default", "all_private_chats", "all_group_chats",
                  "all_chat_administrators", "chat", "chat_administrators", "chat_member")
MENU_BUTTON_TYPES = ("commands", "web_app", "default")


def _settings():
    from photoshoot.settings import get_settings  # noqa: PLC0415 - read at request time

    return get_settings()


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON)


def _bot_error(status: int, description: str) -> Response:
    return _json({"ok": False, "error_code": status, "description": description}, status)


class BotApiError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


@dataclass
class Chat:
    chat_id: int
    user: dict
    started: bool = False


@dataclass
class SandboxState:
    chats: dict[int, Chat] = field(default_factory=dict)
    messages: list[dict] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    pre_checkout_answers: dict[str, dict] = field(default_factory=dict)
    star_payments: dict[str, dict] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # (scope as canonical JSON, language code) → [{command, description}]
    commands: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)  # language code → text
    short_descriptions: dict[str, str] = field(default_factory=dict)
    menu_button: dict | None = None  # the bot-wide one; None: never set (the command list)
    chat_menu_buttons: dict[int, dict] = field(default_factory=dict)


class TelegramSandbox:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._state = SandboxState()
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(int(time.time()) % 1_000_000 * 100)
        self._ids = itertools.count(1)
        self._routes = Map([
            Rule("/", endpoint="page", methods=["GET"]),
            Rule("/bot<token>/<method>", endpoint="bot_api", methods=["GET", "POST"]),
            Rule("/messages", endpoint="list_messages", methods=["GET"]),
            Rule("/profile", endpoint="show_profile", methods=["GET"]),
            Rule("/updates", endpoint="send_update", methods=["POST"]),
            Rule("/login-widget", endpoint="login_widget", methods=["POST"]),
            Rule("/calls", endpoint="list_calls", methods=["GET"]),
            Rule("/reset", endpoint="reset", methods=["POST"]),
            Rule("/files/<file_id>", endpoint="file", methods=["GET"]),
            Rule("/file/bot<token>/<path:file_path>", endpoint="bot_file", methods=["GET"]),
            Rule("/photos", endpoint="upload_photo", methods=["POST"]),
            Rule("/ui/write", endpoint="ui_write", methods=["POST"]),
            Rule("/ui/press", endpoint="ui_press", methods=["POST"]),
        ], strict_slashes=False)

    # --- WSGI --------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        adapter = self._routes.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
            response = getattr(self, endpoint)(request, **args)
        except NotFound:
            response = _json({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        except HTTPException as error:
            response = error.get_response(environ)
        return response(environ, start_response)

    # --- the Bot API -------------------------------------------------------------------
    def bot_api(self, request: Request, token: str, method: str) -> Response:
        if token != _settings().telegram_bot_token:
            return _bot_error(401, "Unauthorized")
        handler = getattr(self, f"_api_{method}", None)
        try:
            params = self._params(request)
            with self._lock:
                self._state.calls.append({"method": method, "params": _printable(params),
                                          "at": time.time()})
            if handler is None:
                return _bot_error(404, "Not Found: method not found")
            return _json({"ok": True, "result": handler(params)})
        except BotApiError as error:
            return _bot_error(error.status, error.description)

    @staticmethod
    def _params(request: Request) -> dict:
        params: dict[str, Any] = dict(request.args.items())
        if request.is_json:
            body = request.get_json(silent=True)
            if isinstance(body, dict):
                params.update(body)
        else:
            params.update(request.form.items())
            for name, upload in request.files.items():
                params[name] = {"upload": upload.filename or name, "data": upload.read(),
                                "content_type": upload.mimetype}
        for name in JSON_PARAMS:
            if isinstance(params.get(name), str):
                try:
                    params[name] = json.loads(params[name])
                except ValueError:
                    raise BotApiError(400, f"Bad Request: can't parse {name} JSON object")
        return params

    def _chat_for_bot(self, params: dict) -> Chat:
        try:
            chat_id = int(params.get("chat_id"))
        except (TypeError, ValueError):
            raise BotApiError(400, "Bad Request: chat_id is empty") from None
        chat = self._state.chats.get(chat_id)
        if chat is None or not chat.started:
            raise BotApiError(403, CANNOT_INITIATE)
        return chat

    def _bot_message(self, chat: Chat, kind: str, **content: Any) -> dict:
        message = {"message_id": next(self._message_ids), "chat_id": chat.chat_id,
                   "from": "bot", "kind": kind, "date": int(time.time()), **content}
        self._state.messages.append(message)
        return message

    def _telegram_message(self, message: dict) -> dict:
        """The Message object Telegram returns for what the bot sent."""
        settings = _settings()
        chat = self._state.chats[message["chat_id"]]
        result = {"message_id": message["message_id"], "date": message["date"],
                  "from": {"id": int(settings.telegram_bot_token.split(":", 1)[0]),
                           "is_bot": True, "first_name": "Photoshoot",
                           "username": settings.telegram_bot_username},
                  "chat": {"id": chat.chat_id, "type": "private", **_user_fields(chat.user)}}
        for key in ("text", "caption", "reply_markup", "invoice"):
            if message.get(key) is not None:
                result[key] = message[key]
        if message.get("photo"):
            result["photo"] = [{"file_id": message["photo"], "file_unique_id": message["photo"],
                                "width": 1024, "height": 1024}]
        return result

    def _api_getMe(self, params: dict) -> dict:
        settings = _settings()
        return {"id": int(settings.telegram_bot_token.split(":", 1)[0]), "is_bot": True,
                "first_name": "Photoshoot", "username": settings.telegram_bot_username,
                "can_join_groups": False, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _api_setWebhook(self, params: dict) -> bool:
        with self._lock:
            self._state.webhook_url = params.get("url") or None
            self._state.webhook_secret = params.get("secret_token") or None
        return True

    # --- the bot's profile -------------------------------------------------------------
    def _api_setMyCommands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise BotApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise BotApiError(400, "Bad Request: too many commands specified")
        checked = []
        for command in commands:
            if not isinstance(command, dict) or not isinstance(command.get("command"), str) \
                    or not COMMAND_NAME.match(command["command"]):
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            text = command.get("description")
            if not isinstance(text, str) \
                    or not 1 <= _utf16_len(text) <= MAX_COMMAND_DESCRIPTION:
                raise BotApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": command["command"], "description": text})
        key = (_command_scope(params), _language_code(params))
        with self._lock:
            self._state.commands[key] = checked
        return True

    def _api_getMyCommands(self, params: dict) -> list[dict]:
        key = (_command_scope(params), _language_code(params))
        with self._lock:
            return [dict(c) for c in self._state.commands.get(key, [])]

    def _api_deleteMyCommands(self, params: dict) -> bool:
        key = (_command_scope(params), _language_code(params))
        with self._lock:
            self._state.commands.pop(key, None)
        return True

    def _api_setMyDescription(self, params: dict) -> bool:
        self._set_text("descriptions", params, "description", MAX_DESCRIPTION)
        return True

    def _api_getMyDescription(self, params: dict) -> dict:
        with self._lock:
            return {"description": self._state.descriptions.get(_language_code(params), "")}

    def _api_setMyShortDescription(self, params: dict) -> bool:
        self._set_text("short_descriptions", params, "short_description",
                       MAX_SHORT_DESCRIPTION)
        return True

    def _api_getMyShortDescription(self, params: dict) -> dict:
        with self._lock:
            return {"short_description":
                    self._state.short_descriptions.get(_language_code(params), "")}

    def _set_text(self, texts_of: str, params: dict, name: str, limit: int) -> None:
        """An empty text removes the one of that language (Telegram's rule)."""
        text = params.get(name)
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise BotApiError(400, f"Bad Request: {name} must be a string")
        if _utf16_len(text) > limit:
            raise BotApiError(400, f"Bad Request: {name} is too long")
        lang = _language_code(params)
        with self._lock:
            texts = getattr(self._state, texts_of)  # read under the lock: a reset swaps the state
            if text:
                texts[lang] = text
            else:
                texts.pop(lang, None)

    def _api_setChatMenuButton(self, params: dict) -> bool:
        button = params.get("menu_button")
        button = {"type": "default"} if button is None else button
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise BotApiError(400, "Bad Request: can't parse menu button: unsupported type")
        if button["type"] == "web_app":
            url = (button.get("web_app") or {}).get("url") \
                if isinstance(button.get("web_app"), dict) else None
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise BotApiError(400, "Bad Request: can't parse menu button: text is empty")
            if not isinstance(url, str) or not url.startswith("https://"):
                raise BotApiError(400, f"Bad Request: can't parse menu button: Web App URL "
                                       f"'{url}' is invalid: Only HTTPS links are allowed")
            button = {"type": "web_app", "text": button["text"], "web_app": {"url": url}}
        else:
            button = {"type": button["type"]}
        with self._lock:
            if params.get("chat_id") is not None:
                chat = self._chat_for_bot(params)
                self._state.chat_menu_buttons[chat.chat_id] = button
            elif button["type"] != "default":
                # "default" for every chat changes nothing: the bot's own default stays.
                self._state.menu_button = button
        return True

    def _api_getChatMenuButton(self, params: dict) -> dict:
        with self._lock:
            if params.get("chat_id") is not None:
                chat = self._chat_for_bot(params)
                button = self._state.chat_menu_buttons.get(chat.chat_id)
                if button is not None and button["type"] != "default":
                    return dict(button)
            return dict(self._state.menu_button or {"type": "commands"})

    def _profile(self) -> dict:
        with self._lock:
            return {"commands": [{"scope": json.loads(scope), "language_code": lang,
                                  "commands": [dict(c) for c in commands]}
                                 for (scope, lang), commands in self._state.commands.items()],
                    "descriptions": dict(self._state.descriptions),
                    "short_descriptions": dict(self._state.short_descriptions),
                    "menu_button": dict(self._state.menu_button or {"type": "commands"}),
                    "menu_button_set": self._state.menu_button is not None}

    def _api_sendMessage(self, params: dict) -> dict:
        text = params.get("text")
        if not text:
            raise BotApiError(400, "Bad Request: message text is empty")
        with self._lock:
            chat = self._chat_for_bot(params)
            message = self._bot_message(chat, "text", text=str(text),
                                        reply_markup=params.get("reply_markup"))
            return self._telegram_message(message)

    def _api_editMessageText(self, params: dict) -> dict:
        with self._lock:
            chat = self._chat_for_bot(params)
            message = self._find_bot_message(chat.chat_id, params.get("message_id"))
            message["text"] = str(params.get("text") or "")
            message["reply_markup"] = params.get("reply_markup")
            message["edited"] = True
            return self._telegram_message(message)

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        if not params.get("callback_query_id"):
            raise BotApiError(400, "Bad Request: query is too old and response timeout "
                                   "expired or query ID is invalid")
        return True

    def _api_answerPreCheckoutQuery(self, params: dict) -> bool:
        query_id = params.get("pre_checkout_query_id")
        if not query_id:
            raise BotApiError(400, "Bad Request: QUERY_ID_INVALID")
        ok = params.get("ok") in (True, "true", "True", 1, "1")
        if not ok and not params.get("error_message"):
            raise BotApiError(400, "Bad Request: error_message is required when ok is false")
        with self._lock:
            self._state.pre_checkout_answers[str(query_id)] = {
                "ok": ok, "error_message": params.get("error_message")}
        return True

    def _api_refundStarPayment(self, params: dict) -> bool:
        charge_id = str(params.get("telegram_payment_charge_id") or "")
        with self._lock:
            payment = self._state.star_payments.get(charge_id)
            if payment is None or str(payment["user_id"]) != str(params.get("user_id")):
                raise BotApiError(400, "Bad Request: CHARGE_ID_INVALID")
            if payment.get("refunded"):
                raise BotApiError(400, "Bad Request: CHARGE_ALREADY_REFUNDED")
            payment["refunded"] = True
        return True

    def _api_getFile(self, params: dict) -> dict:
        file_id = str(params.get("file_id") or "")
        with self._lock:
            stored = self._state.files.get(file_id)
        if stored is None:
            raise BotApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(stored[1]),
                "file_path": f"photos/{file_id}"}

    def _store_file(self, content_type: str, data: bytes) -> str:
        file_id = f"sandbox-file-{next(self._ids)}"
        self._state.files[file_id] = (content_type or "application/octet-stream", data)
        while len(self._state.files) > MAX_FILES:
            self._state.files.pop(next(iter(self._state.files)))
        return file_id

    def _store_photo(self, photo: Any) -> str:
        if isinstance(photo, dict) and "data" in photo:
            return self._store_file(photo.get("content_type") or "image/jpeg", photo["data"])
        if not photo:
            raise BotApiError(400, "Bad Request: there is no photo in the request")
        return str(photo)

    def _api_sendPhoto(self, params: dict) -> dict:
        with self._lock:
            chat = self._chat_for_bot(params)
            message = self._bot_message(chat, "photo", photo=self._store_photo(params.get("photo")),
                                        caption=params.get("caption"),
                                        reply_markup=params.get("reply_markup"))
            return self._telegram_message(message)

    def _api_sendMediaGroup(self, params: dict) -> list[dict]:
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise BotApiError(400, "Bad Request: media must include 2-10 items")
        with self._lock:
            chat = self._chat_for_bot(params)
            group = f"album-{next(self._ids)}"
            sent = []
            for item in media:
                photo = item.get("media") if isinstance(item, dict) else None
                if isinstance(photo, str) and photo.startswith("attach://"):
                    photo = params.get(photo[len("attach://"):])
                message = self._bot_message(chat, "photo", photo=self._store_photo(photo),
                                            caption=item.get("caption"), media_group_id=group)
                sent.append(self._telegram_message(message))
            return sent

    def _api_sendInvoice(self, params: dict) -> dict:
        prices = params.get("prices")
        if not isinstance(prices, list) or not prices:
            raise BotApiError(400, "Bad Request: prices must be non-empty")
        if params.get("currency") == "XTR" and (len(prices) != 1
                                                or params.get("provider_token")):
            raise BotApiError(400, "Bad Request: XTR invoices need one price and no "
                                   "provider token")
        for name in ("title", "description", "payload", "currency"):
            if not params.get(name):
                raise BotApiError(400, f"Bad Request: {name} is empty")
        with self._lock:
            chat = self._chat_for_bot(params)
            invoice = {"title": params["title"], "description": params["description"],
                       "currency": params["currency"],
                       "total_amount": sum(int(p.get("amount", 0)) for p in prices),
                       "start_parameter": params.get("start_parameter") or ""}
            message = self._bot_message(chat, "invoice", invoice=invoice,
                                        payload=params["payload"], prices=prices)
            return self._telegram_message(message)

    def _find_bot_message(self, chat_id: int, message_id: Any) -> dict:
        for message in self._state.messages:
            if (message["from"] == "bot" and message["chat_id"] == chat_id
                    and str(message["message_id"]) == str(message_id)):
                return message
        raise BotApiError(400, "Bad Request: message to edit not found")

    # --- the person's side: updates to the bot webhook -----------------------------------
    def send_update(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _json({"ok": False, "description": "JSON object expected"}, 400)
        try:
            if "pay_invoice" in body:
                return _json(self._pay_invoice(body))
            update = self._build_update(body)
        except BotApiError as error:
            return _json({"ok": False, "description": error.description}, error.status)
        return _json(self._deliver(update))

    def _build_update(self, body: dict) -> dict:
        with self._lock:
            if isinstance(body.get("update"), dict):
                update = dict(body["update"])
                message = update.get("message")
                if isinstance(message, dict) and isinstance(message.get("from"), dict):
                    self._record_user_message(message["from"], message.get("text") or "",
                                              message)
            elif "callback_data" in body:
                update = {"callback_query": self._callback_query(body)}
            elif "photo" in body or "document" in body:
                update = {"message": self._photo_message(_sender(body.get("from")), body)}
            elif "text" in body:
                sender = _sender(body.get("from"))
                message = self._user_message(sender, str(body["text"]))
                update = {"message": message}
            else:
                raise BotApiError(400, "give update, or from + text, or from + callback_data")
            update.setdefault("update_id", next(self._update_ids))
            return update

    def _user_message(self, sender: dict, text: str) -> dict:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "from": {"is_bot": False, "language_code": "ru", **sender},
                   "chat": {"id": sender["id"], "type": "private", **_user_fields(sender)},
                   "text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(command)}]
        self._record_user_message(sender, text, message)
        return message

    def _record_user_message(self, sender: dict, text: str, message: dict) -> None:
        chat_id = int(sender["id"])
        chat = self._state.chats.setdefault(chat_id, Chat(chat_id, _user_fields(sender)))
        chat.user = _user_fields(sender) or chat.user
        if text.split(maxsplit=1)[:1] == ["/start"]:
            chat.started = True
        self._state.messages.append({"message_id": message.get("message_id"),
                                     "chat_id": chat_id, "from": "user", "kind": "text",
                                     "text": text, "date": int(time.time())})

    def _photo_message(self, sender: dict, body: dict) -> dict:
        """A person sends a photo (Telegram's compressed photo) or an image as a file."""
        file_id = str(body.get("photo") or body.get("document") or "")
        stored = self._state.files.get(file_id)
        if stored is None:
            raise BotApiError(400, "unknown file_id: upload the file with POST /photos first")
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "from": {"is_bot": False, "language_code": "ru", **sender},
                   "chat": {"id": sender["id"], "type": "private", **_user_fields(sender)}}
        if body.get("caption"):
            message["caption"] = str(body["caption"])
        if "photo" in body:
            width, height = _image_size(stored[1])
            message["photo"] = [{"file_id": file_id, "file_unique_id": file_id,
                                 "width": width, "height": height,
                                 "file_size": len(stored[1])}]
        else:
            message["document"] = {"file_id": file_id, "file_unique_id": file_id,
                                   "file_name": str(body.get("file_name") or "photo"),
                                   "mime_type": str(body.get("mime_type") or stored[0]),
                                   "file_size": len(stored[1])}
        chat_id = int(sender["id"])
        chat = self._state.chats.setdefault(chat_id, Chat(chat_id, _user_fields(sender)))
        chat.user = _user_fields(sender) or chat.user
        self._state.messages.append({"message_id": message["message_id"], "chat_id": chat_id,
                                     "from": "user", "kind": "photo", "photo": file_id,
                                     "caption": message.get("caption"),
                                     "date": int(time.time())})
        return message

    def _callback_query(self, body: dict) -> dict:
        sender = _sender(body.get("from"))
        chat_id = int(sender["id"])
        data = str(body["callback_data"])
        message = self._find_bot_message(chat_id, body.get("message_id"))
        buttons = [button for row in (message.get("reply_markup") or {}).get(
            "inline_keyboard", []) for button in row]
        if not any(button.get("callback_data") == data for button in buttons):
            raise BotApiError(400, "this message has no button with that callback_data")
        self._state.messages.append({"message_id": None, "chat_id": chat_id, "from": "user",
                                     "kind": "press", "text": f"[нажата кнопка] {data}",
                                     "date": int(time.time())})
        return {"id": str(next(self._ids) * 1_000_003), "from": {"is_bot": False, **sender},
                "chat_instance": str(chat_id), "data": data,
                "message": self._telegram_message(message)}

    def _deliver(self, update: dict) -> dict:
        import requests  # noqa: PLC0415

        settings = _settings()
        with self._lock:
            url = self._state.webhook_url or f"{settings.public_base_url}/webhooks/telegram"
            secret = self._state.webhook_secret or settings.telegram_webhook_secret
        record = {"update_id": update["update_id"], "url": url}
        try:
            response = requests.post(url, json=update, timeout=30,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            record.update(status=response.status_code, response=_body_of(response))
        except requests.RequestException as error:
            record.update(status=None, error=type(error).__name__)
        with self._lock:
            self._state.deliveries.append(record)
        return {"ok": record.get("status") is not None and 200 <= record["status"] < 300,
                "update_id": update["update_id"], "webhook_status": record.get("status"),
                "webhook_response": record.get("response")}

    # --- paying an invoice with Stars --------------------------------------------------
    def _pay_invoice(self, body: dict) -> dict:
        """What Telegram does when a person pays: ``pre_checkout_query`` → the bot must
        answer ok → ``successful_payment`` (a new charge id). Returns both deliveries."""
        with self._lock:
            sender = _sender(body.get("from"))
            chat_id = int(sender["id"])
            invoice_message = self._find_bot_message(chat_id, body.get("pay_invoice"))
            if invoice_message.get("kind") != "invoice":
                raise BotApiError(400, "this message is not an invoice")
            invoice = invoice_message["invoice"]
            query_id = str(next(self._ids) * 1_000_033)
            query_update = {"update_id": next(self._update_ids), "pre_checkout_query": {
                "id": query_id, "from": {"is_bot": False, **sender},
                "currency": invoice["currency"], "total_amount": invoice["total_amount"],
                "invoice_payload": invoice_message["payload"]}}
        pre_checkout = self._deliver(query_update)
        with self._lock:
            answer = self._state.pre_checkout_answers.get(query_id)
        result = {"ok": True, "pre_checkout": pre_checkout, "answer": answer}
        if not answer or not answer["ok"]:
            result["paid"] = False
            return result
        with self._lock:
            charge_id = f"stxsandbox{next(self._ids):08d}"
            self._state.star_payments[charge_id] = {
                "user_id": chat_id, "amount": invoice["total_amount"], "refunded": False}
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "from": {"is_bot": False, "language_code": "ru", **sender},
                       "chat": {"id": chat_id, "type": "private", **_user_fields(sender)},
                       "successful_payment": {
                           "currency": invoice["currency"],
                           "total_amount": invoice["total_amount"],
                           "invoice_payload": invoice_message["payload"],
                           "telegram_payment_charge_id": charge_id,
                           "provider_payment_charge_id": ""}}
            self._state.messages.append({
                "message_id": message["message_id"], "chat_id": chat_id, "from": "user",
                "kind": "payment", "text": f"[оплачено] {invoice['total_amount']} "
                                           f"{invoice['currency']}", "date": int(time.time())})
            payment_update = {"update_id": next(self._update_ids), "message": message}
        result.update(paid=True, charge_id=charge_id,
                      successful_payment=self._deliver(payment_update),
                      update=payment_update)
        return result

    # --- reading what happened ---------------------------------------------------------
    def list_messages(self, request: Request) -> Response:
        chat_id = request.args.get("chat_id")
        with self._lock:
            messages = [_public(m) for m in self._state.messages
                        if chat_id is None or str(m["chat_id"]) == chat_id]
        return _json({"ok": True, "messages": messages})

    def show_profile(self, request: Request) -> Response:
        return _json({"ok": True, **self._profile()})

    def list_calls(self, request: Request) -> Response:
        method = request.args.get("method")
        with self._lock:
            calls = [c for c in self._state.calls if method is None or c["method"] == method]
            return _json({"ok": True, "calls": calls, "deliveries": self._state.deliveries})

    def reset(self, request: Request) -> Response:
        with self._lock:
            self._state = SandboxState()
        return _json({"ok": True})

    def upload_photo(self, request: Request) -> Response:
        """A test photo for ``POST /updates {from, photo: file_id}`` (raw body or multipart
        field ``photo``)."""
        upload = request.files.get("photo")
        if upload is not None:
            data, content_type = upload.read(), upload.mimetype or "image/jpeg"
        else:
            data, content_type = request.get_data(), request.mimetype or "image/jpeg"
        if not data:
            return _json({"ok": False, "description": "empty file"}, 400)
        with self._lock:
            file_id = self._store_file(content_type, data)
        return _json({"ok": True, "file_id": file_id, "file_size": len(data)})

    def bot_file(self, request: Request, token: str, file_path: str) -> Response:
        if token != _settings().telegram_bot_token:
            return _bot_error(401, "Unauthorized")
        return self.file(request, file_path.rsplit("/", 1)[-1])

    def file(self, request: Request, file_id: str) -> Response:
        with self._lock:
            stored = self._state.files.get(file_id)
        if stored is None:
            raise NotFound()
        return Response(stored[1], content_type=stored[0])

    # --- the Login Widget stand-in -------------------------------------------------------
    def login_widget(self, request: Request) -> Response:
        from photoshoot.auth.telegram_login import login_widget_hash  # noqa: PLC0415

        settings = _settings()
        if not settings.telegram_login_sandbox:
            return _json({"error": {"code": "sandbox_disabled", "message":
                                    "Тестовый вход выключен (TELEGRAM_LOGIN_SANDBOX)."}}, 403)
        body = request.get_json(silent=True) or {}
        try:
            user_id = int(body.get("id"))
        except (TypeError, ValueError):
            return _json({"error": {"code": "bad_request",
                                    "message": "Укажите числовой id тестового пользователя."}},
                         400)
        payload = {"id": user_id, "auth_date": int(time.time())}
        for key in ("first_name", "last_name", "username", "photo_url"):
            if body.get(key):
                payload[key] = str(body[key])
        payload["hash"] = login_widget_hash({k: str(v) for k, v in payload.items()},
                                            settings.telegram_bot_token)
        return _json(payload)

    # --- the HTML page -------------------------------------------------------------------
    def ui_write(self, request: Request) -> Response:
        form = request.form
        try:
            sender = _sender({"id": form.get("id"), "first_name": form.get("first_name"),
                              "username": form.get("username")})
        except BotApiError as error:
            return Response(error.description, status=400)
        with self._lock:
            update = {"message": self._user_message(sender, form.get("text") or "/start"),
                      "update_id": next(self._update_ids)}
        self._deliver(update)
        return _redirect_home(request, sender["id"])

    def ui_press(self, request: Request) -> Response:
        form = request.form
        with self._lock:
            chat = self._state.chats.get(int(form.get("chat_id") or 0))
            if chat is None:
                raise NotFound()
            try:
                update = {"callback_query": self._callback_query({
                    "from": {"id": chat.chat_id, **chat.user},
                    "callback_data": form.get("data"), "message_id": form.get("message_id")}),
                    "update_id": next(self._update_ids)}
            except BotApiError as error:
                return Response(error.description, status=400)
        self._deliver(update)
        return _redirect_home(request, chat.chat_id)

    def page(self, request: Request) -> Response:
        base = request.script_root
        selected = request.args.get("chat_id")
        with self._lock:
            chats = list(self._state.chats.values())
            messages = [dict(m) for m in self._state.messages]
        user = DEFAULT_TEST_USER
        if selected and int(selected) in {c.chat_id for c in chats}:
            chat = next(c for c in chats if str(c.chat_id) == selected)
            user = {"id": chat.chat_id, **chat.user}
        parts = [_PAGE_HEAD.format(base=html.escape(base)), _profile_html(self._profile())]
        parts.append('<section class="chats"><h2>Чаты</h2>')
        if not chats:
            parts.append("<p>Пока никто не писал боту. Напишите /start ниже.</p>")
        for chat in chats:
            name = chat.user.get("username") or chat.user.get("first_name") or chat.chat_id
            state = "бот может писать" if chat.started else "бот ещё не запущен"
            parts.append(f'<p><a href="{html.escape(base)}/?chat_id={chat.chat_id}">'
                         f'@{html.escape(str(name))}</a> <small>({chat.chat_id}, {state})'
                         f'</small></p>')
        parts.append("</section><section class=conversation>")
        for chat in chats:
            if selected and str(chat.chat_id) != selected:
                continue
            parts.append(f'<h2 id="chat-{chat.chat_id}">Переписка с '
                         f'{html.escape(chat.user.get("first_name") or str(chat.chat_id))}</h2>')
            for message in (m for m in messages if m["chat_id"] == chat.chat_id):
                parts.append(_message_html(base, chat.chat_id, message))
        parts.append("</section>")
        parts.append(_WRITE_FORM.format(base=html.escape(base), id=user["id"],
                                        first_name=html.escape(user.get("first_name") or ""),
                                        username=html.escape(user.get("username") or "")))
        parts.append("</main></body></html>")
        return Response("".join(parts), content_type="text/html; charset=utf-8")


def _image_size(data: bytes) -> tuple[int, int]:
    try:
        import io  # noqa: PLC0415

        from PIL import Image  # noqa: PLC0415 - the sandbox only, never the bot

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - not an image: Telegram would say 0×0 too
        return 0, 0


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _language_code(params: dict) -> str:
    lang = params.get("language_code") or ""
    if not isinstance(lang, str) or not LANGUAGE_CODE.match(lang):
        raise BotApiError(400, "Bad Request: invalid language code specified")
    return lang


def _command_scope(params: dict) -> str:
    """The scope as canonical JSON (a dictionary key); none given is the default scope."""
    scope = params.get("scope")
    scope = {"type": "default"} if scope is None else scope
    if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
        raise BotApiError(400, "Bad Request: can't parse BotCommandScope")
    if scope["type"] in ("chat", "chat_administrators", "chat_member") \
            and scope.get("chat_id") is None:
        raise BotApiError(400, "Bad Request: chat_id is empty")
    return json.dumps(scope, sort_keys=True, ensure_ascii=False)


def _printable(params: dict) -> dict:
    printable = {}
    for key, value in params.items():
        if isinstance(value, dict) and "data" in value:
            value = {"upload": value.get("upload"), "bytes": len(value["data"])}
        printable[key] = value
    return printable


def _public(message: dict) -> dict:
    return {k: v for k, v in message.items() if v is not None}


def _user_fields(user: dict) -> dict:
    return {k: user[k] for k in ("first_name", "last_name", "username") if user.get(k)}


def _sender(raw: Any) -> dict:
    if not isinstance(raw, dict):
        raise BotApiError(400, "from must be a user object {id, first_name, username}")
    try:
        user_id = int(raw.get("id"))
    except (TypeError, ValueError):
        raise BotApiError(400, "from.id must be a number") from None
    sender = {"id": user_id, "first_name": str(raw.get("first_name") or f"User {user_id}")}
    if raw.get("username"):
        sender["username"] = str(raw["username"]).lstrip("@")
    if raw.get("last_name"):
        sender["last_name"] = str(raw["last_name"])
    return sender


def _body_of(response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def _redirect_home(request: Request, chat_id: int) -> Response:
    location = f"{request.script_root}/?{urlencode({'chat_id': chat_id})}#chat-{chat_id}"
    return Response("", status=303, headers={"Location": location})


def _profile_html(profile: dict) -> str:
    """What a person sees of the bot before writing: the descriptions, the «/» menu and the
    button beside the input field (the ``ru`` texts, else the fallback ones)."""
    def text_of(texts: dict) -> str:
        text = texts.get("ru") or texts.get("") or ""
        return html.escape(text).replace("\n", "<br>") if text else "<em>не задано</em>"

    lists = {entry["language_code"]: entry["commands"] for entry in profile["commands"]
             if entry["scope"] == {"type": "default"}}
    commands = lists.get("ru") or lists.get("") or []
    items = "".join(f"<li><code>/{html.escape(c['command'])}</code> — "
                    f"{html.escape(c['description'])}</li>" for c in commands)
    button = profile["menu_button"]
    shown = (f"«{html.escape(button['text'])}» → {html.escape(button['web_app']['url'])}"
             if button["type"] == "web_app" else "список команд")
    unset = "" if (commands or profile["descriptions"] or profile["menu_button_set"]) else (
        "<p><small>Профиль не задан: <code>python -m photoshoot.telegram.webhook_setup"
        "</code></small></p>")
    return (f'<section class="profile" data-testid="sandbox-profile"><h2>Профиль бота</h2>'
            f'{unset}<p><b>Коротко:</b> {text_of(profile["short_descriptions"])}</p>'
            f'<p><b>Что умеет этот бот?</b><br>{text_of(profile["descriptions"])}</p>'
            f'<p><b>Меню «/»:</b></p><ul>{items or "<li><em>не задано</em></li>"}</ul>'
            f'<p><b>Кнопка меню:</b> {shown}</p></section>')


def _message_html(base: str, chat_id: int, message: dict) -> str:
    who = "bot" if message["from"] == "bot" else "user"
    body = html.escape(message.get("text") or message.get("caption") or "").replace("\n", "<br>")
    if message.get("photo"):
        photo = str(message["photo"])
        src = f"{base}/files/{quote(photo)}" if photo.startswith("sandbox-file-") else photo
        body = f'<img src="{html.escape(src)}" alt="фото" loading="lazy"><br>' + body
    if message.get("invoice"):
        invoice = message["invoice"]
        body += (f'<div class="invoice">Счёт: {html.escape(invoice["title"])} — '
                 f'{invoice["total_amount"]} {html.escape(invoice["currency"])}</div>')
    buttons = []
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if "callback_data" in button:
                buttons.append(
                    f'<form method="post" action="{html.escape(base)}/ui/press">'
                    f'<input type="hidden" name="chat_id" value="{chat_id}">'
                    f'<input type="hidden" name="message_id" value="{message["message_id"]}">'
                    f'<input type="hidden" name="data" value="{html.escape(button["callback_data"])}">'
                    f'<button>{html.escape(button.get("text", ""))}</button></form>')
            elif "url" in button:
                buttons.append(f'<a class="button" href="{html.escape(button["url"])}">'
                               f'{html.escape(button.get("text", ""))}</a>')
    edited = " <small>(изменено)</small>" if message.get("edited") else ""
    return (f'<div class="msg {who}" data-testid="sandbox-message-{who}">'
            f'<div class="text">{body}{edited}</div>{"".join(buttons)}</div>')


_PAGE_HEAD = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Telegram — песочница Photoshoot</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;background:#eef3f7;margin:0}}
main{{max-width:46rem;margin:0 auto;padding:1rem}}
h1{{font-size:1.3rem}} h2{{font-size:1.05rem;margin-top:1.5rem}}
.msg{{max-width:80%;margin:.4rem 0;padding:.5rem .75rem;border-radius:.8rem;
background:#fff;box-shadow:0 1px 1px #0001}}
.msg.user{{margin-left:auto;background:#dcf8c6}}
.msg img{{max-width:100%;border-radius:.5rem}}
.msg form{{display:inline}} .msg button,.button{{margin:.3rem .3rem 0 0;padding:.35rem .7rem;
border:1px solid #3390ec;border-radius:.5rem;background:#fff;color:#3390ec;cursor:pointer;
text-decoration:none;display:inline-block}}
.write{{position:sticky;bottom:0;background:#fff;padding:.75rem;border-radius:.8rem;
margin-top:1rem;box-shadow:0 -1px 4px #0002;display:grid;gap:.4rem;
grid-template-columns:1fr 1fr 1fr}}
.write input[name=text]{{grid-column:1/3}} input{{padding:.4rem}}
</style></head><body><main>
<h1>Telegram — песочница</h1>
<p>Здесь видно, что пишет бот, и можно написать ему от имени тестового пользователя —
например, <code>/start</code>, чтобы бот мог прислать код входа.
<a href="{base}/">Обновить</a></p>
"""

_WRITE_FORM = """<form class="write" method="post" action="{base}/ui/write" data-testid="sandbox-write">
<input name="id" value="{id}" title="Telegram id" required data-testid="sandbox-write-id">
<input name="first_name" value="{first_name}" placeholder="Имя"
 data-testid="sandbox-write-first-name">
<input name="username" value="{username}" placeholder="username"
 data-testid="sandbox-write-username">
<input name="text" value="/start" placeholder="Сообщение боту" required
 data-testid="sandbox-write-text">
<button data-testid="sandbox-write-submit">Написать боту</button></form>"""


app = TelegramSandbox()
