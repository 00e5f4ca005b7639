"""An account receives at most AUTH_WRONG_CODES_PER_DAY wrong login codes a day, across all
its codes: 5 tries per code and 20 codes a day used to allow 100 guesses at a 6-digit code."""
from photoshoot.models import AuthChallenge
from tests.unit.auth.test_code_login import _request, _verify, _wrong, anna  # noqa: F401
from tests.unit.telegram.fakes import ANNA

ANNA_ID = ANNA["id"]


def _spend_wrong(api, fake_bot, times: int) -> None:
    started = _request(api).json
    code = fake_bot.last_code(ANNA_ID)
    for _ in range(times):
        assert _verify(api, started["challenge_id"], _wrong(code)).status_code == 400


def test_after_ten_wrong_codes_even_the_right_one_waits_for_tomorrow(api, fake_bot,
                                                                      anna):  # noqa: F811
    _spend_wrong(api, fake_bot, 5)  # the first code burns after its 5 tries
    _spend_wrong(api, fake_bot, 5)  # the tenth wrong code of the day
    started = _request(api).json
    answer = _verify(api, started["challenge_id"], fake_bot.last_code(ANNA_ID))
    assert answer.status_code == 429
    assert "Слишком много неверных кодов за сутки" in answer.json["error"]["message"]
    assert answer.json["error"]["details"]["retry_after_s"] > 0
    assert "token" not in answer.json
    burned = [c for c in AuthChallenge.scan() if c.status == "burned"]
    assert len(burned) == 3  # the right code is spent too: no retry of it tomorrow


def test_an_eleventh_wrong_code_is_refused_as_such(api, fake_bot, anna):  # noqa: F811
    _spend_wrong(api, fake_bot, 5)
    _spend_wrong(api, fake_bot, 5)
    started = _request(api).json
    answer = _verify(api, started["challenge_id"], _wrong(fake_bot.last_code(ANNA_ID)))
    assert answer.status_code == 429


def test_under_the_budget_the_right_code_still_logs_in(api, fake_bot, anna):  # noqa: F811
    _spend_wrong(api, fake_bot, 5)
    _spend_wrong(api, fake_bot, 4)  # nine wrong codes today
    started = _request(api).json
    answer = _verify(api, started["challenge_id"], fake_bot.last_code(ANNA_ID))
    assert answer.status_code == 200 and answer.json["token"]
