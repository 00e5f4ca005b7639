"""Saved styles: a seller's own styles, private to them, usable for a generation."""
from __future__ import annotations

import pytest

from tests.unit.generation import fakes
from tests.unit.generation.conftest import make_user, upload_photo, wait_for_execution


def test_saved_style_lifecycle_is_private_to_its_owner(api):
    owner, stranger = make_user("6001"), make_user("6002")

    created = api.post("/api/me/styles", token=owner, body={
        "title": "Розовая весна", "prompt": "розовый фон, цветы", "base_style_id": "marble"})
    assert created.status_code == 201, created.json
    style_id = created.json["style_id"]
    assert {"style_id", "title", "prompt", "base_style_id", "created_at"} <= set(created.json)

    assert [s["style_id"] for s in api.get("/api/me/styles", token=owner).json["items"]] == [
        style_id]
    assert api.get("/api/me/styles", token=stranger).json["items"] == []
    assert api.patch(f"/api/me/styles/{style_id}", token=stranger,
                     body={"title": "x"}).status_code == 404
    assert api.delete(f"/api/me/styles/{style_id}", token=stranger).status_code == 404

    renamed = api.patch(f"/api/me/styles/{style_id}", token=owner,
                        body={"title": "Весна", "base_style_id": None})
    assert renamed.status_code == 200
    assert renamed.json["title"] == "Весна" and renamed.json["base_style_id"] is None

    assert api.post("/api/me/styles", token=owner, body={"title": "", "prompt": "x"}
                    ).status_code == 400
    assert api.post("/api/me/styles", token=owner, body={
        "title": "t", "prompt": "розовый фон", "base_style_id": "nope"}).status_code == 404
    assert api.delete(f"/api/me/styles/{style_id}", token=owner).status_code == 200
    assert api.get("/api/me/styles", token=owner).json["items"] == []


def test_generation_in_a_saved_style_keeps_its_words(pipeline, monkeypatch):
    fakes.install(monkeypatch, fakes.QuickProvider())
    token = make_user("6003", balance=1)
    style_id = pipeline.post("/api/me/styles", token=token, body={
        "title": "Мой мрамор", "prompt": "мрамор и золото", "base_style_id": "marble"}
    ).json["style_id"]

    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_photo(pipeline, token), "saved_style_id": style_id})

    assert created.status_code == 202, created.json
    generation_id = created.json["generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["saved_style_id"] == style_id and state["style_id"] == "marble"
    assert state["custom_prompt"] == "мрамор и золото" and state["style_title"] == "Мой мрамор"
    other = make_user("6004", balance=1)
    answer = pipeline.post("/api/generations", token=other, body={
        "upload_id": upload_photo(pipeline, other), "saved_style_id": style_id})
    assert answer.status_code == 404


@pytest.mark.parametrize("body, message", [
    ({"title": [1], "prompt": "розовый фон, цветы"}, "Название стиля — это текст."),
    ({"title": "Весна", "prompt": {"x": 1}}, "Опишите сцену текстом."),
    ({"title": True, "prompt": "розовый фон, цветы"}, "Название стиля — это текст."),
    ({"title": "Весна", "prompt": "розовый фон, цветы", "base_style_id": ["marble"]},
     "Основа стиля указана неверно. Выберите стиль из списка."),
    ({"title": "Весна", "prompt": "розовый фон, цветы", "evil": 1}, "Неизвестные поля: evil."),
])
def test_saved_style_fields_must_be_text_and_known(api, body, message):
    owner = make_user("3101")

    created = api.post("/api/me/styles", token=owner, body=body)

    assert created.status_code == 400, created.json
    assert created.json["error"]["message"] == message
    assert api.get("/api/me/styles", token=owner).json["items"] == []


def test_an_edit_with_a_field_that_is_not_text_changes_nothing(api):
    owner = make_user("3102")
    style = api.post("/api/me/styles", token=owner, body={
        "title": "Весна", "prompt": "розовый фон, цветы"}).json

    for body in ({"title": ["a", "b"]}, {"prompt": 7}, {"colour": "red"}):
        answer = api.patch(f"/api/me/styles/{style['style_id']}", token=owner, body=body)
        assert answer.status_code == 400, (body, answer.json)
    kept = api.get("/api/me/styles", token=owner).json["items"][0]
    assert (kept["title"], kept["prompt"], kept["updated_at"]) == (
        "Весна", "розовый фон, цветы", style["updated_at"])


def test_concurrent_saves_never_pass_the_limit(api):
    from concurrent.futures import ThreadPoolExecutor

    from photoshoot.models import SavedStyle
    from photoshoot.models.base import utc_now_iso
    from photoshoot.saved_styles import MAX_SAVED_STYLES

    owner = make_user("3103")
    for n in range(MAX_SAVED_STYLES - 5):
        SavedStyle("3103", f"s{n:026d}", title=f"Стиль {n}", prompt="розовый фон, цветы",
                   created_at=utc_now_iso()).save()

    def save(n):
        return api.post("/api/me/styles", token=owner, body={
            "title": f"Новый {n}", "prompt": "мрамор и мягкий свет"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(save, range(20)))

    kept = api.get("/api/me/styles", token=owner).json["items"]
    assert len(kept) <= MAX_SAVED_STYLES
    created = [a for a in answers if a.status_code == 201]
    assert {a.json["style_id"] for a in created} == {
        s["style_id"] for s in kept if s["title"].startswith("Новый")}
    assert all(a.status_code == 409 and "до 50 стилей" in a.json["error"]["message"]
               for a in answers if a.status_code != 201)
