"""Malformed or hostile requests to the generation endpoints get a specific 4xx with a
Russian message and charge nothing — never a 500."""
from __future__ import annotations

import pytest

from photoshoot.billing import balance_of
from photoshoot.models import Generation, Style
from tests.unit.generation import fakes
from tests.unit.generation.conftest import make_user, upload_photo


@pytest.fixture
def quick(monkeypatch):
    fakes.install(monkeypatch, fakes.QuickProvider())


def _create(api, token, **body):
    return api.post("/api/generations", token=token, body=body)


@pytest.mark.parametrize("raw", [
    "[" * 100_000 + "]" * 100_000,                      # nesting deeper than the parser
    '{"upload_id": "x", "format": NaN}',                # Python's json would take it
    '{"upload_id": "x", "format": Infinity}',
    '{"upload_id": "x", "image_count": 1e400}',         # a float that overflows
])
def test_bodies_that_are_not_json_are_400(pipeline, quick, raw):
    token = make_user("5001", balance=1)

    answer = pipeline.post("/api/generations", token=token, body=raw)

    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["message"] == "Тело запроса должно быть корректным JSON."
    assert balance_of("5001") == 1


def test_an_upload_size_too_big_for_a_number_is_400(pipeline):
    token = make_user("5002", balance=1)

    answer = pipeline.post("/api/uploads", token=token,
                           body='{"content_type": "image/jpeg", "size": 1e400}')

    assert answer.status_code == 400


@pytest.mark.parametrize("field", [["1:1"], {"id": "1:1"}, 11, []])
def test_a_format_that_is_not_a_string_is_a_clear_400(pipeline, quick, field):
    token = make_user("5003", balance=1)
    upload_id = upload_photo(pipeline, token)

    answer = _create(pipeline, token, upload_id=upload_id, style_id="wood", format=field)

    assert answer.status_code == 400
    assert answer.json["error"]["message"] == (
        "Такого формата нет. Выберите один из: 1:1, 3:4, 3:4-hd, 4:5, 16:9.")
    assert balance_of("5003") == 1 and list(Generation.query("5003")) == []


@pytest.mark.parametrize("field, value, message", [
    ("custom_prompt", ["розовый фон", "цветы"], "Опишите сцену текстом."),
    ("custom_prompt", {"a": "розовый фон"}, "Опишите сцену текстом."),
    ("custom_prompt", 12345, "Опишите сцену текстом."),
    ("style_id", ["marble"], "Стиль указан неверно. Выберите стиль из списка."),
    ("saved_style_id", {"id": "s1"}, "Стиль указан неверно. Выберите стиль из списка."),
])
def test_a_style_that_is_not_text_is_refused_before_any_charge(pipeline, quick, field, value,
                                                                message):
    token = make_user("5010", balance=1)
    upload_id = upload_photo(pipeline, token)

    answer = _create(pipeline, token, upload_id=upload_id, format="1:1", **{field: value})

    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["message"] == message
    assert balance_of("5010") == 1 and list(Generation.query("5010")) == []


def test_an_overlong_style_id_is_not_found(pipeline, quick):
    token = make_user("5004", balance=1)
    upload_id = upload_photo(pipeline, token)

    answer = _create(pipeline, token, upload_id=upload_id, style_id="w" * 3000, format="1:1")

    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "Такого стиля нет. Выберите стиль из списка."
    assert balance_of("5004") == 1


def test_a_style_taken_off_the_catalogue_cannot_be_ordered(pipeline, quick):
    token = make_user("5005", balance=1)
    upload_id = upload_photo(pipeline, token)
    Style("wood").update(actions=[Style.active.set(False)])

    answer = _create(pipeline, token, upload_id=upload_id, style_id="wood", format="1:1")

    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "Этот стиль больше недоступен. Выберите другой."
    assert balance_of("5005") == 1 and list(Generation.query("5005")) == []


def test_history_with_a_broken_cursor_is_400(pipeline):
    token = make_user("5006", balance=0)

    answer = pipeline.get("/api/generations?cursor=not-a-cursor", token=token)

    assert answer.status_code == 400
    assert "курсор" in answer.json["error"]["message"]


def test_history_dates_before_1970_are_the_start_of_the_range(pipeline):
    from ulid import ULID

    token = make_user("5007", balance=0)
    generation_id = str(ULID())
    Generation("5007", generation_id, status="succeeded", step="done", progress=100,
               images=[], timings={}, created_at="2026-01-01T00:00:00Z",
               updated_at="2026-01-01T00:00:00Z").save()

    since_1969 = pipeline.get("/api/generations?from=1969-12-31", token=token).json
    until_year_1 = pipeline.get("/api/generations?to=0001-01-01", token=token).json

    assert [item["generation_id"] for item in since_1969["items"]] == [generation_id]
    assert until_year_1["items"] == []
