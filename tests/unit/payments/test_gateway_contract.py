"""The YooKassa adapter's contract. ``GatewayContract`` holds the assertions; it runs here
against the sandbox served over HTTP, and ``tests/integration/test_payments_flow.py`` runs the
same class against the sandbox inside the local stack."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

import pytest
import requests

from photoshoot.errors import PaymentProviderError
from photoshoot.payments import gateway


def _request(order_id: str | None = None, kopecks: int = 79900, email: str | None = "a@b.ru",
             user_id: str = "1001") -> gateway.PaymentRequest:
    order_id = order_id or uuid.uuid4().hex
    return gateway.PaymentRequest(
        order_id=order_id, user_id=user_id, amount_kopecks=kopecks, currency="RUB",
        description=f"Photoshoot: пакет «Продавец», 10 фотосессий, заказ {order_id}",
        return_url=f"http://localhost:8000/payment/result?order={order_id}",
        receipt_item="Фотосессии Photoshoot: пакет «Продавец»", customer_email=email)


def _utc_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class GatewayContract:
    """Subclasses provide the ``sandbox_url`` fixture (``…/sandbox/yookassa``) with settings
    already pointing the SDK at it."""

    def _pay(self, sandbox_url: str, payment_id: str) -> None:
        answer = requests.post(f"{sandbox_url}/checkout/{payment_id}/pay?notify=0",
                               allow_redirects=False, timeout=10)
        assert answer.status_code == 303

    def test_create_returns_a_pending_payment_with_a_checkout_url(self, sandbox_url):
        request = _request()
        payment = gateway.create_payment(request)
        assert payment.status == "pending" and payment.paid is False
        assert payment.amount_kopecks == 79900 and payment.currency == "RUB"
        assert payment.metadata["order_id"] == request.order_id
        assert payment.metadata["user_id"] == "1001"
        assert payment.confirmation_url.startswith(f"{sandbox_url}/checkout/")

    def test_same_order_creates_one_payment(self, sandbox_url):
        request = _request()
        first = gateway.create_payment(request)
        again = gateway.create_payment(request)
        assert again.payment_id == first.payment_id

    def test_same_idempotence_key_with_another_body_is_refused(self, sandbox_url):
        request = _request()
        gateway.create_payment(request)
        with pytest.raises(PaymentProviderError):
            gateway.create_payment(_request(order_id=request.order_id, kopecks=100))

    def test_fetch_reflects_the_checkout(self, sandbox_url):
        payment = gateway.create_payment(_request())
        self._pay(sandbox_url, payment.payment_id)
        fetched = gateway.fetch_payment(payment.payment_id)
        assert fetched.status == "succeeded" and fetched.paid is True
        assert fetched.amount_kopecks == 79900 and fetched.refunded_kopecks == 0

    def test_unknown_payment_is_not_found(self, sandbox_url):
        with pytest.raises(gateway.PaymentNotFound):
            gateway.fetch_payment("2c5f0a3e-000f-5000-8000-000000000000")

    def test_receipt_without_customer_contact_is_refused(self, sandbox_url):
        with pytest.raises(PaymentProviderError):
            gateway.create_payment(_request(email=None))

    def test_refund_is_created_once_per_order(self, sandbox_url):
        request = _request()
        payment = gateway.create_payment(request)
        self._pay(sandbox_url, payment.payment_id)
        refund = gateway.create_refund(request.order_id, payment.payment_id, 79900,
                                       customer_email="a@b.ru",
                                       receipt_item=request.receipt_item)
        again = gateway.create_refund(request.order_id, payment.payment_id, 79900,
                                      customer_email="a@b.ru",
                                      receipt_item=request.receipt_item)
        assert again.refund_id == refund.refund_id
        assert refund.status == "succeeded" and refund.payment_id == payment.payment_id
        assert gateway.fetch_refund(refund.refund_id).amount_kopecks == 79900
        assert gateway.fetch_payment(payment.payment_id).refunded_kopecks == 79900

    def test_refund_of_a_receipted_payment_needs_a_refund_receipt(self, sandbox_url):
        request = _request()
        payment = gateway.create_payment(request)
        self._pay(sandbox_url, payment.payment_id)
        with pytest.raises(PaymentProviderError):  # 54-FZ: a refund receipt is due
            gateway.create_refund(request.order_id, payment.payment_id, 79900)
        assert gateway.fetch_payment(payment.payment_id).refunded_kopecks == 0
        partial = gateway.create_refund(f"{request.order_id}-part", payment.payment_id,
                                        20000, customer_email="a@b.ru",
                                        receipt_item=request.receipt_item)
        assert partial.status == "succeeded" and partial.amount_kopecks == 20000
        assert gateway.fetch_payment(payment.payment_id).refunded_kopecks == 20000

    def test_refund_receipt_params_match_the_refunded_amount(self):
        params = gateway.receipt("a@b.ru", "Фотосессии Photoshoot: пакет «Продавец»",
                                 {"value": "200.00", "currency": "RUB"})
        assert params["customer"] == {"email": "a@b.ru"}
        (line,) = params["items"]
        assert line["amount"] == {"value": "200.00", "currency": "RUB"}
        assert line["quantity"] == "1.00" and line["payment_mode"] == "full_payment"

    def test_refunds_are_listed_newest_first_in_pages_within_the_window(self, sandbox_url):
        request = _request()
        payment = gateway.create_payment(request)
        self._pay(sandbox_url, payment.payment_id)
        before_first = _utc_iso()
        time.sleep(0.01)
        first = self._refund(request, payment, 1, 10000)
        time.sleep(0.01)
        after_first = _utc_iso()
        time.sleep(0.01)
        newer = [self._refund(request, payment, n, 10000) for n in (2, 3, 4)]
        time.sleep(0.01)
        window_end = _utc_iso()

        page = gateway.list_refunds(after_first, window_end, limit=2)
        assert [r.refund_id for r in page.refunds] == [newer[2].refund_id, newer[1].refund_id]
        assert page.next_cursor
        last = gateway.list_refunds(after_first, window_end, limit=2, cursor=page.next_cursor)
        assert [r.refund_id for r in last.refunds] == [newer[0].refund_id]
        assert last.next_cursor is None
        assert all(r.status == "succeeded" and r.payment_id == payment.payment_id
                   and r.amount_kopecks == 10000 for r in page.refunds + last.refunds)
        # created_at.gte is inclusive of the window's start, created_at.lt exclusive of its end
        whole = gateway.list_refunds(before_first, window_end)
        assert [r.refund_id for r in whole.refunds][-1] == first.refund_id
        assert gateway.list_refunds(before_first, after_first).refunds == (first,)

    def _refund(self, request, payment, n: int, kopecks: int) -> gateway.RefundState:
        return gateway.create_refund(f"{request.order_id}-{n}", payment.payment_id, kopecks,
                                     customer_email="a@b.ru", receipt_item=request.receipt_item)

    def test_wrong_credentials_are_a_provider_error(self, sandbox_url, monkeypatch):
        from photoshoot.settings import reset_settings_cache

        monkeypatch.setenv("YOOKASSA_SECRET_KEY", "wrong")
        reset_settings_cache()
        with pytest.raises(PaymentProviderError) as raised:
            gateway.create_payment(_request())
        assert raised.value.details.get("provider_code") == "invalid_credentials"
        assert "wrong" not in str(raised.value.to_body())


class TestGatewayAgainstSandbox(GatewayContract):
    @pytest.fixture
    def sandbox_url(self, yookassa):
        return f"{yookassa.base_url}/sandbox/yookassa"

    def test_server_errors_are_retried_with_the_same_key(self, yookassa):
        yookassa.sandbox.fail_next[:] = [500, 503]
        payment = gateway.create_payment(_request())
        keys = [c["idempotence_key"] for c in yookassa.sandbox.api_calls]
        assert len(keys) == 3 and len(set(keys)) == 1
        assert list(yookassa.sandbox.payments) == [payment.payment_id]

    def test_persistent_server_errors_become_a_provider_error(self, yookassa):
        yookassa.sandbox.fail_next[:] = [500] * 3
        with pytest.raises(PaymentProviderError):
            gateway.create_payment(_request())
        assert yookassa.sandbox.payments == {}

    @pytest.mark.parametrize("query,parameter", [
        ({"limit": "0"}, "limit"), ({"limit": "101"}, "limit"), ({"limit": "ten"}, "limit"),
        ({"created_at.gte": "yesterday"}, "created_at.gte"),
        ({"created_at.lt": "2026-01-01T00:00:00"}, "created_at.lt"),  # no time zone
        ({"status": "done"}, "status"), ({"cursor": "bm90LWFuLWlk"}, "cursor")])
    def test_malformed_list_filters_are_refused_as_the_api_does(self, yookassa, query,
                                                               parameter):
        answer = requests.get(f"{yookassa.api}/refunds", params=query, timeout=5,
                              auth=(yookassa.sandbox.config.shop_id,
                                    yookassa.sandbox.config.secret_key))
        assert answer.status_code == 400
        body = answer.json()
        assert body["type"] == "error" and body["code"] == "invalid_request"
        assert body["parameter"] == parameter

    def test_listing_pages_do_not_shift_when_a_refund_is_made_between_them(self, yookassa):
        request = _request()
        payment = gateway.create_payment(request)
        self._pay(f"{yookassa.base_url}/sandbox/yookassa", payment.payment_id)
        made = [self._refund(request, payment, n, 10000) for n in (1, 2, 3)]
        window = ("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z")
        page = gateway.list_refunds(*window, limit=2)
        self._refund(request, payment, 4, 10000)  # newer: it belongs before the first page
        rest = gateway.list_refunds(*window, limit=2, cursor=page.next_cursor)
        assert [r.refund_id for r in page.refunds + rest.refunds] == [
            made[2].refund_id, made[1].refund_id, made[0].refund_id]

    def test_unreachable_api_is_a_provider_error(self, yookassa, monkeypatch):
        from photoshoot.settings import reset_settings_cache

        monkeypatch.setenv("YOOKASSA_API_BASE", "http://127.0.0.1:9/v3")
        monkeypatch.setenv("YOOKASSA_ATTEMPTS", "2")
        reset_settings_cache()
        with pytest.raises(PaymentProviderError):
            gateway.fetch_payment("2c5f0a3e-000f-5000-8000-000000000000")


@pytest.mark.parametrize("kopecks,value", [(79900, "799.00"), (1, "0.01"), (100, "1.00"),
                                           (499999, "4999.99")])
def test_money_is_exact_kopecks(kopecks, value):
    assert gateway.kopecks_to_value(kopecks) == value
    assert gateway.value_to_kopecks(value) == kopecks


def test_fractions_of_a_kopeck_are_refused():
    with pytest.raises(ValueError):
        gateway.value_to_kopecks("1.005")


def test_idempotence_keys_fit_yookassa_limit():
    order_id = "01J9ZQ3M6W8X4T5V2N7K1R0BCD"
    assert len(gateway.payment_idempotence_key(order_id)) <= 64
    assert gateway.payment_idempotence_key(order_id) == gateway.payment_idempotence_key(order_id)
    assert gateway.refund_idempotence_key(order_id) != gateway.payment_idempotence_key(order_id)
