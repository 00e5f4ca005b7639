"""Settings outside the local stack: secrets come from SSM, never from a default, and a
function with missing or sandbox settings refuses to start instead of running with a
well-known key."""
from __future__ import annotations

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws

from photoshoot.settings import MisconfiguredError, get_settings, reset_settings_cache

PATH = "/photoshoot/prod"
SECRETS = {"JWT_SECRET": "s" * 48, "TELEGRAM_BOT_TOKEN": "777:real-bot-token",
           "TELEGRAM_WEBHOOK_SECRET": "hook-secret-from-ssm", "YOOKASSA_SHOP_ID": "512345",
           "YOOKASSA_SECRET_KEY": "live_secret_from_ssm", "METRIKA_TOKEN": "metrika-token"}

DEPLOYED_URLS = {"PUBLIC_BASE_URL": "https://photoshoot.example",
                 "WS_MANAGEMENT_ENDPOINT": "https://abc123.execute-api.eu-central-1.amazonaws.com/api",
                 "WS_PUBLIC_URL": "wss://abc123.execute-api.eu-central-1.amazonaws.com/api",
                 "SUPPORT_CONTACT": "@photoshoot_support"}


@pytest.fixture
def prod(monkeypatch):
    """A deployed function's environment: no secrets in it, only where to find them."""
    for name in (*SECRETS, "STAGE", "SECRETS_PARAMETER_PATH", "TELEGRAM_LOGIN_SANDBOX",
                 "TELEGRAM_API_BASE", "YOOKASSA_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("SECRETS_PARAMETER_PATH", PATH)
    for name, value in DEPLOYED_URLS.items():  # what template.yaml's Globals set
        monkeypatch.setenv(name, value)
    parameters.clear_caches()
    reset_settings_cache()
    with mock_aws():
        yield boto3.client("ssm", region_name="eu-central-1")
    parameters.clear_caches()
    monkeypatch.undo()
    reset_settings_cache()


def _store(ssm, values: dict) -> None:
    for name, value in values.items():
        ssm.put_parameter(Name=f"{PATH}/{name}", Value=value, Type="SecureString")


def test_local_stage_runs_on_sandbox_defaults():
    reset_settings_cache()
    settings = get_settings()
    assert settings.stage == "local"
    assert settings.telegram_login_sandbox and "/sandbox/" in settings.yookassa_api_base


def test_secrets_are_read_from_ssm(prod):
    _store(prod, SECRETS)
    prod.put_parameter(Name="/photoshoot/other/JWT_SECRET", Value="x" * 40,
                       Type="SecureString")
    settings = get_settings()
    assert settings.jwt_secret == SECRETS["JWT_SECRET"]
    assert settings.telegram_bot_token == SECRETS["TELEGRAM_BOT_TOKEN"]
    assert settings.yookassa_secret_key == SECRETS["YOOKASSA_SECRET_KEY"]
    assert settings.metrika_token == SECRETS["METRIKA_TOKEN"]
    # outside the local stage the real services are the defaults, never the sandboxes
    assert not settings.telegram_login_sandbox
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.yookassa_api_base == "https://api.yookassa.ru/v3"


def test_missing_secrets_stop_the_function_and_name_no_values(prod):
    _store(prod, {"JWT_SECRET": SECRETS["JWT_SECRET"],
                  "TELEGRAM_BOT_TOKEN": SECRETS["TELEGRAM_BOT_TOKEN"]})
    with pytest.raises(MisconfiguredError) as raised:
        get_settings()
    message = str(raised.value)
    for name in ("TELEGRAM_WEBHOOK_SECRET", "YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY"):
        assert f"{name} is not set" in message
    assert "JWT_SECRET is not set" not in message
    assert SECRETS["JWT_SECRET"] not in message and SECRETS["TELEGRAM_BOT_TOKEN"] not in message


def test_no_local_default_is_ever_used_outside_the_local_stage(prod):
    with pytest.raises(MisconfiguredError) as raised:
        get_settings()
    assert "local-dev-jwt-secret" not in str(raised.value)
    assert "JWT_SECRET is not set" in str(raised.value)


@pytest.mark.parametrize("override,problem", [
    ({"JWT_SECRET": "short"}, "JWT_SECRET is shorter than 32"),
    ({"TELEGRAM_LOGIN_SANDBOX": "true"}, "TELEGRAM_LOGIN_SANDBOX is on"),
    ({"YOOKASSA_API_BASE": "https://x.example/sandbox/yookassa/v3"},
     "YOOKASSA_API_BASE points at a local sandbox"),
    ({"WS_MANAGEMENT_ENDPOINT": "http://localhost:8001"},
     "WS_MANAGEMENT_ENDPOINT is not a public https/wss URL"),
    ({"PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL is not a public https/wss URL"),
    ({"SUPPORT_CONTACT": ""}, "SUPPORT_CONTACT is not set"),
])
def test_unsafe_settings_stop_the_function(prod, monkeypatch, override, problem):
    _store(prod, SECRETS)
    for name, value in override.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(MisconfiguredError, match=problem):
        get_settings()


def test_the_environment_wins_over_ssm(prod, monkeypatch):
    _store(prod, SECRETS)
    monkeypatch.setenv("YOOKASSA_SHOP_ID", "600600")
    assert get_settings().yookassa_shop_id == "600600"
