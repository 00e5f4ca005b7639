"""The bot webhook Lambda: secret-token header, update_id de-duplication, routing."""
import base64
import json

from photoshoot.models import User
from tests.unit.telegram.fakes import ANNA


def _body(answer):
    return json.loads(answer["body"])


def test_start_creates_the_account_and_greets_with_the_balance(aws, fake_bot, telegram):
    answer = telegram.write(ANNA, "/start")
    assert answer["statusCode"] == 200 and _body(answer) == {"ok": True, "duplicate": False}
    user = User.get(str(ANNA["id"]))
    assert user.bot_chat_id == ANNA["id"] and user.signup_source == "bot"
    assert user.balance == 1
    assert "1 фотосессия" in fake_bot.last_text(ANNA["id"])


def test_bad_secret_token_is_refused_and_nothing_runs(aws, fake_bot, telegram):
    for secret in ("wrong-secret", ""):
        answer = telegram.deliver({"message": {"text": "/start", "from": ANNA,
                                               "chat": {"id": ANNA["id"], "type": "private"}}},
                                  secret=secret)
        assert answer["statusCode"] == 401
        assert "секретный токен" in _body(answer)["error"]["message"]
    assert User.count() == 0 and not fake_bot.calls


def test_duplicate_update_id_is_handled_once(aws, fake_bot, telegram):
    update = {"update_id": 424242, "message": {
        "message_id": 1, "date": 0, "text": "/balance", "from": ANNA,
        "chat": {"id": ANNA["id"], "type": "private"}}}
    first = telegram.deliver(json.loads(json.dumps(update)))
    second = telegram.deliver(json.loads(json.dumps(update)))
    assert _body(first)["duplicate"] is False
    assert second["statusCode"] == 200 and _body(second)["duplicate"] is True
    assert len(fake_bot.sent(ANNA["id"])) == 1


def test_an_update_in_progress_elsewhere_is_503_so_telegram_delivers_it_again(
        aws, fake_bot, telegram, monkeypatch):
    """If the invocation handling it then fails, a 200 here would have lost the update."""
    import threading

    from photoshoot.telegram import commands

    entered, release = threading.Event(), threading.Event()
    real = commands.on_balance

    def slow(update):
        entered.set()
        release.wait(10)
        return real(update)

    monkeypatch.setattr(commands, "on_balance", slow)
    update = {"update_id": 434343, "message": {
        "message_id": 1, "date": 0, "text": "/balance", "from": ANNA,
        "chat": {"id": ANNA["id"], "type": "private"}}}
    first: list = []
    worker = threading.Thread(target=lambda: first.append(
        telegram.deliver(json.loads(json.dumps(update)))))
    worker.start()
    assert entered.wait(10)
    meanwhile = telegram.deliver(json.loads(json.dumps(update)))
    release.set()
    worker.join(10)

    assert meanwhile["statusCode"] == 503 and _body(meanwhile)["error"]["code"] == "in_progress"
    assert first[0]["statusCode"] == 200
    assert len(fake_bot.sent(ANNA["id"])) == 1


def test_an_update_that_failed_is_processed_again_on_retry(aws, fake_bot, telegram,
                                                          monkeypatch):
    from photoshoot.telegram import commands

    calls = []

    def flaky(update):
        calls.append(update["update_id"])
        if len(calls) == 1:
            raise RuntimeError("DynamoDB hiccup")

    monkeypatch.setattr(commands, "on_balance", flaky)
    update = {"update_id": 515151, "message": {"text": "/balance", "from": ANNA,
                                               "chat": {"id": ANNA["id"], "type": "private"}}}
    try:
        telegram.deliver(dict(update))
    except RuntimeError:
        pass
    assert _body(telegram.deliver(dict(update)))["duplicate"] is False
    assert calls == [515151, 515151]


def test_base64_body_from_the_function_url_is_read(aws, fake_bot, telegram):
    from app import app

    event = telegram.event({"update_id": 7, "message": {
        "text": "/help", "from": ANNA, "chat": {"id": ANNA["id"], "type": "private"}}})
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    assert app.handler_map["telegram_webhook"](event, None)["statusCode"] == 200
    assert "/balance" in fake_bot.last_text(ANNA["id"])


def test_malformed_body_is_a_400(aws, telegram):
    from app import app

    event = telegram.event({})
    event["body"] = "not json"
    assert app.handler_map["telegram_webhook"](event, None)["statusCode"] == 400
    event["body"] = json.dumps({"message": {}})
    assert app.handler_map["telegram_webhook"](event, None)["statusCode"] == 400


def test_updates_nobody_handles_are_acknowledged(aws, fake_bot, telegram):
    answer = telegram.deliver({"edited_message": {"text": "x"}})
    assert answer["statusCode"] == 200 and not fake_bot.calls


def test_group_messages_are_ignored(aws, fake_bot, telegram):
    telegram.deliver({"message": {"text": "/start", "from": ANNA,
                                  "chat": {"id": -100123, "type": "supergroup"}}})
    assert User.count() == 0 and not fake_bot.calls


def test_unknown_command_gets_help(aws, fake_bot, telegram):
    telegram.write(ANNA, "/whatever")
    assert "/start" in fake_bot.last_text(ANNA["id"])


def test_user_who_blocked_the_bot_does_not_break_the_webhook(aws, fake_bot, telegram):
    fake_bot.closed_chats.add(ANNA["id"])
    assert telegram.write(ANNA, "/start")["statusCode"] == 200
