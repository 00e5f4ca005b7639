"""The HTTP edge as a client meets it: API Gateway's own refusals (through the local front,
which must answer as the deployed API does), non-JSON bodies, the caller's address behind
CloudFront, Retry-After, and the per-user limits of uploads and suggestions."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from photoshoot.settings import reset_settings_cache
from tests.unit.generation.conftest import make_user

NOT_FOUND = {"error": {"code": "not_found", "message": "Такого адреса в API нет."}}
JSON_415 = {"error": {"code": "unsupported_media_type",
                      "message": "Отправьте данные в формате JSON."}}


@pytest.fixture
def env(monkeypatch):
    """Set environment variables for one test and re-read the settings around it."""
    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        reset_settings_cache()

    yield set_env
    monkeypatch.undo()
    reset_settings_cache()


@pytest.fixture
def front(catalogue, tmp_path):
    """The local front server (API Gateway emulation) in front of the real app."""
    from werkzeug.test import Client

    from app import app
    from infra.local.front import FrontApp

    (tmp_path / "index.html").write_text("<!doctype html>")
    return Client(FrontApp(app, webhooks={}, sandboxes={}, dist_dir=tmp_path,
                           region=catalogue.region))


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --- 1. unknown paths and methods: API Gateway's MISSING_AUTHENTICATION_TOKEN --------------
@pytest.mark.parametrize("path", ["/api/nonexistent", "/api/generations/a%2Fb",
                                  "/api/me/styles/x/y"])
def test_unknown_path_with_a_valid_token_is_404_and_keeps_the_session(front, path):
    token = make_user("5101")
    answer = front.get(path, headers=_bearer(token))
    assert answer.status_code == 404
    assert answer.json == NOT_FOUND


def test_unknown_path_without_a_token_is_the_same_404(front):
    answer = front.get("/api/nonexistent")
    assert (answer.status_code, answer.json) == (404, NOT_FOUND)


@pytest.mark.parametrize("method, path", [("PUT", "/api/me"), ("GET", "/api/payments"),
                                          ("DELETE", "/api/me"), ("OPTIONS", "/api/me")])
def test_undeclared_method_is_api_gateways_404_not_an_english_405(front, method, path):
    token = make_user("5102")
    for headers in (_bearer(token), {}):
        answer = front.open(path, method=method, headers=headers)
        assert (answer.status_code, answer.json) == (404, NOT_FOUND), headers


def test_a_refused_token_on_a_real_route_is_still_session_invalid(front):
    answer = front.get("/api/me", headers=_bearer("not-a-jwt"))
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "session_invalid"


def test_a_valid_token_on_a_real_route_still_reaches_the_view(front):
    answer = front.get("/api/me", headers=_bearer(make_user("5103")))
    assert answer.status_code == 200 and answer.json["id"] == "5103"


# --- 2. bodies that are not JSON: our 415, not Chalice's English one -----------------------
@pytest.mark.parametrize("content_type, body", [
    ("text/plain", "title=Мрамор"),
    ("application/x-www-form-urlencoded", "title=marble"),
    ("application/xml", "<style><title>marble</title></style>"),
    ("application/octet-stream", b"\x00\x01\x02"),
])
def test_saved_style_with_a_non_json_body_is_a_russian_415(api, content_type, body):
    token = make_user("5201")
    answer = api.post("/api/me/styles", body=body, token=token,
                      headers={"Content-Type": content_type})
    assert (answer.status_code, answer.json) == (415, JSON_415)


def test_profile_patch_as_multipart_is_a_russian_415(api):
    token = make_user("5202")
    answer = api.patch("/api/me", body=b"--x\r\nContent-Disposition: form-data; name=\"email\""
                                        b"\r\n\r\na@b.ru\r\n--x--\r\n", token=token,
                       headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert (answer.status_code, answer.json) == (415, JSON_415)


def test_non_json_body_through_the_front_is_the_same_415(front):
    token = make_user("5203")
    answer = front.post("/api/me/styles", data="title", headers={
        **_bearer(token), "Content-Type": "text/plain"})
    assert (answer.status_code, answer.json) == (415, JSON_415)


def test_json_with_a_charset_and_without_a_content_type_is_read(api):
    token = make_user("5204")
    for headers in ({"Content-Type": "application/json; charset=utf-8"}, {"Content-Type": ""}):
        answer = api.post("/api/uploads", body={"content_type": "image/png", "size": 1000},
                          token=token, headers=headers)
        assert answer.status_code == 200, (headers, answer.json)


@pytest.mark.parametrize("route, body", [
    ("/api/me/styles", '{"title": "a\\ud800", "prompt": "on marble \\ud800"}'),
    ("/api/me/styles", '{"title": "ok", "prompt": "на мраморе", "\\udc00": 1}'),
    ("/api/generations", '{"upload_id": "x", "custom_prompt": ["\\ud83d"]}'),
])
def test_a_lone_surrogate_anywhere_in_a_body_is_a_russian_400(api, route, body):
    """JSON may spell half of a UTF-16 pair ("\\ud800"); it has no UTF-8 form, so DynamoDB
    or a log line would fail on it deep in the view (a 500)."""
    token = make_user("5206")
    answer = api.post(route, body=body, token=token,
                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["code"] == "bad_request"
    assert "недопустимые символы" in answer.json["error"]["message"]
    # a whole pair (an emoji) is text like any other
    fine = api.post("/api/me/styles", token=token, headers={"Content-Type": "application/json"},
                    body='{"title": "\\ud83d\\udcf8 Мрамор", "prompt": "на белом мраморе"}')
    assert fine.status_code in (200, 201), fine.json


def test_a_get_with_a_stray_content_type_is_answered(api):
    answer = api.get("/api/health", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 200


def test_every_route_leaves_content_types_to_read_json():
    from app import app
    from functions.http import ANY_CONTENT_TYPE

    for path, methods in app.routes.items():
        for method, entry in methods.items():
            assert entry.content_types == ANY_CONTENT_TYPE, f"{method} {path}"


# --- 3. the caller's address behind CloudFront ---------------------------------------------
def _request(headers: dict, source_ip: str = "130.176.1.1"):
    return SimpleNamespace(headers=headers, context={"identity": {"sourceIp": source_ip}})


@pytest.mark.parametrize("viewer, expected", [("198.51.100.10:46532", "198.51.100.10"),
                                              ("2001:db8::7:443", "2001:db8::7"),
                                              ("[2001:db8::7]:443", "2001:db8::7")])
def test_viewer_address_is_used_when_the_request_came_through_our_cloudfront(
        env, viewer, expected):
    from functions.http import client_ip

    env(CLOUDFRONT_ORIGIN_SECRET="origin-secret-123")
    request = _request({"x-origin-verify": "origin-secret-123",
                        "cloudfront-viewer-address": viewer})
    assert client_ip(request) == expected


@pytest.mark.parametrize("headers", [
    {"cloudfront-viewer-address": "203.0.113.5:1000"},  # called around CloudFront
    {"x-origin-verify": "guess", "cloudfront-viewer-address": "203.0.113.5:1000"},
    {"x-origin-verify": "origin-secret-123", "cloudfront-viewer-address": "nonsense"},
    {"x-origin-verify": "origin-secret-123"},
    {"x-forwarded-for": "203.0.113.5"},
])
def test_a_viewer_address_that_is_not_proven_is_ignored(env, headers):
    from functions.http import client_ip

    env(CLOUDFRONT_ORIGIN_SECRET="origin-secret-123")
    assert client_ip(_request(headers)) == "130.176.1.1"


def test_without_the_origin_secret_configured_source_ip_is_used(env):
    from functions.http import client_ip

    env(CLOUDFRONT_ORIGIN_SECRET="")
    request = _request({"x-origin-verify": "", "cloudfront-viewer-address": "203.0.113.5:1"})
    assert client_ip(request) == "130.176.1.1"


def test_two_viewers_behind_one_cloudfront_edge_have_their_own_login_limit(api, env):
    env(CLOUDFRONT_ORIGIN_SECRET="origin-secret-123", AUTH_CODE_REQUESTS_PER_IP=2)

    def start_link(viewer: str):
        return api.post("/api/auth/link", body={}, headers={
            "X-Origin-Verify": "origin-secret-123",
            "CloudFront-Viewer-Address": f"{viewer}:51000"})

    assert [start_link("198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert start_link("198.51.100.2").status_code == 200


# --- 4. Retry-After says what the body says -------------------------------------------------
def test_retry_after_is_the_rate_limit_windows_rest():
    from functions.http import error_response
    from photoshoot.errors import RateLimited

    response = error_response(RateLimited(details={"retry_after_s": 2275}))
    assert response.headers["Retry-After"] == "2275"
    assert error_response(RateLimited()).headers["Retry-After"] == "60"


# --- 5. per-user limits of uploads and suggestions ------------------------------------------
def test_uploads_are_limited_per_user_with_a_russian_429(api, env):
    env(UPLOADS_PER_10_MIN=3)
    token, other = make_user("5501"), make_user("5502")
    body = {"content_type": "image/jpeg", "size": 1000}

    statuses = [api.post("/api/uploads", body=body, token=token).status_code for _ in range(3)]
    refused = api.post("/api/uploads", body=body, token=token)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    error = refused.json["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Не больше 3 фото за 10 минут.")
    assert refused.headers["Retry-After"] == str(error["details"]["retry_after_s"])
    assert api.post("/api/uploads", body=body, token=other).status_code == 200


def test_a_refused_file_type_does_not_use_up_the_upload_limit(api, env):
    env(UPLOADS_PER_10_MIN=1)
    token = make_user("5503")
    for _ in range(3):
        wrong = api.post("/api/uploads", body={"content_type": "image/heic", "size": 1000},
                         token=token)
        assert wrong.status_code == 422
    right = api.post("/api/uploads", body={"content_type": "image/jpeg", "size": 1000},
                     token=token)
    assert right.status_code == 200


def test_suggestions_are_limited_per_user_with_a_russian_429(api, env):
    env(SUGGESTIONS_PER_10_MIN=2)
    token, other = make_user("5504"), make_user("5505")
    path = "/api/uploads/01HZZZZZZZZZZZZZZZZZZZZZZZ/suggestions"  # no such upload: a 404

    statuses = [api.get(path, token=token).status_code for _ in range(2)]
    refused = api.get(path, token=token)

    assert statuses == [404, 404]
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert "подбор стилей" in refused.json["error"]["message"]
    assert api.get(path, token=other).status_code == 404
