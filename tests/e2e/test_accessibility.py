"""In a real browser on the local stack: axe-core (the SPA's pinned devDependency, read from
static_site/node_modules) finds no WCAG 2.2 A/AA or best-practice violation on the pages and
states a seller goes through, and the keyboard walk holds: a skip link, the focus on the new
page's heading after a navigation, the zoom closed with Esc gives the focus back.

What only a browser shows lives here — colour contrast, heading order across the page, the
keyboard reach of scrolling regions; the rules behind each fix are unit-tested in Vitest."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static_site" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _axe_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in static_site (it is a devDependency).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
             resultTypes: ['violations']})).violations.map(
             v => `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        TAGS)
    return found


def _assert_clean(page, state: str) -> None:
    page.wait_for_timeout(300)  # entrance animations (opacity) end before contrast is read
    assert _axe_violations(page) == [], state


def _seller(stack, balance: int, is_admin: bool = False) -> str:
    from photoshoot.auth.sessions import issue_token

    user_id = str(640_000_000 + uuid.uuid4().int % 9_999_999)
    item = {"user_id": {"S": user_id}, "telegram_id": {"N": user_id},
            "first_name": {"S": "Анна"}, "balance": {"N": str(balance)}, "spent": {"N": "0"},
            "token_version": {"N": "0"}, "created_at": {"S": "2026-01-01T00:00:00Z"}}
    if is_admin:
        item["is_admin"] = {"BOOL": True}
    boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="eu-central-1",
                 aws_access_key_id="local", aws_secret_access_key="local").put_item(
        TableName=f"{stack.env.get('TABLE_PREFIX', 'photoshoot-')}users", Item=item)
    return issue_token(user_id, 0)


def _product_photo(tmp_path) -> str:
    from PIL import Image

    from photoshoot.providers.studio.specimens import make_specimen

    path = tmp_path / "bottle.jpg"
    Image.fromarray(make_specimen("bottle", "plain", seed=4, size=(720, 960)).image).save(
        path, "JPEG", quality=90)
    return str(path)


def _refusal(response) -> str:
    """``GET …/api/me → session_invalid``: session_invalid or session_expired say the
    authorizer refused the token; unauthorized, that no token was sent or that a view ran
    without the authorizer's identity (tests/integration/test_local_front_threads.py)."""
    try:
        code = response.json()["error"]["code"]
    except Exception:  # noqa: BLE001 - a diagnostic must not hide the failure it explains
        code = "?"
    return f"{response.request.method} {response.url} → {code}"


def _focused(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return `${e.tagName} ${e.dataset.testid || ''} ${e.textContent.trim().slice(0, 40)}`.trim(); }""")


def test_visitor_pages_pass_axe_and_the_skip_link_leads_to_the_page(page):
    page.goto("/")
    page.get_by_test_id("style-gallery").wait_for()
    _assert_clean(page, "home, logged out")
    page.keyboard.press("Tab")
    assert page.get_by_test_id("skip-link").evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    assert _focused(page).startswith("MAIN")

    page.goto("/login")
    page.get_by_test_id("login-sandbox-open").click()
    page.get_by_test_id("login-sandbox-form").wait_for()
    _assert_clean(page, "login, sandbox form open (Telegram-blue buttons)")


def test_seller_flow_passes_axe_and_keeps_the_keyboard_focus(page, local_stack, tmp_path):
    token = _seller(local_stack, balance=2)
    page.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    page.goto("/packages")
    page.get_by_test_id("packages-list").wait_for()
    _assert_clean(page, "packages")
    page.get_by_test_id("package-buy-start").click()
    page.get_by_test_id("checkout-dialog").wait_for()
    _assert_clean(page, "checkout dialog")
    page.keyboard.press("Escape")
    assert page.get_by_test_id("package-buy-start").evaluate("e => e === document.activeElement")

    # a header link: the new page's heading takes the focus
    page.locator('header a[href="/generate"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/generate")
    page.wait_for_function("document.activeElement.tagName === 'H1'")
    assert "Новая фотосессия" in _focused(page)
    page.get_by_test_id("upload-input").set_input_files(_product_photo(tmp_path))
    page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
    _assert_clean(page, "generate, photo ready, suggestions shown")

    page.get_by_test_id("style-option-marble").click()
    page.get_by_test_id("generate-button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/generations/**", timeout=30_000)
    # the button left with the form: the focus is on the live page's heading, not the body
    page.wait_for_function("document.activeElement.tagName === 'H1'")
    page.locator('[data-testid="generation-view"][data-status="succeeded"]').wait_for(
        timeout=120_000)
    _assert_clean(page, "results gallery")
    tile = page.get_by_test_id("gallery-image-1")
    tile.focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("lightbox").wait_for()
    _assert_clean(page, "lightbox (the photo's size on the dark bar)")
    page.keyboard.press("ArrowRight")
    assert page.get_by_test_id("lightbox-position").inner_text() == "Фото 3 из 4"
    page.keyboard.press("Escape")
    assert tile.evaluate("e => e === document.activeElement")

    refused = []  # if the session ends here, say which request ended it and why
    page.on("response", lambda response: response.status == 401 and refused.append(response))
    page.goto("/profile")
    page.wait_for_function("document.querySelector('[data-testid=generation-history]')"
                           " || location.pathname.startsWith('/login')", timeout=30_000)
    assert "/login" not in page.url, \
        f"the session ended on reload: {[_refusal(response) for response in refused]}"
    _assert_clean(page, "profile with history")


def test_admin_statistics_pass_axe(browser, local_stack):
    context = browser.new_context(base_url=local_stack.base_url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    token = _seller(local_stack, balance=0, is_admin=True)
    context.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    page = context.new_page()
    try:
        page.goto("/admin")
        page.get_by_test_id("admin-totals").wait_for()
        _assert_clean(page, "admin statistics (wide tables scroll from the keyboard)")
        page.get_by_test_id("admin-tab-stats").focus()
        page.keyboard.press("ArrowRight")
        page.get_by_test_id("admin-packages").wait_for()
        _assert_clean(page, "admin packages")
    finally:
        context.close()
