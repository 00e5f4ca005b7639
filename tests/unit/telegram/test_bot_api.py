"""The Bot API client against Telegram's recorded answer shapes."""
import json

import pytest
import requests
import responses

from photoshoot.telegram.bot_api import BotApi, BotForbidden, TelegramApiError

TOKEN = "123456:TEST-TOKEN"
BASE = "https://api.telegram.test"
URL = f"{BASE}/bot{TOKEN}"

SENT = {"ok": True, "result": {
    "message_id": 42, "from": {"id": 123456, "is_bot": True, "first_name": "Photoshoot",
                               "username": "photoshoot_bot"},
    "chat": {"id": 777, "first_name": "Анна", "username": "anna", "type": "private"},
    "date": 1700000000, "text": "Привет"}}
CANNOT_INITIATE = {"ok": False, "error_code": 403,
                   "description": "Forbidden: bot can't initiate conversation with a user"}


@pytest.fixture
def api(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    return BotApi(TOKEN, BASE + "/")


@responses.activate
def test_send_message_posts_json_and_returns_the_message(api):
    responses.post(f"{URL}/sendMessage", json=SENT)
    message = api.send_message(777, "Привет", reply_markup={"inline_keyboard": []})
    assert message["message_id"] == 42
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"chat_id": 777, "text": "Привет", "reply_markup": {"inline_keyboard": []},
                    "disable_web_page_preview": True}


@responses.activate
def test_forbidden_chat_is_a_bot_forbidden_error(api):
    responses.post(f"{URL}/sendMessage", json=CANNOT_INITIATE, status=403)
    with pytest.raises(BotForbidden) as error:
        api.send_message(1, "код")
    assert error.value.error_code == 403
    assert "initiate" in error.value.description


@responses.activate
def test_too_many_requests_is_retried_once(api):
    responses.post(f"{URL}/sendMessage", status=429, json={
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1}})
    responses.post(f"{URL}/sendMessage", json=SENT)
    assert api.send_message(777, "Привет")["message_id"] == 42
    assert len(responses.calls) == 2


@responses.activate
def test_wrong_token_is_an_error_without_the_token_in_it(api):
    responses.post(f"{URL}/getMe", status=401,
                   json={"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(TelegramApiError) as error:
        api.get_me()
    assert error.value.error_code == 401
    assert TOKEN not in str(error.value) and TOKEN not in repr(api)


@responses.activate
def test_network_failure_never_leaks_the_url(api):
    responses.post(f"{URL}/sendMessage", body=requests.ConnectionError(f"boom {URL}"))
    with pytest.raises(TelegramApiError) as error:
        api.send_message(1, "x")
    assert TOKEN not in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__


@responses.activate
def test_a_non_json_answer_is_an_error(api):
    responses.post(f"{URL}/getMe", status=502, body="<html>Bad Gateway</html>")
    with pytest.raises(TelegramApiError) as error:
        api.get_me()
    assert error.value.error_code == 502


def test_webhook_registration_sends_the_secret_and_our_url(aws, fake_bot):
    from photoshoot.telegram.webhook_setup import register_webhook

    result = register_webhook()
    assert result["url"] == f"{aws.public_base_url}/webhooks/telegram"
    (method, params), = fake_bot.calls
    assert method == "setWebhook"
    assert params["secret_token"] == aws.telegram_webhook_secret
    assert params["url"] == result["url"]
    assert "callback_query" in params["allowed_updates"]
