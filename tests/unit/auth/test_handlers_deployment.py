"""The authorizer and the bot webhook are deployed as their own modules (not app.py), with
their own roles, and start without loading Pillow, the API modules or the generation code."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.resources import load_template

ROOT = Path(__file__).resolve().parents[3]
HEAVY = {"PIL", "numpy", "cv2", "onnxruntime", "yookassa"}


def _handler(resource: str):
    properties = load_template()["Resources"][resource]["Properties"]
    module, _, function = properties["Handler"].rpartition(".")
    return getattr(importlib.import_module(module), function), properties


def test_the_bot_webhook_runs_its_module_with_its_own_role_and_url():
    handler, properties = _handler("TelegramWebhook")
    from functions.telegram_webhook import handle

    assert handler is handle
    assert properties["Role"] == {"Fn::GetAtt": ["TelegramWebhookRole", "Arn"]}
    resources = load_template()["Resources"]
    assert resources["TelegramWebhookUrl"]["Properties"]["AuthType"] == "NONE"
    assert resources["TelegramWebhookUrlPermission"]["Properties"]["Action"] == \
        "lambda:InvokeFunctionUrl"


def test_the_authorizer_runs_its_module_with_a_users_only_role():
    handler, properties = _handler("JwtAuth")
    from functions.authorizer import handler as module_handler

    assert handler is module_handler
    statements = load_template()["Resources"]["JwtAuthRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"]
    dynamodb = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert dynamodb == [{"Sid": "TokenVersionAndLastActive", "Effect": "Allow",
                         "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                         "Resource": {"Fn::GetAtt": ["UsersTable", "Arn"]}}]


@pytest.mark.parametrize("header", ["Bearer {token}", "Bearer not-a-jwt", "", "Basic abc"])
def test_the_deployed_authorizer_answers_exactly_as_chalices_wrapper(aws, header):
    import app as app_module
    from functions.authorizer import handler
    from photoshoot.auth.sessions import issue_token
    from photoshoot.models import User
    from photoshoot.models.base import utc_now_iso

    User("31337", telegram_id=31337, created_at=utc_now_iso()).save()
    event = {"type": "TOKEN", "authorizationToken": header.format(token=issue_token("31337", 0)),
             "methodArn": "arn:aws:execute-api:eu-central-1:123456789012:abc/api/GET/api/me"}
    declared = {a.handler_string for a in app_module.app.builtin_auth_handlers}
    assert declared == {"app.jwt_auth"}
    assert handler(dict(event), None) == app_module.jwt_auth(dict(event), None)


@pytest.mark.parametrize("module", ["functions.authorizer", "functions.telegram_webhook"])
def test_cold_import_loads_nothing_heavy(module):
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers'}"}
    env.pop("AWS_ENDPOINT_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    modules = set(json.loads(out))
    assert not HEAVY & modules
    assert not {m for m in modules if m.startswith("functions.") and m.endswith("_api")}
    assert not {m for m in modules if m.startswith("photoshoot.generation")
                or m.startswith("photoshoot.payments") or m.startswith("photoshoot.providers")}
