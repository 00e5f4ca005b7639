"""Order ids are ULIDs: anything else is 404 before DynamoDB sees it (real DynamoDB refuses
keys over 2048 bytes with a ValidationException — a 500 — which moto doesn't), and either
case is accepted, as for generation and upload ids."""
from __future__ import annotations

import pytest

from photoshoot.models import Order, Package
from tests.unit.payments.conftest import make_user


@pytest.fixture
def reads(monkeypatch):
    """Every Order.get/Package.get the API makes."""
    seen: list[str] = []
    real_order, real_package = Order.get.__func__, Package.get.__func__

    def order_get(cls, *args, **kwargs):
        seen.append(f"order:{args[0]}")
        return real_order(cls, *args, **kwargs)

    def package_get(cls, *args, **kwargs):
        seen.append(f"package:{args[0]}")
        return real_package(cls, *args, **kwargs)

    monkeypatch.setattr(Order, "get", classmethod(order_get))
    monkeypatch.setattr(Package, "get", classmethod(package_get))
    return seen


@pytest.mark.parametrize("order_id", [
    "A" * 4096,                          # the audit's 4 KB id
    "01ARZ3NDEKTSV4RRFFQ69G5FA",         # 25 characters
    "01ARZ3NDEKTSV4RRFFQ69G5FAVX",       # 27
    "01ARZ3NDEKTSV4RRFFQ69G5FAU",        # U is not Crockford base32
    "unknown",
])
def test_a_malformed_order_id_is_404_without_touching_dynamodb(shop, reads, order_id):
    token = make_user("1001")
    answer = shop.api.get(f"/api/orders/{order_id}", token=token)
    assert answer.status_code == 404
    assert answer.json["error"] == {"code": "not_found", "message": "Заказ не найден."}
    assert reads == []


def test_an_order_id_in_lower_case_finds_the_order(shop):
    token = make_user("1001")
    order_id = shop.buy(token, "start")["order_id"]
    answer = shop.api.get(f"/api/orders/{order_id.lower()}", token=token)
    assert answer.status_code == 200 and answer.json["order_id"] == order_id


def test_a_well_formed_unknown_order_id_is_404(shop):
    answer = shop.api.get("/api/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV", token=make_user("1001"))
    assert answer.status_code == 404 and answer.json["error"]["message"] == "Заказ не найден."


def test_an_oversized_package_id_is_404_without_touching_dynamodb(shop, reads):
    token = make_user("1001")
    answer = shop.api.post("/api/payments", body={"package_id": "p" * 4096}, token=token)
    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "Такого пакета нет. Выберите пакет из списка."
    assert not [r for r in reads if r.startswith("package:")]
    assert list(Order.scan()) == []
