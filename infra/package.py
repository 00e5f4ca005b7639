"""Stage the deployable app, run ``chalice package`` with our merge template, and shape each
function the way it ships (``infra/lambda_bundles.py``).

Chalice zips only ``app.py``, ``chalicelib/`` and ``vendor/`` (whose contents land at the zip
root), so ``functions/`` is staged into ``vendor/`` of a clean build directory; the staged
``requirements.txt`` is empty. Zip functions get the template's two layers (third-party
dependencies built for Lambda's platform, and the ``photoshoot`` domain package), built here
into ``<output-dir>/layers/``; the functions that can reach the studio renderer's image stack
become image functions of the ``StudioImageUri`` image (``infra/lambda/Dockerfile``).

Usage: python -m infra.package <output-dir> [--no-layers]
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from infra import lambda_bundles
from infra.resources import CfnLoader

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
    (app_dir / "requirements.txt").write_text("", encoding="utf-8")
    return app_dir


def shape_functions(template: dict) -> dict[str, str]:
    """Zip functions get the two layers; the others run from the studio image with their
    handler as the image's command. Returns each function's package type."""
    shapes = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        function = lambda_bundles.DeployedFunction(logical_id, properties["Handler"])
        if lambda_bundles.needs_studio_image(function):
            for key in ("CodeUri", "Handler", "Runtime", "Layers"):
                properties.pop(key, None)
            properties.update({"PackageType": "Image",
                               "ImageUri": {"Ref": "StudioImageUri"},
                               "ImageConfig": {"Command": [function.handler]}})
            shapes[logical_id] = "Image"
        else:
            properties["Layers"] = [{"Ref": name} for name in lambda_bundles.ZIP_LAYERS]
            shapes[logical_id] = "Zip"
    return shapes


def copy_definitions(template: dict, out_dir: Path) -> None:
    """State machine definitions are named by their repository path in template.yaml; the
    packaged template names its own copy, wherever the package is built."""
    for resource in template["Resources"].values():
        properties = resource.get("Properties") or {}
        uri = properties.get("DefinitionUri")
        if resource.get("Type") != "AWS::Serverless::StateMachine" or not isinstance(uri, str):
            continue
        source = ROOT / uri
        target = out_dir / "statemachine" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        properties["DefinitionUri"] = f"./statemachine/{source.name}"


def load_packaged(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)


def package(out_dir: Path, layers: bool = True) -> Path:
    out_dir = out_dir.resolve()
    # Staged beside the output, so two packagings (a test and `make package`) never share it.
    app_dir = stage_app(out_dir.with_name(f".{out_dir.name}-staging"))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    # Chalice imports app.py to find its entry points; the domain package is not staged
    # into the zip (it ships as a layer), so it is found where it lives.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers"),
           "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-central-1")}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", STAGE, "--pkg-format", "cloudformation",
                    "--merge-template", str(ROOT / "template.yaml"), str(out_dir)],
                   cwd=app_dir, env=env, check=True)
    packaged = out_dir / "sam.yaml"
    template = load_packaged(packaged)
    shape_functions(template)
    copy_definitions(template, out_dir)
    packaged.write_text(yaml.safe_dump(template, sort_keys=False, allow_unicode=True,
                                       width=100), encoding="utf-8")
    if layers:
        lambda_bundles.build_layers(out_dir)
    return packaged


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    print(package(Path(arguments[0] if arguments else "build/package"),
                  layers="--no-layers" not in sys.argv))
