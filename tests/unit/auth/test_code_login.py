"""Login by a 6-digit code from the bot."""
import time
from datetime import datetime, timezone

import pytest

from photoshoot.models import AuthChallenge, User
from photoshoot.models.base import utc_now_iso
from tests.unit.telegram.fakes import ANNA, BORIS, CODE

ANNA_ID = ANNA["id"]


@pytest.fixture
def anna(aws):
    """Anna has an account and has started the bot."""
    User(str(ANNA_ID), telegram_id=ANNA_ID, username="anna_shop", username_lc="anna_shop",
         first_name="Анна", bot_chat_id=ANNA_ID, created_at=utc_now_iso()).save()
    return str(ANNA_ID)


def _request(api, username="@Anna_Shop"):
    return api.post("/api/auth/code/request", body={"username": username})


def _verify(api, challenge_id, code):
    return api.post("/api/auth/code/verify", body={"challenge_id": challenge_id, "code": code})


def _error(response, status, code):
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert any("а" <= ch <= "я" for ch in response.json["error"]["message"].lower())


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_known_chat_gets_the_code_and_the_code_logs_in(api, fake_bot, anna):
    started = _request(api).json
    assert started["delivered"] is True
    assert started["expires_in"] == 300
    assert started["bot_link"].startswith("https://t.me/photoshoot_local_bot?start=code_")
    assert len(started["challenge_id"]) >= 32
    code = fake_bot.last_code(ANNA_ID)
    assert "5 мин" in fake_bot.last_text(ANNA_ID)
    response = _verify(api, started["challenge_id"], code)
    assert response.status_code == 200
    assert response.json["user"]["id"] == anna
    assert response.json["user"]["balance"] == 1  # sign-up bonus, through the ledger
    assert api.get("/api/me", token=response.json["token"]).status_code == 200


def test_code_is_stored_only_hashed(api, fake_bot, anna):
    _request(api)
    code = fake_bot.last_code(ANNA_ID)
    (challenge,) = list(AuthChallenge.scan())
    assert code not in str(challenge.attribute_values)
    assert challenge.username == "anna_shop"


def test_wrong_code_is_a_400_with_attempts_left(api, fake_bot, anna):
    started = _request(api).json
    response = _verify(api, started["challenge_id"], _wrong(fake_bot.last_code(ANNA_ID)))
    _error(response, 400, "invalid_code")
    assert response.json["error"]["details"] == {"attempts_left": 4}


def test_five_wrong_tries_burn_the_code(api, fake_bot, anna):
    started = _request(api).json
    code = fake_bot.last_code(ANNA_ID)
    for left in (4, 3, 2, 1, 0):
        response = _verify(api, started["challenge_id"], _wrong(code))
        assert response.json["error"]["details"]["attempts_left"] == left
    _error(_verify(api, started["challenge_id"], code), 410, "code_burned")


def test_concurrent_guesses_cannot_exceed_five(api, fake_bot, anna):
    from concurrent.futures import ThreadPoolExecutor

    from photoshoot.auth.challenges import verify_code

    started = _request(api).json
    code = fake_bot.last_code(ANNA_ID)
    outcomes = []

    def guess(n):
        try:
            verify_code(started["challenge_id"], f"{(int(code) + 1 + n) % 1_000_000:06d}")
        except Exception as error:  # noqa: BLE001
            outcomes.append(type(error).__name__)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(guess, range(20)))
    assert outcomes.count("InvalidCode") == 5
    assert outcomes.count("CodeBurned") == 15


def test_a_used_code_cannot_be_reused(api, fake_bot, anna):
    started = _request(api).json
    code = fake_bot.last_code(ANNA_ID)
    assert _verify(api, started["challenge_id"], code).status_code == 200
    _error(_verify(api, started["challenge_id"], code), 410, "challenge_used")


def test_an_expired_code_is_refused(api, fake_bot, anna):
    started = _request(api).json
    code = fake_bot.last_code(ANNA_ID)
    (challenge,) = list(AuthChallenge.scan())
    challenge.update(actions=[AuthChallenge.expires_at.set(
        datetime.fromtimestamp(time.time() - 1, tz=timezone.utc))])
    _error(_verify(api, started["challenge_id"], code), 410, "challenge_expired")


def test_a_code_of_another_challenge_is_wrong(api, fake_bot, anna):
    first = _request(api).json
    first_code = fake_bot.last_code(ANNA_ID)
    second = _request(api).json
    second_code = fake_bot.last_code(ANNA_ID)
    if first_code != second_code:
        _error(_verify(api, second["challenge_id"], first_code), 400, "invalid_code")
    assert _verify(api, first["challenge_id"], first_code).status_code == 200


def test_unknown_challenge_is_a_404(api, fake_bot):
    _error(_verify(api, "A" * 32, "123456"), 404, "challenge_not_found")
    _error(_verify(api, "../../etc", "123456"), 404, "challenge_not_found")


