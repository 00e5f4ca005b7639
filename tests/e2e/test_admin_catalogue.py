"""In a real browser on a phone-sized screen, the admin page: two admins edit the same package,
the second one's save is refused, and they load the latest version, see what they had typed
and put it back — with the form inside the visible width of the phone and the keyboard focus
kept where the work goes on; and the statistics of days before first payments were tracked
show «—» for sign-up → payment and say so on the «Оплатили» card.

The admin is a user whose item says ``is_admin`` (the shared stack has no ADMIN_USER_IDS);
the package is a new, hidden one, so the public catalogue of other tests does not change.
"""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import boto3
import pytest
import requests

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _dynamodb(stack):
    return boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="eu-central-1",
                        aws_access_key_id="local", aws_secret_access_key="local")


@pytest.fixture(scope="module")
def admin_token(local_stack) -> str:
    from photoshoot.auth.sessions import issue_token

    user_id = str(630_000_000 + uuid.uuid4().int % 9_999_999)
    _dynamodb(local_stack).put_item(
        TableName=f"{local_stack.env.get('TABLE_PREFIX', 'photoshoot-')}users", Item={
            "user_id": {"S": user_id}, "telegram_id": {"N": user_id},
            "first_name": {"S": "Ирина"}, "balance": {"N": "0"}, "spent": {"N": "0"},
            "token_version": {"N": "0"}, "is_admin": {"BOOL": True},
            "created_at": {"S": "2026-01-01T00:00:00Z"}})
    return issue_token(user_id, 0)


def _admin_api(stack, token, method, path, **kwargs):
    return requests.request(method, f"{stack.base_url}{path}", timeout=30,
                            headers={"Authorization": f"Bearer {token}"}, **kwargs)


@pytest.fixture
def phone_admin(browser, local_stack, admin_token):
    """Opens a phone-sized page as the admin; every context is closed afterwards."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=local_stack.base_url, locale="ru-RU", **PHONE)
        context.set_default_timeout(15_000)
        context.add_init_script(
            f"localStorage.setItem('photoshoot.token', {json.dumps(admin_token)})")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _open_package_editor(page, package_id: str) -> None:
    page.goto("/admin")
    page.get_by_test_id("admin-tab-packages").tap()
    page.get_by_test_id(f"admin-package-edit-{package_id}").tap()
    page.get_by_test_id("package-form").wait_for()


def _within_the_screen(page, test_id: str) -> None:
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (test_id, box)


def test_a_refused_edit_on_a_phone_loads_the_latest_version_and_puts_the_edit_back(
        local_stack, admin_token, phone_admin):
    package_id = f"e2e{uuid.uuid4().hex[:8]}"
    created = _admin_api(local_stack, admin_token, "POST", "/api/admin/packages", json={
        "package_id": package_id, "title": "Проба", "photoshoots": 5,
        "price_kopecks": 49_900, "images_per_photoshoot": 4, "active": False})
    assert created.status_code in (200, 201), created.text
    mine, theirs = phone_admin(), phone_admin()
    _open_package_editor(mine, package_id)
    _open_package_editor(theirs, package_id)

    theirs.get_by_test_id("package-form-price_rubles").fill("899")
    theirs.get_by_test_id("package-form-save").tap()
    theirs.get_by_test_id("package-form").wait_for(state="detached")

    mine.get_by_test_id("package-form-title").fill("Проба плюс")
    mine.get_by_test_id("package-form-price_rubles").fill("849")
    mine.get_by_test_id("package-form-save").tap()
    error = mine.get_by_test_id("package-form-error")
    error.wait_for()
    assert "уже изменили" in error.inner_text()
    # the whole form fits the phone (not the width of all the table's columns)
    for test_id in ("package-form", "package-form-error", "package-form-reload"):
        _within_the_screen(mine, test_id)
    # the busy Save button dropped the focus; the refusal's own button has it
    assert mine.evaluate("document.activeElement.dataset.testid") == "package-form-reload"

    mine.keyboard.press("Enter")
    notice = mine.get_by_test_id("package-form-unsaved")
    notice.wait_for()
    _within_the_screen(mine, "package-form-unsaved")
    assert mine.get_by_test_id("package-form-price_rubles").input_value() == "899,00"
    assert "«Проба плюс»" in mine.get_by_test_id("package-form-unsaved-title").inner_text()
    assert "«849»" in mine.get_by_test_id("package-form-unsaved-price_rubles").inner_text()
    assert mine.evaluate("document.activeElement.contains("
                         "document.querySelector('[data-testid=package-form-unsaved]'))")

    mine.get_by_test_id("package-form-reapply").tap()
    assert mine.get_by_test_id("package-form-price_rubles").input_value() == "849"
    mine.get_by_test_id("package-form-save").tap()
    mine.get_by_test_id("package-form").wait_for(state="detached")
    saved = next(p for p in _admin_api(local_stack, admin_token, "GET",
                                       "/api/admin/packages").json()["items"]
                 if p["package_id"] == package_id)
    assert saved["title"] == "Проба плюс" and saved["price_kopecks"] == 84_900
    assert saved["version"] == created.json()["version"] + 2


def test_days_before_payments_were_tracked_show_a_dash_and_say_why(local_stack, phone_admin):
    from photoshoot.analytics.counters import business_date

    source = f"e2e_{uuid.uuid4().hex[:8]}"
    day = (business_date() - timedelta(days=60)).isoformat()
    table = f"{local_stack.env.get('TABLE_PREFIX', 'photoshoot-')}stats"
    dynamodb = _dynamodb(local_stack)
    # counters as written before signup_tracked / signup_paid existed
    for metric, value in {"signup": 6, "payment_start": 3, "payment_success": 2,
                          "revenue": 159_800}.items():
        dynamodb.put_item(TableName=table, Item={
            "day": {"S": day}, "metric": {"S": f"{source}#{metric}"}, "value": {"N": str(value)}})
    page = phone_admin()
    page.goto("/admin")
    page.get_by_test_id("admin-range-from").fill(day)
    page.get_by_test_id("admin-range-to").fill(day)
    page.get_by_test_id("admin-range-apply").tap()
    page.get_by_test_id(f"admin-source-{source}").wait_for()
    assert page.get_by_test_id(f"admin-source-{source}-conversion").inner_text() == "—"
    card = page.get_by_test_id("admin-total-payment_success").inner_text()
    assert "доля оплативших за эти дни не считалась" in card
    assert "—" not in card
