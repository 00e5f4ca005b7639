"""Stage the deployable app and run ``chalice package`` with our merge template.

Chalice zips only ``app.py``, ``chalicelib/`` and ``vendor/`` (whose contents land at the zip
root), so ``functions/`` and the ``photoshoot`` layer package are staged into ``vendor/`` of a
clean build directory. Third-party dependencies ship as Lambda layers declared in
``template.yaml``; the staged ``requirements.txt`` is empty so packaging needs no network.

Usage: python -m infra.package <output-dir>
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = "prod"


def stage_app(build_dir: Path) -> Path:
    app_dir = build_dir / "app"
    if app_dir.exists():
        shutil.rmtree(app_dir)
    app_dir.mkdir(parents=True)
    shutil.copy2(ROOT / "app.py", app_dir / "app.py")
    shutil.copytree(ROOT / ".chalice", app_dir / ".chalice",
                    ignore=shutil.ignore_patterns("deployments", "venv"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "functions", app_dir / "vendor" / "functions", ignore=ignore)
    shutil.copytree(ROOT / "layers" / "photoshoot", app_dir / "vendor" / "photoshoot",
                    ignore=ignore)
    (app_dir / "requirements.txt").write_text("", encoding="utf-8")
    return app_dir


def package(out_dir: Path) -> Path:
    build_dir = ROOT / "build"
    app_dir = stage_app(build_dir)
    out_dir = out_dir.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION",
                                                               "eu-central-1")}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", STAGE, "--pkg-format", "cloudformation",
                    "--merge-template", str(ROOT / "template.yaml"), str(out_dir)],
                   cwd=app_dir, env=env, check=True)
    return next(p for p in (out_dir / "sam.yaml", out_dir / "sam.json") if p.exists())


if __name__ == "__main__":
    print(package(Path(sys.argv[1] if len(sys.argv) > 1 else "build/package")))
