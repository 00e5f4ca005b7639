"""Every way in, over real HTTP on the local stack: the Telegram sandbox plays Telegram
(Bot API, the person's chat, the Login Widget), the bot webhook runs as its Function URL
would call it, and DynamoDB is the stack's moto server (read with boto3 only)."""
from __future__ import annotations

import json
import re
import time
import uuid

import boto3
import pytest
import requests

pytestmark = pytest.mark.integration

CODE = re.compile(r"\b(\d{6})\b")


class Telegram:
    """The person's side, through the sandbox."""

    def __init__(self, stack):
        self.stack = stack
        self.base = f"{stack.base_url}/sandbox/telegram"

    def write(self, user: dict, text: str) -> dict:
        answer = requests.post(f"{self.base}/updates", json={"from": user, "text": text},
                               timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def messages(self, chat_id: int) -> list[dict]:
        return requests.get(f"{self.base}/messages", params={"chat_id": chat_id},
                            timeout=10).json()["messages"]

    def last_from_bot(self, chat_id: int) -> dict:
        return [m for m in self.messages(chat_id) if m["from"] == "bot"][-1]

    def code_for(self, chat_id: int) -> str:
        match = CODE.search(self.last_from_bot(chat_id)["text"])
        assert match, self.last_from_bot(chat_id)
        return match.group(1)

    def press(self, user: dict, message: dict) -> dict:
        data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        return requests.post(f"{self.base}/updates", json={
            "from": user, "callback_data": data, "message_id": message["message_id"]},
            timeout=30).json()


@pytest.fixture(scope="module")
def telegram(local_stack):
    return Telegram(local_stack)


@pytest.fixture
def person():
    """A new Telegram user for each test (the stack is shared by the session)."""
    suffix = uuid.uuid4().hex[:8]
    return {"id": 700_000_000 + int(suffix, 16) % 99_999_999, "first_name": "Ирина",
            "username": f"irina_{suffix}"}


@pytest.fixture(scope="module")
def users_table(local_stack):
    dynamodb = boto3.client("dynamodb", endpoint_url=local_stack.moto_url,
                            region_name="eu-central-1", aws_access_key_id="local",
                            aws_secret_access_key="local")
    prefix = local_stack.env.get("TABLE_PREFIX", "photoshoot-")
    return lambda user_id: dynamodb.get_item(TableName=f"{prefix}users",
                                             Key={"user_id": {"S": str(user_id)}}).get("Item")


def _api(stack, method, path, token=None, **kwargs):
    headers = {**({"Authorization": f"Bearer {token}"} if token else {}),
               **kwargs.pop("headers", {})}
    return requests.request(method, f"{stack.base_url}{path}", headers=headers, timeout=30,
                            **kwargs)


def _russian_error(response, status, code=None):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert re.search("[а-яё]", error["message"].lower())
    if code:
        assert error["code"] == code


def test_widget_login_balance_and_logout(local_stack, person, users_table):
    payload = requests.post(f"{local_stack.base_url}/sandbox/telegram/login-widget",
                            json=person, timeout=10).json()
    session = _api(local_stack, "POST", "/api/auth/telegram", json={
        **payload, "utm": {"utm_source": "vk", "utm_medium": "cpc"},
        "metrika_client_id": "1712345678901234567"})
    assert session.status_code == 200, session.text
    token = session.json()["token"]
    me = _api(local_stack, "GET", "/api/me", token).json()
    assert me["id"] == str(person["id"]) and me["balance"] == 1
    item = users_table(person["id"])
    assert item["utm"]["M"]["utm_source"] == {"S": "vk"}
    assert item["metrika_client_id"] == {"S": "1712345678901234567"}

    assert _api(local_stack, "POST", "/api/auth/logout", token).status_code == 200
    _russian_error(_api(local_stack, "GET", "/api/me", token), 401)


def test_forged_and_stale_widget_data_are_refused(local_stack, person):
    payload = requests.post(f"{local_stack.base_url}/sandbox/telegram/login-widget",
                            json=person, timeout=10).json()
    _russian_error(_api(local_stack, "POST", "/api/auth/telegram",
                        json={**payload, "username": "somebody_else"}), 401, "invalid_signature")
    stale = {**payload, "auth_date": int(time.time()) - 2 * 86400}
    _russian_error(_api(local_stack, "POST", "/api/auth/telegram", json=stale), 401)


def test_code_login_for_a_new_person_who_starts_the_bot_first(local_stack, telegram, person):
    started = _api(local_stack, "POST", "/api/auth/code/request",
                   json={"username": "@" + person["username"].upper()}).json()
    assert started["delivered"] is False
    payload = started["bot_link"].split("?start=", 1)[1]
    telegram.write(person, f"/start {payload}")
    assert "Запросить код ещё раз" in telegram.last_from_bot(person["id"])["text"]

    again = _api(local_stack, "POST", "/api/auth/code/request",
                 json={"username": person["username"]}).json()
    assert again["delivered"] is True and again["expires_in"] == 300
    code = telegram.code_for(person["id"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    _russian_error(_api(local_stack, "POST", "/api/auth/code/verify",
                        json={"challenge_id": again["challenge_id"], "code": wrong}),
                   400, "invalid_code")
    session = _api(local_stack, "POST", "/api/auth/code/verify",
                   json={"challenge_id": again["challenge_id"], "code": code})
    assert session.status_code == 200 and session.json()["user"]["balance"] == 1
    _russian_error(_api(local_stack, "POST", "/api/auth/code/verify",
                        json={"challenge_id": again["challenge_id"], "code": code}),
                   410, "challenge_used")

    third = _api(local_stack, "POST", "/api/auth/code/request",
                 json={"username": person["username"]}).json()
    session = _api(local_stack, "POST", "/api/auth/code/verify",
                   json={"challenge_id": third["challenge_id"],
                         "code": telegram.code_for(person["id"])})
    assert session.status_code == 200
    assert session.json()["user"]["balance"] == 1  # the bonus came once


def test_deep_link_login_hands_the_token_to_the_browser_once(local_stack, telegram, person):
    started = _api(local_stack, "POST", "/api/auth/link").json()
    poll = f"/api/auth/link/{started['challenge_id']}"
    assert _api(local_stack, "GET", poll).json() == {"status": "pending"}
    telegram.write(person, "/start " + started["bot_link"].split("?start=", 1)[1])
    offer = telegram.last_from_bot(person["id"])
    assert person["username"] in offer["text"]
    assert telegram.press(person, offer)["webhook_status"] == 200
    confirmed = _api(local_stack, "GET", poll).json()
    assert confirmed["status"] == "confirmed" and confirmed["user"]["balance"] == 1
    assert _api(local_stack, "GET", "/api/me", confirmed["token"]).status_code == 200
    _russian_error(_api(local_stack, "GET", poll), 410, "challenge_used")


def test_bot_webhook_checks_the_secret_and_deduplicates(local_stack, person):
    secret = local_stack.env.get("TELEGRAM_WEBHOOK_SECRET", "local-webhook-secret")
    update = {"update_id": 900_000_000 + person["id"] % 1_000_000, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "from": {"is_bot": False, **person},
        "chat": {"id": person["id"], "type": "private"}}}
    url = f"{local_stack.base_url}/webhooks/telegram"
    refused = requests.post(url, json=update, timeout=30,
                            headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
    _russian_error(refused, 401, "invalid_secret")
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    first = requests.post(url, json=update, headers=headers, timeout=30).json()
    second = requests.post(url, json=update, headers=headers, timeout=30).json()
    assert first == {"ok": True, "duplicate": False}
    assert second == {"ok": True, "duplicate": True}


def test_unknown_challenges_and_bad_codes_are_clear_4xx(local_stack):
    _russian_error(_api(local_stack, "GET", "/api/auth/link/" + "x" * 32), 404,
                   "challenge_not_found")
    _russian_error(_api(local_stack, "POST", "/api/auth/code/verify",
                        json={"challenge_id": "y" * 32, "code": "123456"}), 404)
    _russian_error(_api(local_stack, "POST", "/api/auth/code/request",
                        json={"username": "не_латиница"}), 400, "validation_failed")


def test_widget_fields_regrouped_around_a_line_break_sign_in_nobody(local_stack, person):
    # The sandbox signs like Telegram. An attacker whose first name carries "\nid=<person>"
    # regroups the signed fields so that "id" is the person's: the same data-check-string.
    attacker = {"id": person["id"] + 1, "first_name": f"x\nid={person['id']}",
                "username": f"evil_{person['username'][-8:]}"}
    signed = requests.post(f"{local_stack.base_url}/sandbox/telegram/login-widget",
                           json=attacker, timeout=10).json()
    regrouped = {"auth_date": signed["auth_date"], "first_name": "x", "id": str(person["id"]),
                 f"id={attacker['id']}\nusername": attacker["username"],
                 "hash": signed["hash"]}
    for payload in (signed, regrouped):
        _russian_error(_api(local_stack, "POST", "/api/auth/telegram", json=payload), 401,
                       "invalid_signature")


def test_lone_surrogates_in_login_data_are_a_clear_400_never_a_500(local_stack, person):
    # JSON may spell half of a UTF-16 pair ("\\ud800"); no UTF-8 form, nothing signs or
    # stores it. The bot side of a deep link drops such a tag (tests/unit/auth).
    signed = requests.post(f"{local_stack.base_url}/sandbox/telegram/login-widget",
                           json=person, timeout=10).json()
    raw = {"Content-Type": "application/json"}
    for path, body in (
            ("/api/auth/webapp", '{"init_data": "auth_date=1&user=\\ud800&hash=00"}'),
            ("/api/auth/telegram", json.dumps(signed)[:-1] + ', "last_name": "\\ud800"}'),
            ("/api/auth/telegram",
             json.dumps(signed)[:-1] + ', "utm": {"utm_source": "\\ud800"}}'),
            ("/api/auth/link", '{"utm": {"utm_source": "\\ud800"}}')):
        _russian_error(_api(local_stack, "POST", path, data=body, headers=raw), 400,
                       "bad_request")
    assert _api(local_stack, "POST", "/api/auth/telegram", json=signed).status_code == 200
