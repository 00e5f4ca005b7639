"""In a real browser on the local stack: buy the "popular" package, pay in the YooKassa
sandbox, see the success page and the new balance; and a seller who runs out of
photoshoots mid-draft buys a package and comes back to the same photo, style and format."""
from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

import boto3
import pytest

from infra.local import launcher
from tests.integration.conftest import start_local_stack

pytestmark = pytest.mark.e2e

LOOPBACK_ALLOWED = ("185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,"
                    "77.75.156.35/32,77.75.154.128/25,2a02:5180::/32,127.0.0.1/32,::1/128")


@pytest.fixture(scope="module")
def payments_stack():
    """A stack of its own: the webhook must accept the sandbox's loopback address (as
    ``.env.example`` does); the shared ``local_stack`` runs with the settings' defaults."""
    stack = start_local_stack({"YOOKASSA_ALLOWED_IPS": LOOPBACK_ALLOWED,
                               "YOOKASSA_RECEIPTS_ENABLED": "true"})
    yield stack
    launcher.stop(stack)
    stack.log_path.unlink(missing_ok=True)


@pytest.fixture
def shop_page(browser, payments_stack):
    """A page of the shared Chromium (tests/e2e/conftest.py) on the payments stack."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _new_seller(stack, balance: int = 1) -> tuple[str, str]:
    """A signed-up seller without an e-mail yet (the checkout asks for one for the receipt)."""
    from photoshoot.auth.sessions import issue_token

    user_id = str(900000000 + uuid.uuid4().int % 10000000)
    prefix = stack.env.get("TABLE_PREFIX", "photoshoot-")
    boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="eu-central-1",
                 aws_access_key_id="local", aws_secret_access_key="local").put_item(
        TableName=f"{prefix}users", Item={
            "user_id": {"S": user_id}, "telegram_id": {"N": user_id},
            "first_name": {"S": "Анна"}, "balance": {"N": str(balance)}, "spent": {"N": "0"},
            "token_version": {"N": "0"}, "is_admin": {"BOOL": False},
            "email_notifications": {"BOOL": False},
            "created_at": {"S": "2026-01-01T00:00:00.000Z"}})
    return user_id, issue_token(user_id, 0)


def _pay_in_the_sandbox(page, package_id: str, amount: str) -> None:
    """From the packages page to the payment result page, paying in the YooKassa sandbox."""
    page.get_by_test_id(f"package-buy-{package_id}").click()
    # Purchase confirmation → the API asks for an e-mail for the 54-FZ receipt → checkout.
    page.get_by_test_id("checkout-confirm").click()
    email_form = page.get_by_test_id("checkout-email-form")
    page.wait_for_function(
        "() => location.pathname.includes('/sandbox/yookassa/checkout/') || "
        "document.querySelector('[data-testid=checkout-email-form]')")
    if "/sandbox/yookassa/checkout/" not in page.url and email_form.is_visible():
        page.get_by_test_id("checkout-email-input").fill("anna@example.ru")
        page.get_by_test_id("checkout-email-submit").click()
    page.wait_for_url(re.compile(r"/sandbox/yookassa/checkout/"))
    assert amount in page.get_by_test_id("sandbox-amount").inner_text()
    page.get_by_test_id("sandbox-pay").click()
    page.wait_for_url(re.compile(r"/payment/result\?order="))


def test_buy_the_popular_package_pay_in_the_sandbox_and_see_the_new_balance(payments_stack,
                                                                            shop_page):
    page = shop_page
    base = payments_stack.base_url
    _, token = _new_seller(payments_stack)
    page.goto(f"{base}/")
    page.evaluate("token => localStorage.setItem('photoshoot.token', token)", token)
    page.goto(f"{base}/packages")

    popular = page.locator("[data-testid^='package-popular-']").first
    popular.wait_for()
    package_id = popular.get_attribute("data-testid").removeprefix("package-popular-")
    assert package_id == "seller"
    _pay_in_the_sandbox(page, package_id, "799,00")
    success = page.get_by_test_id("payment-success")
    success.wait_for()
    assert "10" in page.get_by_test_id("payment-credited").inner_text()
    shot = Path(tempfile.gettempdir()) / "photoshoot-payment-success.png"
    page.screenshot(path=str(shot))
    balance = page.get_by_test_id("header-balance-value")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=header-balance-value]')"
        "?.textContent.trim() === '11'")
    assert balance.inner_text().strip() == "11"


def test_out_of_photoshoots_mid_draft_buy_and_come_back_to_the_same_draft(payments_stack,
                                                                          shop_page, tmp_path):
    from tests.e2e.test_generate import _product_photo

    page = shop_page
    base = payments_stack.base_url
    _, token = _new_seller(payments_stack, balance=0)
    page.goto(f"{base}/")
    page.evaluate("token => localStorage.setItem('photoshoot.token', token)", token)
    page.goto(f"{base}/generate")
    page.get_by_test_id("upload-input").set_input_files(_product_photo(tmp_path))
    page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
    page.get_by_test_id("style-option-wood").click()
    page.get_by_test_id("format-option-1:1").click()

    # No photoshoots: the bar leads to the packages; the payment page is another site.
    page.get_by_test_id("generate-buy").click()
    page.wait_for_url(re.compile(r"/packages$"))
    _pay_in_the_sandbox(page, "start", "299,00")
    page.get_by_test_id("payment-success").wait_for()
    page.get_by_test_id("payment-start-generation").click()

    page.wait_for_url(re.compile(r"/generate$"))
    page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
    assert "bottle.jpg" in page.get_by_test_id("upload-dropzone").inner_text()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=page.get_by_test_id("upload-preview").element_handle())
    assert page.get_by_test_id("style-option-wood").get_attribute("data-selected") == "true"
    assert page.get_by_test_id("format-option-1:1").get_attribute("data-selected") == "true"
    page.get_by_test_id("generate-button").click()
    page.wait_for_url("**/generations/**")
    page.locator('[data-testid="generation-view"][data-status="succeeded"]').wait_for(
        timeout=120_000)
    assert page.get_by_test_id("header-balance-value").inner_text().strip() == "2"
