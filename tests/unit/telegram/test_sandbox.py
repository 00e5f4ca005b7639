"""The local Telegram sandbox: Telegram's answers for the Bot API, a person's side of the
chat, and the whole code login through it (the bot client talks to it over real HTTP)."""
from __future__ import annotations

import json
import threading

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from infra.sandboxes.telegram import CANNOT_INITIATE, TelegramSandbox
from photoshoot.auth.telegram_login import verify_login_widget
from photoshoot.settings import reset_settings_cache
from photoshoot.telegram.bot_api import BotApi, BotForbidden, TelegramApiError

ANNA = {"id": 5550001, "first_name": "Анна", "username": "anna_shop"}


class LocalFront:
    """The sandbox at /sandbox/telegram and the bot webhook at /webhooks/telegram, served
    over real HTTP on a free port (what the local stack's front server does)."""

    def __init__(self, sandbox: TelegramSandbox):
        self.sandbox = sandbox
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/sandbox/telegram"):
            environ = {**environ, "SCRIPT_NAME": "/sandbox/telegram",
                       "PATH_INFO": path[len("/sandbox/telegram"):] or "/"}
            return self.sandbox(environ, start_response)
        if path == "/webhooks/telegram":
            from app import app

            request = Request(environ)
            event = {"version": "2.0", "headers": {k.lower(): v for k, v in request.headers},
                     "body": request.get_data(as_text=True), "isBase64Encoded": False}
            answer = app.handler_map["telegram_webhook"](event, None)
            return Response(answer["body"], status=answer["statusCode"],
                            content_type="application/json")(environ, start_response)
        return Response("not found", status=404)(environ, start_response)


@pytest.fixture
def front(aws, monkeypatch):
    sandbox = TelegramSandbox()
    front = LocalFront(sandbox)
    monkeypatch.setenv("PUBLIC_BASE_URL", front.base_url)
    monkeypatch.setenv("TELEGRAM_API_BASE", f"{front.base_url}/sandbox/telegram")
    reset_settings_cache()
    yield front
    front.server.shutdown()
    reset_settings_cache()


@pytest.fixture
def bot(front):
    from photoshoot.settings import get_settings

    settings = get_settings()
    return BotApi(settings.telegram_bot_token, settings.telegram_api_base)


def _post(front, path, body):
    return requests.post(f"{front.base_url}/sandbox/telegram{path}", json=body, timeout=10)


def _messages(front, chat_id):
    return requests.get(f"{front.base_url}/sandbox/telegram/messages",
                        params={"chat_id": chat_id}, timeout=10).json()["messages"]


def test_bot_cannot_write_first_exactly_like_telegram(front, bot):
    with pytest.raises(BotForbidden) as refused:
        bot.send_message(ANNA["id"], "Привет")
    assert refused.value.description == CANNOT_INITIATE


def test_a_wrong_token_is_unauthorized(front):
    wrong = BotApi("1:WRONG", f"{front.base_url}/sandbox/telegram")
    with pytest.raises(TelegramApiError) as refused:
        wrong.get_me()
    assert refused.value.error_code == 401


def test_get_me_and_set_webhook(front, bot):
    assert bot.get_me()["username"] == "photoshoot_local_bot"
    assert bot.set_webhook(f"{front.base_url}/webhooks/telegram", "local-webhook-secret")


def test_start_opens_the_chat_and_the_bot_answers_through_the_webhook(front, bot):
    delivered = _post(front, "/updates", {"from": ANNA, "text": "/start"}).json()
    assert delivered["ok"] is True and delivered["webhook_status"] == 200
    conversation = _messages(front, ANNA["id"])
    assert [m["from"] for m in conversation] == ["user", "bot"]
    assert "Photoshoot" in conversation[-1]["text"]
    sent = bot.send_message(ANNA["id"], "Оплата получена")  # now the bot may write
    assert sent["chat"]["id"] == ANNA["id"] and sent["text"] == "Оплата получена"


def test_update_with_a_wrong_webhook_secret_is_refused(front, bot):
    bot.set_webhook(f"{front.base_url}/webhooks/telegram", "not-the-configured-secret")
    delivered = _post(front, "/updates", {"from": ANNA, "text": "/start"}).json()
    assert delivered["ok"] is False and delivered["webhook_status"] == 401