def test_code_must_be_six_digits(api, fake_bot, anna):
    started = _request(api).json
    _error(_verify(api, started["challenge_id"], "12ab"), 400, "validation_failed")
    assert list(AuthChallenge.scan())[0].attempts_left == 5  # a typo costs no attempt


def test_unknown_user_starts_the_bot_by_the_link_then_gets_the_code(api, fake_bot, telegram):
    started = _request(api, "boris_store").json
    assert started["delivered"] is False and started["expires_in"] == 600
    assert not fake_bot.calls
    payload = started["bot_link"].split("?start=", 1)[1]
    assert payload.startswith("code_") and len(payload) <= 64
    assert started["challenge_id"] not in started["bot_link"]

    telegram.write(BORIS, f"/start {payload}")
    assert "Запросить код ещё раз" in fake_bot.last_text(BORIS["id"])
    assert not CODE.search(fake_bot.last_text(BORIS["id"]))
    _error(_verify(api, started["challenge_id"], "123456"), 409, "code_not_sent")

    again = _request(api, "boris_store").json
    assert again["delivered"] is True and again["expires_in"] == 300
    code = fake_bot.last_code(BORIS["id"])
    response = _verify(api, again["challenge_id"], code)
    assert response.status_code == 200
    assert response.json["user"]["username"] == "boris_store"
    assert response.json["user"]["balance"] == 1
    assert User.get(str(BORIS["id"])).bot_chat_id == BORIS["id"]


def test_a_new_sellers_sign_up_by_code_counts_under_the_ad_that_brought_them(api, fake_bot,
                                                                              telegram):
    """The account is made when they open the bot from the code request: the request's
    attribution must be there already, or the sign-up counts as direct and the payments
    later as the ad's source."""
    from photoshoot.analytics import counters
    from photoshoot.models import StatCounter

    started = api.post("/api/auth/code/request", body={
        "username": "boris_store", "utm": {"utm_source": "vk", "utm_campaign": "spring"}}).json
    telegram.write(BORIS, f"/start {started['bot_link'].split('?start=', 1)[1]}")

    user = User.get(str(BORIS["id"]))
    assert user.utm and user.utm.as_dict()["utm_source"] == "vk"
    signups = {item.metric: int(item.value) for item in StatCounter.query(counters.today())
               if item.metric.endswith("#signup")}
    assert signups == {"vk#signup": 1}


def test_code_link_opened_from_another_account_sends_no_code(api, fake_bot, telegram):
    started = _request(api, "boris_store").json
    payload = started["bot_link"].split("?start=", 1)[1]
    telegram.write(ANNA, f"/start {payload}")
    text = fake_bot.last_text(ANNA["id"])
    assert "@boris_store" in text and not CODE.search(text)
    _error(_verify(api, started["challenge_id"], "000000"), 409, "code_not_sent")


def test_chat_closed_to_the_bot_falls_back_to_the_link(api, fake_bot, anna):
    fake_bot.closed_chats.add(ANNA_ID)
    started = _request(api).json
    assert started["delivered"] is False
    assert started["bot_link"].split("?start=", 1)[1].startswith("code_")
    _error(_verify(api, started["challenge_id"], "123456"), 409, "code_not_sent")


def test_code_requests_are_rate_limited_per_username(api, fake_bot, anna):
    for _ in range(5):
        assert _request(api).status_code == 200
    response = _request(api, "ANNA_SHOP")
    _error(response, 429, "rate_limited")
    assert response.headers["Retry-After"]
    assert _request(api, "boris_store").status_code == 200  # other usernames unaffected


def test_code_requests_are_capped_per_username_per_day(api, fake_bot, anna, monkeypatch):
    """Five per 15 minutes alone would allow ~2 400 guesses a day at one account's code."""
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("AUTH_CODE_REQUESTS_PER_USERNAME", "100")
    monkeypatch.setenv("AUTH_CODE_REQUESTS_PER_USERNAME_PER_DAY", "7")
    reset_settings_cache()
    try:
        for _ in range(7):
            assert _request(api).status_code == 200
        response = _request(api)
        _error(response, 429, "rate_limited")
        assert "сегодня" in response.json["error"]["message"]
        assert _request(api, "boris_store").status_code == 200
    finally:
        monkeypatch.delenv("AUTH_CODE_REQUESTS_PER_USERNAME")
        monkeypatch.delenv("AUTH_CODE_REQUESTS_PER_USERNAME_PER_DAY")
        reset_settings_cache()


def test_code_requests_are_rate_limited_per_ip(api, fake_bot, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("AUTH_CODE_REQUESTS_PER_IP", "3")
    reset_settings_cache()
    try:
        for name in ("user_one", "user_two", "user_three"):
            assert _request(api, name).status_code == 200
        _error(_request(api, "user_four"), 429, "rate_limited")
    finally:
        monkeypatch.delenv("AUTH_CODE_REQUESTS_PER_IP")
        reset_settings_cache()


@pytest.mark.parametrize("username", ["", "ab", "@@", "имя_пользователя", "a" * 40, None, 5])
def test_invalid_username_is_a_400(api, username):
    _error(_request(api, username), 400, "validation_failed")
