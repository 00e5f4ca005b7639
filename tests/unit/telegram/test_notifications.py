"""notify_user: only to users who started the bot; a 403 is "not delivered", not a crash."""
import pytest
import responses

from photoshoot.models import User
from photoshoot.models.base import utc_now_iso
from photoshoot.telegram.notifications import notify_user


@pytest.fixture
def bot_url(aws):
    return f"{aws.telegram_api_base}/bot{aws.telegram_bot_token}/sendMessage"


def _user(user_id: str, chat_id=None):
    User(user_id, telegram_id=int(user_id), bot_chat_id=chat_id, created_at=utc_now_iso()).save()


@responses.activate
def test_user_with_a_chat_gets_the_message(bot_url):
    _user("101", chat_id=101)
    responses.post(bot_url, json={"ok": True, "result": {"message_id": 1}})
    assert notify_user("101", "Оплата получена: +10 фотосессий") is True
    assert b'"chat_id": 101' in responses.calls[0].request.body


@responses.activate
def test_user_without_a_chat_is_not_contacted(bot_url):
    _user("102")
    assert notify_user("102", "Оплата получена") is False
    assert notify_user("999", "нет такого") is False
    assert len(responses.calls) == 0


@responses.activate
def test_bot_cannot_initiate_conversation_is_swallowed(bot_url):
    _user("103", chat_id=103)
    responses.post(bot_url, status=403, json={
        "ok": False, "error_code": 403,
        "description": "Forbidden: bot can't initiate conversation with a user"})
    assert notify_user("103", "Оплата получена") is False


@responses.activate
def test_telegram_outage_does_not_break_the_caller(bot_url, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    _user("104", chat_id=104)
    responses.post(bot_url, status=500, json={"ok": False, "error_code": 500,
                                             "description": "Internal Server Error"})
    assert notify_user("104", "Оплата получена") is False
