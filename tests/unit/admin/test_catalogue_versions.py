"""Admin catalogue edits cannot silently undo each other: every item carries a version, an
update names the version it was based on, and whoever saved first wins; the other admin gets
a 409 in Russian and the stored item keeps the first edit. Creating never overwrites."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from photoshoot.auth.sessions import issue_token
from photoshoot.models import Package, Style, User
from photoshoot.models.base import utc_now_iso

# (collection, id field, an existing seeded id, a valid change, the field it changes)
KINDS = {
    "packages": ("package_id", "seller", lambda n: {"price_kopecks": 100_000 + n},
                 "price_kopecks"),
    "styles": ("style_id", "marble", lambda n: {"title": f"Мрамор {n}"}, "title"),
}
NEW_ITEMS = {
    "packages": {"title": "Чужой", "photoshoots": 1, "price_kopecks": 100},
    "styles": {"title": "Чужой", "prompt": "someone else's scene"},
}


@pytest.fixture
def admin(api):
    User("9001", telegram_id=9001, is_admin=True, created_at=utc_now_iso()).save()
    return issue_token("9001", 0)


def _listed(api, admin, kind: str, item_id: str) -> dict:
    id_field = KINDS[kind][0]
    items = api.get(f"/api/admin/{kind}", token=admin).json["items"]
    return next(i for i in items if i[id_field] == item_id)


def _update(api, admin, kind: str, item_id: str, body: dict):
    return api.request("PUT", f"/api/admin/{kind}/{item_id}", body=body, token=admin)


def _stored(kind: str, item_id: str) -> dict:
    """The raw DynamoDB item, to see what is (and is not) stored, version included."""
    from photoshoot.settings import get_settings

    settings = get_settings()
    table = boto3.resource("dynamodb", region_name=settings.region).Table(
        f"{settings.table_prefix}{kind}")
    return table.get_item(Key={KINDS[kind][0]: item_id}, ConsistentRead=True)["Item"]


def _conflict(response, code: str = "catalogue_conflict") -> str:
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert error["code"] == code
    assert any("а" <= ch <= "я" for ch in error["message"].lower())
    return error["message"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_seeded_item_without_a_version_is_editable_and_gets_one(api, admin, kind):
    _, item_id, change, _ = KINDS[kind]
    assert "version" not in _stored(kind, item_id)  # seeded before versions existed
    assert _listed(api, admin, kind, item_id)["version"] == 0

    answer = _update(api, admin, kind, item_id, {**change(1), "version": 0})

    assert answer.status_code == 200, answer.json
    assert answer.json["version"] == 1
    assert _stored(kind, item_id)["version"] == 1
    assert _listed(api, admin, kind, item_id)["version"] == 1
    again = _update(api, admin, kind, item_id, {**change(2), "version": 1})
    assert again.status_code == 200 and again.json["version"] == 2


@pytest.mark.parametrize("kind", KINDS)
def test_an_update_from_a_stale_version_is_409_and_changes_nothing(api, admin, kind):
    _, item_id, change, field = KINDS[kind]
    loaded = _listed(api, admin, kind, item_id)  # two tabs load the same version
    first = _update(api, admin, kind, item_id, {**change(1), "version": loaded["version"]})
    assert first.status_code == 200, first.json
    before = _stored(kind, item_id)

    stale = _update(api, admin, kind, item_id, {**change(2), "version": loaded["version"]})

    message = _conflict(stale)
    assert "уже изменили" in message and "актуальную версию" in message
    assert _stored(kind, item_id) == before
    assert _listed(api, admin, kind, item_id)[field] == change(1)[field]


@pytest.mark.parametrize("kind", KINDS)
def test_a_version_ahead_of_the_stored_one_is_409_too(api, admin, kind):
    _, item_id, change, _ = KINDS[kind]
    before = _stored(kind, item_id)
    _conflict(_update(api, admin, kind, item_id, {**change(1), "version": 7}))
    assert _stored(kind, item_id) == before


@pytest.mark.parametrize("kind", KINDS)
def test_two_concurrent_updates_from_one_version_exactly_one_wins(api, admin, kind,
                                                                  monkeypatch):
    """Every writer reads the item before any of them saves, so the stale read passes the
    version comparison: only the conditional write can stop the second one."""
    from photoshoot.admin import catalogue as admin_catalogue

    _, item_id, change, field = KINDS[kind]
    model = Package if kind == "packages" else Style
    update = (admin_catalogue.update_package if kind == "packages"
              else admin_catalogue.update_style)
    writers = 4
    everyone_has_read = threading.Barrier(writers)
    original_get = model.get.__func__

    def get_then_wait(cls, *args, **kwargs):
        item = original_get(cls, *args, **kwargs)
        everyone_has_read.wait(timeout=10)
        return item

    monkeypatch.setattr(model, "get", classmethod(get_then_wait))

    def edit(n: int):
        try:
            return n, update(item_id, {**change(n), "version": 0}, admin_id="9001")
        except admin_catalogue.CatalogueConflict as error:
            return n, error

    with ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(edit, range(writers)))

    winners = [(n, r) for n, r in results if isinstance(r, dict)]
    losers = [r for _, r in results if isinstance(r, admin_catalogue.CatalogueConflict)]
    assert len(winners) == 1 and len(losers) == writers - 1, results
    winner, answer = winners[0]
    assert answer["version"] == 1
    stored = _stored(kind, item_id)
    assert stored["version"] == 1
    assert stored[field] == change(winner)[field]
    assert all(loser.status == 409 and loser.code == "catalogue_conflict" for loser in losers)


@pytest.mark.parametrize("kind", KINDS)
def test_creating_an_existing_id_is_409_and_does_not_overwrite(api, admin, kind):
    id_field, item_id, change, _ = KINDS[kind]
    assert _update(api, admin, kind, item_id, {**change(1), "version": 0}).status_code == 200
    before = _stored(kind, item_id)

    answer = api.post(f"/api/admin/{kind}", {id_field: item_id, **NEW_ITEMS[kind]},
                      token=admin)

    message = _conflict(answer, "catalogue_id_taken")
    assert f"«{item_id}» уже есть" in message
    assert _stored(kind, item_id) == before


@pytest.mark.parametrize("kind", KINDS)
def test_creating_an_existing_seeded_id_does_not_overwrite_either(api, admin, kind):
    id_field, item_id, _, _ = KINDS[kind]
    before = _stored(kind, item_id)
    _conflict(api.post(f"/api/admin/{kind}", {id_field: item_id, **NEW_ITEMS[kind]},
                       token=admin), "catalogue_id_taken")
    assert _stored(kind, item_id) == before


def test_two_concurrent_creates_of_one_id_make_one_item(api, admin):
    from photoshoot.admin import catalogue as admin_catalogue

    def create(n: int):
        try:
            return admin_catalogue.create_package(
                {"package_id": "mega", "title": f"Мега {n}", "photoshoots": 1 + n,
                 "price_kopecks": 100}, admin_id="9001")
        except admin_catalogue.CatalogueIdTaken as error:
            return error

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(create, range(4)))

    created = [r for r in results if isinstance(r, dict)]
    assert len(created) == 1 and created[0]["version"] == 1, results
    stored = _stored("packages", "mega")
    assert stored["title"] == created[0]["title"] and stored["version"] == 1


def test_a_created_item_starts_at_version_1(api, admin):
    created = api.post("/api/admin/styles", {"style_id": "neon", "title": "Неон",
                                             "prompt": "neon lights"}, token=admin)
    assert created.status_code == 201 and created.json["version"] == 1
    edited = _update(api, admin, "styles", "neon", {"sort": 5, "version": 1})
    assert edited.status_code == 200 and edited.json["version"] == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("version", [None, "missing"])
def test_an_update_without_a_version_is_400_and_changes_nothing(api, admin, kind, version):
    _, item_id, change, _ = KINDS[kind]
    before = _stored(kind, item_id)
    body = change(1) if version == "missing" else {**change(1), "version": None}

    answer = _update(api, admin, kind, item_id, body)

    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["code"] == "version_required"
    assert "Обновите страницу" in answer.json["error"]["message"]
    assert _stored(kind, item_id) == before


@pytest.mark.parametrize("version", ["0", -1, 1.5, True])
def test_a_malformed_version_is_400(api, admin, version):
    answer = _update(api, admin, "packages", "seller",
                     {"price_kopecks": 100, "version": version})
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["code"] == "validation_failed"
    assert answer.json["error"]["details"] == {"field": "version"}


def test_an_update_of_an_unknown_id_is_404_and_creates_nothing(api, admin):
    answer = _update(api, admin, "packages", "ghost",
                     {"title": "Призрак", "photoshoots": 1, "price_kopecks": 100,
                      "version": 0})
    assert answer.status_code == 404, answer.json
    assert answer.json["error"]["code"] == "catalogue_item_not_found"
    assert "ghost" not in {p["package_id"] for p in
                           api.get("/api/admin/packages", token=admin).json["items"]}


def test_reseeding_refuses_forms_loaded_before_it(api, admin):
    """The seed writes items without a version, as before versions existed: a form loaded
    before a re-seed gets a 409 rather than overwriting what the seed wrote."""
    from photoshoot.catalogue import seed_catalogue

    edited = _update(api, admin, "packages", "seller", {"title": "Продавец+", "version": 0})
    assert edited.json["version"] == 1
    seed_catalogue()
    assert _listed(api, admin, "packages", "seller")["version"] == 0

    _conflict(_update(api, admin, "packages", "seller", {"title": "Старая форма",
                                                         "version": 1}))
    assert _stored("packages", "seller")["title"] == "Продавец"
