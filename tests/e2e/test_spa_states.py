"""In a real browser on the local stack: how the SPA's states look where only computed CSS can
tell — a chosen style card keeps its accent frame while the pointer is on it (a :hover rule
used to outweigh the chosen one), and so does the popular package's card.

Vitest (jsdom) computes no CSS; the choosing itself is unit-tested there (StyleStep.test.tsx)."""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_accessibility import _product_photo, _seller

pytestmark = pytest.mark.e2e

# the accent as the browser resolves it; a computed box-shadow reads «<colour> 0px 0px 0px 3px»
ACCENT_RGB = """() => { const probe = document.createElement('span');
  probe.style.color = 'var(--accent)'; document.body.append(probe);
  const rgb = getComputedStyle(probe).color; probe.remove(); return rgb; }"""


def _context(browser, stack, token: str, color_scheme: str = "light"):
    context = browser.new_context(base_url=stack.base_url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900},
                                  color_scheme=color_scheme)
    context.set_default_timeout(15_000)
    context.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    return context


def _settled_shadow(page, locator) -> str:
    # the card eases its shadow in 0.25 s: read it once it has stopped changing
    page.wait_for_timeout(400)
    return locator.evaluate("el => getComputedStyle(el).boxShadow")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_chosen_style_card_keeps_its_frame_under_the_pointer(browser, local_stack, tmp_path,
                                                               color_scheme):
    context = _context(browser, local_stack, _seller(local_stack, balance=1), color_scheme)
    page = context.new_page()
    try:
        page.goto("/generate")
        page.get_by_test_id("upload-input").set_input_files(_product_photo(tmp_path))
        page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
        card = page.get_by_test_id("style-option-marble")
        card.click()
        assert card.get_attribute("aria-checked") == "true"
        ring = f"{page.evaluate(ACCENT_RGB)} 0px 0px 0px 3px"

        page.mouse.move(2, 2)  # off every card
        assert ring in _settled_shadow(page, card)
        card.hover()
        assert card.evaluate("el => el.matches(':hover')")
        assert ring in _settled_shadow(page, card), "the chosen card lost its frame on hover"
    finally:
        context.close()


def test_the_popular_package_keeps_its_frame_under_the_pointer(browser, local_stack):
    context = _context(browser, local_stack, _seller(local_stack, balance=1))
    page = context.new_page()
    try:
        page.goto("/packages")
        popular = page.locator('[data-testid^="package-card-"][data-popular="true"]')
        popular.wait_for()
        ring = f"{page.evaluate(ACCENT_RGB)} 0px 0px 0px 2px"

        page.mouse.move(2, 2)
        assert ring in _settled_shadow(page, popular)
        popular.hover()
        assert ring in _settled_shadow(page, popular), "the popular package lost its frame on hover"
    finally:
        context.close()
