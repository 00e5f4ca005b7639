"""In a real browser on the local stack: WCAG 1.4.11 (non-text contrast, AA) for the keyboard
focus indicator and the form fields, in the light and the dark theme. Tab reaches a button, a
link, an option of the style radio group, a format option and the text fields; the ring the
browser draws (outline, or a box-shadow ring) is read from the computed style, composited over
what is really behind it (the ancestors' backgrounds) and must reach 3:1 against it, and against
every surface of the theme it can sit on. A field's border reaches 3:1 against the field's own
fill and against what is around it.

axe-core does not measure either (its colour-contrast rule is about text), so the relative
luminance is computed here, as WCAG 2.2 defines it."""
from __future__ import annotations

import json
import re

import pytest

from tests.e2e.test_accessibility import _seller

pytestmark = pytest.mark.e2e

AA_NON_TEXT = 3.0
# the surfaces a control of either theme sits on (global.css)
SURFACES = ("--bg", "--surface", "--surface-2", "--accent-soft")

RGB = re.compile(r"rgba?\(([^)]*)\)")
SHADOW = re.compile(r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px(\s+inset)?")

# what the browser paints for the focused element, and the backgrounds behind it, innermost first
PAINT = """(e) => {
  const s = getComputedStyle(e);
  const behind = [];
  for (let p = e.parentElement; p; p = p.parentElement) behind.push(getComputedStyle(p).backgroundColor);
  return { outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
           outlineOffset: parseFloat(s.outlineOffset), outlineColor: s.outlineColor,
           boxShadow: s.boxShadow, border: s.borderTopColor, borderWidth: parseFloat(s.borderTopWidth),
           fill: s.backgroundColor, behind };
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    match = RGB.fullmatch(css.strip())
    assert match, f"not an rgb() colour: {css}"
    parts = [float(v) for v in re.split(r"[\s,/]+", match.group(1).strip()) if v]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _over(top: tuple, bottom: tuple) -> tuple:
    """``top`` painted over an opaque ``bottom``."""
    alpha = top[3]
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], bottom[:3])) + (1.0,)


def _flatten(layers: list[str]) -> tuple:
    """The colour seen through ``layers`` (innermost first) down to the white canvas."""
    colour = (255.0, 255.0, 255.0, 1.0)
    for css in reversed(layers):
        colour = _over(_rgba(css), colour)
    return colour


def _luminance(rgb) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _ring(paint: dict) -> tuple[str, float]:
    """The focus indicator's colour and thickness: a solid outline, or else the thickest outer
    box-shadow ring (spread without blur)."""
    if paint["outlineStyle"] not in ("none", "hidden") and paint["outlineWidth"] >= 1:
        return paint["outlineColor"], paint["outlineWidth"]
    rings = [(m.group(1), float(m.group(5))) for m in SHADOW.finditer(paint["boxShadow"])
             if not m.group(6) and float(m.group(4)) == 0 and float(m.group(5)) > 0]
    assert rings, f"no focus indicator: outline {paint['outlineStyle']}, box-shadow {paint['boxShadow']}"
    return max(rings, key=lambda ring: ring[1])


def _context(browser, stack, scheme: str, token: str | None = None):
    context = browser.new_context(base_url=stack.base_url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(15_000)
    if token:
        context.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    return context


def _tab_to(page, locator, limit: int = 120) -> None:
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("e => e === document.activeElement", target):
            return
    pytest.fail(f"Tab never reached {locator}")


def _surfaces(page) -> dict[str, tuple]:
    values = page.evaluate("""(names) => { const s = getComputedStyle(document.documentElement);
        const probe = document.createElement('i'); document.body.append(probe);
        const out = {};
        for (const n of names) { probe.style.color = `var(${n})`; out[n] = getComputedStyle(probe).color; }
        probe.remove(); return out; }""", list(SURFACES))
    return {name: _rgba(css) for name, css in values.items()}


def _assert_focus_ring(page, locator, what: str, scheme: str, drawn_on=None) -> None:
    """``drawn_on``: the element that shows the ring when not the focused one itself."""
    _tab_to(page, locator)
    page.wait_for_timeout(250)  # transitions (box-shadow, border) end before the colour is read
    paint = (drawn_on or locator).evaluate(PAINT)
    colour, width = _ring(paint)
    backdrop = _flatten(paint["behind"])
    ring = _over(_rgba(colour), backdrop)
    measured = _contrast(ring, backdrop)
    assert width >= 2, f"{scheme}, {what}: the ring is {width}px thin"
    assert measured >= AA_NON_TEXT, (
        f"{scheme}, {what}: focus ring {colour} is {measured:.2f}:1 against the background behind it")
    for name, surface in _surfaces(page).items():
        on_surface = _contrast(_over(_rgba(colour), surface), surface)
        assert on_surface >= AA_NON_TEXT, (
            f"{scheme}, {what}: focus ring {colour} is {on_surface:.2f}:1 on {name}")


def _assert_field_boundary(page, locator, what: str, scheme: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(250)
    paint = locator.evaluate(PAINT)
    assert paint["borderWidth"] >= 1, f"{scheme}, {what}: no border"
    around = _flatten(paint["behind"])
    fill = _over(_rgba(paint["fill"]), around)
    border = _over(_rgba(paint["border"]), fill)
    for against, name in ((fill, "its fill"), (around, "the background around it")):
        measured = _contrast(border, against)
        assert measured >= AA_NON_TEXT, (
            f"{scheme}, {what}: border {paint['border']} is {measured:.2f}:1 against {name}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_and_field_borders_reach_3_to_1_on_the_generate_page(
        browser, local_stack, scheme):
    context = _context(browser, local_stack, scheme, _seller(local_stack, balance=1))
    page = context.new_page()
    try:
        page.goto("/generate")
        page.get_by_test_id("style-step").wait_for()
        assert page.evaluate("document.documentElement.dataset.theme") == scheme

        _assert_focus_ring(page, page.locator('header a[href="/packages"]').first, "header link", scheme)
        # the primary button on the dropzone (--surface-2)
        _assert_focus_ring(page, page.get_by_test_id("upload-pick"), "«Выбрать фото»", scheme)
        # the style group is one Tab stop: its first option, then a chosen one
        first_style = page.locator('[data-testid="style-step"] [role="radio"][tabindex="0"]')
        _assert_focus_ring(page, first_style, "style option", scheme)
        page.get_by_test_id("style-option-marble").click()
        page.mouse.move(0, 0)
        chosen = page.get_by_test_id("style-option-marble")
        page.locator("h1").focus()
        _assert_focus_ring(page, chosen, "chosen style option", scheme)
        _assert_focus_ring(page, page.locator('[role="radiogroup"][aria-label="Формат"] [tabindex="0"]'),
                           "format option", scheme)
        prompt = page.get_by_test_id("custom-prompt-input")
        page.locator("h1").focus()
        _assert_focus_ring(page, prompt, "scene text field", scheme)
        _assert_field_boundary(page, prompt, "scene text field", scheme)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_login_field_and_its_button_have_a_visible_ring_and_boundary(
        browser, local_stack, scheme):
    context = _context(browser, local_stack, scheme)
    page = context.new_page()
    try:
        page.goto("/login")
        username = page.get_by_test_id("login-code-username")
        username.wait_for()
        _assert_field_boundary(page, username, "username field", scheme)
        _assert_focus_ring(page, username, "username field", scheme)
        _assert_focus_ring(page, page.get_by_test_id("login-code-request"), "«Получить код»", scheme)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_email_switch_shows_off_and_its_focus_at_3_to_1(browser, local_stack, scheme):
    context = _context(browser, local_stack, scheme, _seller(local_stack, balance=1))
    page = context.new_page()
    try:
        page.goto("/profile")
        switch = page.get_by_test_id("settings-email-notifications")
        switch.wait_for()
        if switch.is_checked():
            switch.click()
        track = switch.locator("xpath=following-sibling::span[1]")
        page.wait_for_timeout(300)  # the track's colour transition
        paint = track.evaluate(PAINT)
        around = _flatten(paint["behind"])
        fill = _over(_rgba(paint["fill"]), around)
        measured = _contrast(fill, around)
        assert measured >= AA_NON_TEXT, f"{scheme}: the switch's off track is {measured:.2f}:1 on the card"
        knob = _rgba(track.evaluate("e => getComputedStyle(e, '::after').backgroundColor"))
        measured = _contrast(_over(knob, fill), fill)
        assert measured >= AA_NON_TEXT, f"{scheme}: the knob is {measured:.2f}:1 on the off track"
        page.locator("h1").first.focus()
        _assert_focus_ring(page, switch, "email switch", scheme, drawn_on=track)
    finally:
        context.close()


def test_a_chosen_style_keeps_its_focus_ring_apart_from_its_chosen_frame(browser, local_stack):
    """The chosen frame is an accent ring too: drawn over it, the focus would not show."""
    context = _context(browser, local_stack, "light", _seller(local_stack, balance=1))
    page = context.new_page()
    try:
        page.goto("/generate")
        chosen = page.get_by_test_id("style-option-marble")
        chosen.click()
        page.mouse.move(0, 0)  # a hovered card trades its frame for the hover shadow
        page.locator("h1").focus()
        _tab_to(page, chosen)
        page.wait_for_timeout(400)  # the frame's box-shadow transition
        paint = chosen.evaluate(PAINT)
        frame = max((float(m.group(5)) for m in SHADOW.finditer(paint["boxShadow"])
                     if not m.group(6) and float(m.group(4)) == 0), default=0.0)
        assert frame > 0, "the chosen style has no frame"
        assert paint["outlineStyle"] == "solid"
        assert paint["outlineOffset"] >= frame + 2, (
            f"the focus ring (offset {paint['outlineOffset']}px) overlaps the chosen frame ({frame}px)")
    finally:
        context.close()
