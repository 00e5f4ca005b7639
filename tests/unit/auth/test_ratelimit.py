"""Fixed-window rate limits shared by login codes and generations."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from photoshoot.errors import RateLimited
from photoshoot.ratelimit import hit


def test_requests_up_to_the_limit_pass_and_the_next_is_refused(aws):
    now = 1_000_000.0
    assert [hit("code", "alice", 3, 60, now=now) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        hit("code", "alice", 3, 60, now=now + 1)
    assert refused.value.status == 429
    assert "Подождите" in refused.value.message
    assert 1 <= refused.value.details["retry_after_s"] <= 60


def test_a_new_window_starts_from_zero(aws):
    now = 1_000_020.0  # window [1_000_020, 1_000_080) for 60 s windows
    for _ in range(2):
        hit("code", "bob", 2, 60, now=now)
    with pytest.raises(RateLimited):
        hit("code", "bob", 2, 60, now=now)
    assert hit("code", "bob", 2, 60, now=now + 60) == 1


def test_scopes_and_keys_are_counted_separately(aws):
    now = 2_000_000.0
    hit("code-user", "carol", 1, 60, now=now)
    assert hit("code-ip", "carol", 1, 60, now=now) == 1
    assert hit("code-user", "dave", 1, 60, now=now) == 1
    with pytest.raises(RateLimited):
        hit("code-user", "carol", 1, 60, now=now)


def test_concurrent_hits_are_all_counted(aws):
    now = 3_000_000.0

    def one(_):
        try:
            hit("gen", "eve", 10, 60, now=now)
            return True
        except RateLimited:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(25)))
    assert results.count(True) == 10


def test_keys_are_not_stored_in_clear_and_windows_expire(aws):
    from photoshoot.models import RateCounter

    hit("code-ip", "203.0.113.7", 5, 600, now=4_000_000.0)
    items = list(RateCounter.scan())
    assert len(items) == 1
    assert "203.0.113.7" not in items[0].bucket_id
    assert items[0].expires_at.timestamp() > 4_000_000.0


def test_custom_message_is_shown(aws):
    with pytest.raises(RateLimited) as refused:
        for _ in range(3):
            hit("gen", "frank", 2, 60, now=5_000_000.0, message="Не больше 2 генераций в минуту.")
    assert refused.value.message == "Не больше 2 генераций в минуту."


@pytest.mark.parametrize("address,key", [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("[2001:db8:1:2:ffff:ffff:ffff:ffff]", "2001:db8:1:2::/64"),
    ("", "unknown"), (None, "unknown"),
])
def test_an_ipv6_caller_is_one_key_for_its_whole_slash_64(address, key):
    from photoshoot.ratelimit import address_key

    assert address_key(address) == key


def test_login_starts_from_one_ipv6_slash_64_share_one_limit(aws, monkeypatch):
    # Each request from a fresh address of the same /64 used to get a fresh per-IP bucket.
    from photoshoot.auth.login import request_login_code, start_link_login
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("AUTH_CODE_REQUESTS_PER_IP", "2")
    reset_settings_cache()
    try:
        start_link_login({}, "2001:db8:77:1::1")
        request_login_code({"username": "user_one"}, "2001:db8:77:1::2")
        with pytest.raises(RateLimited):
            start_link_login({}, "2001:db8:77:1:dead:beef:0:3")
        with pytest.raises(RateLimited):
            request_login_code({"username": "user_two"}, "2001:db8:77:1::4")
        start_link_login({}, "2001:db8:77:2::1")  # the next /64 is someone else
    finally:
        monkeypatch.delenv("AUTH_CODE_REQUESTS_PER_IP")
        reset_settings_cache()
