"""Every Lambda loads app.py; heavy libraries must be imported only where they are used,
so the webhook and auth functions start fast (budget: ≤ 1.5× ``import boto3``)."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["PIL", "numpy", "cv2", "onnxruntime", "yookassa"]


def test_loading_app_imports_no_heavy_library():
    code = ("import sys, json, app; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers'}"}
    env.pop("AWS_ENDPOINT_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    assert json.loads(out) == []