def test_code_login_through_the_sandbox(front, api):
    started = api.post("/api/auth/code/request", body={"username": "anna_shop"}).json
    assert started["delivered"] is False
    payload = started["bot_link"].split("?start=", 1)[1]
    _post(front, "/updates", {"from": ANNA, "text": f"/start {payload}"})
    again = api.post("/api/auth/code/request", body={"username": "@anna_shop"}).json
    assert again["delivered"] is True  # the chat is open now: the code comes at once
    text = _messages(front, ANNA["id"])[-1]["text"]
    code = next(word.strip(".,") for word in text.split() if word.strip(".,").isdigit()
                and len(word.strip(".,")) == 6)
    session = api.post("/api/auth/code/verify",
                       body={"challenge_id": again["challenge_id"], "code": code}).json
    assert session["user"]["balance"] == 1


def test_pressing_the_confirm_button_logs_the_browser_in(front, api):
    started = api.post("/api/auth/link").json
    payload = started["bot_link"].split("?start=", 1)[1]
    _post(front, "/updates", {"from": ANNA, "text": f"/start {payload}"})
    offer = _messages(front, ANNA["id"])[-1]
    button = offer["reply_markup"]["inline_keyboard"][0][0]
    pressed = _post(front, "/updates", {"from": ANNA, "callback_data": button["callback_data"],
                                        "message_id": offer["message_id"]}).json()
    assert pressed["webhook_status"] == 200
    assert "подтверждён" in _messages(front, ANNA["id"])[-2]["text"]  # edited in place
    assert api.get(f"/api/auth/link/{started['challenge_id']}").json["status"] == "confirmed"


def test_a_button_that_is_not_on_the_message_cannot_be_pressed(front):
    _post(front, "/updates", {"from": ANNA, "text": "/start"})
    bot_message = _messages(front, ANNA["id"])[-1]
    answer = _post(front, "/updates", {"from": ANNA, "callback_data": "login:forged",
                                       "message_id": bot_message["message_id"]})
    assert answer.status_code == 400


def test_login_widget_stand_in_signs_a_valid_payload(front):
    payload = _post(front, "/login-widget", {"id": 42, "first_name": "Тест",
                                             "username": "tester"}).json()
    assert verify_login_widget(payload).telegram_id == 42


def test_login_widget_stand_in_is_off_when_disabled(front, monkeypatch):
    monkeypatch.setenv("TELEGRAM_LOGIN_SANDBOX", "0")
    reset_settings_cache()
    assert _post(front, "/login-widget", {"id": 42}).status_code == 403


def test_media_group_invoice_and_uploaded_photo_are_recorded(front, bot):
    _post(front, "/updates", {"from": ANNA, "text": "/start"})
    album = bot.send_media_group(ANNA["id"], [{"type": "photo", "media": "https://x/1.jpg"},
                                              {"type": "photo", "media": "https://x/2.jpg"}])
    assert len(album) == 2
    invoice = bot.send_invoice(ANNA["id"], "10 фотосессий", "Пакет", "order-1",
                               [{"label": "10 фотосессий", "amount": 500}])
    assert invoice["invoice"]["currency"] == "XTR" and invoice["invoice"]["total_amount"] == 500
    with pytest.raises(TelegramApiError):
        bot.send_invoice(ANNA["id"], "x", "y", "z", [{"label": "a", "amount": 1},
                                                     {"label": "b", "amount": 2}])
    upload = requests.post(f"{bot._base}/bot{bot._token}/sendPhoto",
                           data={"chat_id": ANNA["id"], "caption": "Готово"},
                           files={"photo": ("result.jpg", b"\xff\xd8fake", "image/jpeg")},
                           timeout=10).json()
    file_id = upload["result"]["photo"][0]["file_id"]
    image = requests.get(f"{front.base_url}/sandbox/telegram/files/{file_id}", timeout=10)
    assert image.content == b"\xff\xd8fake"
    calls = requests.get(f"{front.base_url}/sandbox/telegram/calls", timeout=10).json()["calls"]
    assert [c["method"] for c in calls][-4:] == ["sendMediaGroup", "sendInvoice",
                                                 "sendInvoice", "sendPhoto"]


def test_the_html_page_shows_the_conversation_and_writes_to_the_bot():
    sandbox = TelegramSandbox()
    client = Client(sandbox)
    page = client.get("/")
    assert page.status_code == 200 and "Написать боту" in page.get_data(as_text=True)
    sent = client.post("/bot123456:LOCAL-SANDBOX-TOKEN/sendMessage",
                       json={"chat_id": 1, "text": "x"})
    assert sent.status_code == 403 and json.loads(sent.data)["description"] == CANNOT_INITIATE
