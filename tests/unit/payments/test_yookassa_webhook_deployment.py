"""The webhook is deployed as its own function with its own URL and a light cold start."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from infra.resources import load_template

ROOT = Path(__file__).resolve().parents[3]


def test_the_deployed_handler_is_the_webhook_module_itself():
    resources = load_template()["Resources"]
    module, _, function = resources["YookassaWebhook"]["Properties"]["Handler"].rpartition(".")
    assert callable(getattr(importlib.import_module(module), function))
    assert resources["YookassaWebhookUrl"]["Properties"]["AuthType"] == "NONE"
    assert resources["YookassaWebhookUrlPermission"]["Properties"]["Action"] == \
        "lambda:InvokeFunctionUrl"
    role = resources["YookassaWebhook"]["Properties"]["Role"]
    assert role == {"Fn::GetAtt": ["YookassaWebhookRole", "Arn"]}


def test_webhook_cold_import_loads_no_pillow_sdk_chalice_or_spa_facing_code():
    code = ("import sys, json, functions.yookassa_webhook; "
            "print(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers'}"}
    env.pop("AWS_ENDPOINT_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    modules = set(json.loads(out))
    assert not {"PIL", "numpy", "cv2", "onnxruntime", "yookassa", "chalice", "jwt"} & modules
    assert not {m for m in modules if m.startswith("functions.") and m.endswith("_api")}
