"""Browser fixtures for the end-to-end tests: Debian's Chromium driven by Playwright against
the local stack (the session's ``local_stack`` from ``tests/integration/conftest.py``).

``browser`` is one headless Chromium per test module (module scope, so a module that drives
Playwright itself never meets a running sync loop from another); ``page`` is a fresh context
(own cookies and localStorage) per test with ``base_url`` = the session's stack, so
``page.goto("/login")`` works. Other browser tests reuse both (or ``browser`` with their own
stack).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.conftest import local_stack  # noqa: F401 - the shared stack fixture

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: run `make chromium` (Debian's chromium package).")
    return path


def _ensure_spa_built() -> None:
    if (ROOT / "static_site" / "dist" / "index.html").exists():
        return
    npm = shutil.which("npm")
    if npm is None or not (ROOT / "static_site" / "node_modules").exists():
        pytest.fail("The SPA is not built: run `make spa` (npm ci + vite build).")
    subprocess.run([npm, "--prefix", str(ROOT / "static_site"), "run", "build"], check=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    _ensure_spa_built()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, local_stack):  # noqa: F811 - the imported fixture, by name
    context = browser.new_context(base_url=local_stack.base_url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
