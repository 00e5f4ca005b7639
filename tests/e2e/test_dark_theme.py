"""In a real browser on the local stack: the dark theme. Under a dark system (Playwright's
``color_scheme="dark"``) each page a seller goes through is really dark and axe-core finds no
WCAG 2.2 A/AA violation on it (contrast above all); a light system still gets the light page;
the page follows the system live; inside a Telegram Mini App the Mini App's colorScheme wins
and Telegram's header and background take the page's colour; under forced colours the chosen
format stays marked.

The theme's rules (which source wins, live switches, old clients) are unit-tested in Vitest
(static_site/src/app/theme.test.ts)."""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_accessibility import AXE, _product_photo, _seller
from tests.e2e.test_generate import upload_until_cutout_shown

pytestmark = pytest.mark.e2e

TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]

# A minimal Telegram.WebApp, as telegram-web-app.js defines it inside Telegram (initData left
# empty: no Mini App login, the theme alone is under test); what the page asks of it is kept.
MINI_APP = """
window.__telegram = { calls: [], handlers: [] };
window.Telegram = { WebApp: {
  initData: '', colorScheme: 'dark', version: '8.0',
  isVersionAtLeast: (v) => parseFloat(v) <= 8.0,
  onEvent: (name, fn) => { if (name === 'themeChanged') window.__telegram.handlers.push(fn); },
  offEvent: () => {},
  setHeaderColor: (c) => window.__telegram.calls.push(['setHeaderColor', c]),
  setBackgroundColor: (c) => window.__telegram.calls.push(['setBackgroundColor', c]),
} };
window.__switchTelegramTheme = (scheme) => {
  window.Telegram.WebApp.colorScheme = scheme;
  window.__telegram.handlers.forEach((fn) => fn.call(window.Telegram.WebApp));
};
"""


def _context(browser, stack, color_scheme: str, token: str | None = None):
    context = browser.new_context(base_url=stack.base_url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900},
                                  color_scheme=color_scheme)
    context.set_default_timeout(15_000)
    if token:
        context.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    return context


def _body_background(page) -> tuple[int, int, int]:
    rgb = page.evaluate("""() => getComputedStyle(document.body).backgroundColor
        .match(/\\d+/g).slice(0, 3).map(Number)""")
    return tuple(rgb)


def _luminance(rgb) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hex(rgb) -> str:
    return "#" + "".join(f"{v:02x}" for v in rgb)


def _axe_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in static_site (it is a devDependency).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
             resultTypes: ['violations']})).violations.map(
             v => `${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        TAGS)


def _assert_dark_and_clean(page, state: str) -> None:
    page.wait_for_timeout(300)  # entrance animations (opacity) end before contrast is read
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", state
    assert _luminance(_body_background(page)) < 0.02, f"{state}: the page is not dark"
    assert _axe_violations(page) == [], state


def test_visitor_pages_are_dark_and_pass_axe_under_a_dark_system(browser, local_stack):
    context = _context(browser, local_stack, "dark")
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_test_id("style-gallery").wait_for()
        _assert_dark_and_clean(page, "home, logged out")
        page.goto("/login")
        page.get_by_test_id("login-sandbox-open").click()
        page.get_by_test_id("login-sandbox-form").wait_for()
        _assert_dark_and_clean(page, "login, sandbox form open")
    finally:
        context.close()


def test_seller_pages_are_dark_and_pass_axe_under_a_dark_system(browser, local_stack, tmp_path):
    context = _context(browser, local_stack, "dark", _seller(local_stack, balance=2))
    page = context.new_page()
    try:
        page.goto("/packages")
        page.get_by_test_id("packages-list").wait_for()
        _assert_dark_and_clean(page, "packages")
        page.get_by_test_id("package-buy-start").click()
        page.get_by_test_id("checkout-dialog").wait_for()
        _assert_dark_and_clean(page, "checkout dialog")
        page.keyboard.press("Escape")

        page.goto("/generate")
        upload_until_cutout_shown(page, _product_photo(tmp_path))
        page.get_by_test_id("style-option-marble").click()
        _assert_dark_and_clean(page, "generate, photo ready, styles shown, one chosen")

        page.get_by_test_id("generate-button").click()
        page.wait_for_url("**/generations/**", timeout=30_000)
        page.locator('[data-testid="generation-view"][data-status="succeeded"]').wait_for(
            timeout=120_000)
        page.get_by_test_id("gallery").wait_for()
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=gallery] img')]
            .every(img => img.complete && img.naturalWidth > 0)""")
        _assert_dark_and_clean(page, "finished generation with its gallery")

        page.goto("/profile")
        page.get_by_test_id("generation-history").wait_for(timeout=30_000)
        _assert_dark_and_clean(page, "profile with history")
    finally:
        context.close()


def test_a_light_system_keeps_the_light_page_and_a_switch_is_followed_live(browser, local_stack):
    context = _context(browser, local_stack, "light")
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_test_id("style-gallery").wait_for()
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert _body_background(page) == (246, 245, 242)  # the light --bg, as before
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        assert _luminance(_body_background(page)) < 0.02
        page.emulate_media(color_scheme="light")
        page.wait_for_function("document.documentElement.dataset.theme === 'light'")
        assert _body_background(page) == (246, 245, 242)
    finally:
        context.close()


def test_a_dark_mini_app_under_a_light_system_is_dark_without_a_seam(browser, local_stack):
    context = _context(browser, local_stack, "light")
    context.add_init_script(MINI_APP)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_test_id("style-gallery").wait_for()
        _assert_dark_and_clean(page, "home inside a dark Mini App")
        page_colour = _hex(_body_background(page))
        calls = page.evaluate("window.__telegram.calls")
        assert ["setHeaderColor", page_colour] in calls
        assert ["setBackgroundColor", page_colour] in calls

        # Telegram switched to its light theme: the page and Telegram's chrome follow
        page.evaluate("window.__switchTelegramTheme('light')")
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert _body_background(page) == (246, 245, 242)
        assert page.evaluate("window.__telegram.calls.slice(-2)") == [
            ["setHeaderColor", "#f6f5f2"], ["setBackgroundColor", "#f6f5f2"]]
    finally:
        context.close()


def test_the_chosen_format_stays_marked_under_forced_colours(browser, local_stack, tmp_path):
    context = _context(browser, local_stack, "dark", _seller(local_stack, balance=1))
    page = context.new_page()
    try:
        page.goto("/generate")
        page.get_by_test_id("upload-input").set_input_files(_product_photo(tmp_path))
        page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
        page.get_by_test_id("style-option-marble").click()
        chosen = page.locator('[data-testid^="format-option-"][data-selected="true"]').first
        other = page.locator('[data-testid^="format-option-"][data-selected="false"]').first
        style = page.get_by_test_id("style-option-marble")
        frame = "e => { const s = getComputedStyle(e, '::after'); return s.borderTopStyle; }"

        page.emulate_media(forced_colors="active")
        for option in (chosen, style):
            assert option.evaluate(frame) == "solid"
        assert other.evaluate(frame) == "none"
        # the frame is the system's Highlight, which forced colours keep
        highlight = page.evaluate("""() => { const e = document.createElement('i');
            e.style.color = 'Highlight'; document.body.append(e);
            const c = getComputedStyle(e).color; e.remove(); return c; }""")
        assert chosen.evaluate("e => getComputedStyle(e, '::after').borderTopColor") == highlight

        page.emulate_media(forced_colors="none")
        assert chosen.evaluate(frame) == "none"  # outside forced colours the look is as before
    finally:
        context.close()
