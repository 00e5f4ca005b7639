"""The SPA as a Telegram Mini App, in a real browser on the local stack: Telegram's BackButton
follows the SPA's pages, «close anyway?» guards the photo on its way, a finished photoshoot is
felt once in the hand, and the ZIP goes to Telegram's download popup when its link is https.

An init script installs a fake ``Telegram.WebApp`` (as telegram-web-app.js gives it inside
Telegram, Bot API 8.0) before the SPA loads; it records what the app asks of Telegram in
``window.__telegram.calls``. Its initData is signed with the stack's bot token, so the app's own
Mini App login (POST /api/auth/webapp) passes as it would inside Telegram."""
from __future__ import annotations

import json
import time
from urllib.parse import urlencode, urlsplit

import pytest

from tests.e2e.test_generate import _product_photo, _seller

pytestmark = pytest.mark.e2e

FAKE_WEB_APP = """
(() => {
  const calls = [];
  const backHandlers = [];
  const version = '8.0';
  const atLeast = (wanted) => {
    const [a, b] = [version, wanted].map((v) => v.split('.').map(Number));
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  };
  const backButton = {
    isVisible: false,
    show() { backButton.isVisible = true; calls.push(['BackButton.show']); },
    hide() { backButton.isVisible = false; calls.push(['BackButton.hide']); },
    onClick(handler) { calls.push(['BackButton.onClick']); if (!backHandlers.includes(handler)) backHandlers.push(handler); },
    offClick(handler) {
      calls.push(['BackButton.offClick']);
      const at = backHandlers.indexOf(handler);
      if (at >= 0) backHandlers.splice(at, 1);
    },
  };
  window.__telegram = {
    calls,
    backHandlers: () => backHandlers.length,
    pressBack: () => [...backHandlers].forEach((handler) => handler()),
  };
  window.Telegram = { WebApp: {
    initData: INIT_DATA, version, platform: 'android', colorScheme: 'light', isFullscreen: false,
    isVersionAtLeast: atLeast,
    onEvent() {}, offEvent() {}, ready() {}, expand() {},
    BackButton: backButton,
    HapticFeedback: { notificationOccurred: (type) => calls.push(['HapticFeedback.notificationOccurred', type]) },
    enableClosingConfirmation: () => calls.push(['enableClosingConfirmation']),
    disableClosingConfirmation: () => calls.push(['disableClosingConfirmation']),
    openLink: (url) => calls.push(['openLink', url]),
    openTelegramLink: (url) => calls.push(['openTelegramLink', url]),
    downloadFile: (params, callback) => { calls.push(['downloadFile', params]); if (callback) callback(true); },
  } };
})();
"""


def _init_data(stack, user_id: str) -> str:
    """initData as Telegram signs it for this bot (key from the stack's bot token)."""
    from photoshoot.auth.telegram_login import webapp_hash

    token = stack.env.get("TELEGRAM_BOT_TOKEN") or "123456:LOCAL-SANDBOX-TOKEN"
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "auth_date": str(int(time.time())),
              "user": json.dumps({"id": int(user_id), "first_name": "Анна"})}
    fields["hash"] = webapp_hash(fields, token)
    return urlencode(fields)


def _calls(page, name: str) -> list:
    return page.evaluate("(name) => window.__telegram.calls.filter((c) => c[0] === name)", name)


def test_mini_app_back_button_haptics_and_downloads(local_stack, page, tmp_path):
    stack = local_stack
    user_id, token = _seller(stack, balance=1)
    page.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    page.add_init_script(FAKE_WEB_APP.replace("INIT_DATA", json.dumps(_init_data(stack, user_id))))
    page.set_viewport_size({"width": 390, "height": 800})  # a phone, as Telegram opens it
    with page.expect_response("**/api/auth/webapp") as login:
        page.goto("/")
    assert login.value.status == 200  # the Mini App login took the signed initData
    page.get_by_test_id("header-balance").wait_for()
    assert page.evaluate("window.Telegram.WebApp.BackButton.isVisible") is False

    # the back arrow appears off the start page and leads back through the SPA
    page.get_by_test_id("tab-create").click()
    page.wait_for_url("**/generate")
    page.wait_for_function("window.Telegram.WebApp.BackButton.isVisible === true")
    assert page.evaluate("window.__telegram.backHandlers()") == 1

    # the photo on its way: «close anyway?» on, and off again once it is in
    page.get_by_test_id("upload-input").set_input_files(_product_photo(tmp_path))
    page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
    assert len(_calls(page, "enableClosingConfirmation")) == 1
    page.wait_for_function(
        "window.__telegram.calls.filter((c) => c[0] === 'disableClosingConfirmation').length >= 1")

    page.get_by_test_id("style-option-marble").click()
    page.get_by_test_id("generate-button").click()
    page.wait_for_url("**/generations/**", timeout=30_000)
    generation_id = urlsplit(page.url).path.rsplit("/", 1)[-1]
    page.locator('[data-testid="generation-view"][data-status="succeeded"]').wait_for(
        timeout=120_000)
    # the creation (POST /api/generations) was guarded too, and released
    enabled = _calls(page, "enableClosingConfirmation")
    disabled = _calls(page, "disableClosingConfirmation")
    assert len(enabled) == 2 and len(disabled) == 2, (enabled, disabled)

    # finished while watched: one success in the hand, whatever renders after
    page.wait_for_timeout(500)
    assert _calls(page, "HapticFeedback.notificationOccurred") == [
        ["HapticFeedback.notificationOccurred", "success"]]

    # the local stack's links are http: Telegram's popup takes https only, so the ZIP is
    # downloaded as in a browser
    with page.expect_download(timeout=30_000) as download:
        page.get_by_test_id("download-all").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert _calls(page, "downloadFile") == []

    # in AWS the archive link is https (S3 / CloudFront): then Telegram's popup saves it
    def https_archive(route):
        response = route.fetch()
        body = response.json()
        plain = urlsplit(body["url"])
        body["url"] = f"https://media.photoshoot.example{plain.path}?{plain.query}"
        route.fulfill(response=response, json=body)

    page.route("**/api/generations/*/archive", https_archive)
    page.get_by_test_id("download-all").click()
    page.wait_for_function(
        "window.__telegram.calls.some((c) => c[0] === 'downloadFile')", timeout=15_000)
    [[_, params]] = _calls(page, "downloadFile")
    assert params["url"].startswith("https://media.photoshoot.example/")
    assert params["file_name"] == f"photoshoot-{generation_id.lower()}.zip"
    assert "/generations/" in page.url  # the webview stayed on the page

    # back: to the form, then to the start page, where the arrow goes away
    page.evaluate("window.__telegram.pressBack()")
    page.wait_for_url("**/generate")
    page.evaluate("window.__telegram.pressBack()")
    page.wait_for_function("location.pathname === '/'")
    page.wait_for_function("window.Telegram.WebApp.BackButton.isVisible === false")
    assert page.evaluate("window.__telegram.backHandlers()") == 0
    assert len(_calls(page, "HapticFeedback.notificationOccurred")) == 1
