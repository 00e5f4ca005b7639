"""Contract tests of the remote providers against recorded responses (no network)."""
import json

import pytest
import requests
import responses

from photoshoot.errors import ProviderError, ProviderTimeout, ProviderUnavailable
from photoshoot.providers import fidelity
from photoshoot.providers.photoroom import PhotoroomProvider
from photoshoot.providers.registry import get_provider, style_spec_for
from photoshoot.providers.remote import RemoteConfig
from photoshoot.providers.stability import StabilityProvider
from photoshoot.providers.yandexart import YandexArtProvider
from photoshoot.settings import reset_settings_cache

from .conftest import fixture_json, provider_output

PR_BASE, ST_BASE, YA_BASE = "https://pr.test", "https://st.test", "https://ya.test"


def _shot(analysis, fmt="1:1"):
    style = style_spec_for(None, "на мраморном столе")
    return get_provider("studio").build_prompt(analysis, style, fmt, 2, 11)[1]


@pytest.fixture
def photoroom():
    return PhotoroomProvider(RemoteConfig(PR_BASE, "pr-key", 30))


@pytest.fixture
def stability():
    return StabilityProvider(RemoteConfig(ST_BASE, "st-key", 30))


@pytest.fixture
def yandexart():
    return YandexArtProvider(RemoteConfig(YA_BASE, "ya-key", 30), "b1gfolder")


@responses.activate
def test_photoroom_keeps_the_product_and_returns_the_exact_size(photoroom, product):
    analysis, cutout = product
    shot = _shot(analysis, "3:4")
    responses.add(responses.POST, f"{PR_BASE}/v2/edit", status=200, content_type="image/png",
                  body=provider_output(cutout, analysis, shot))
    result = photoroom.render(cutout, analysis, shot)
    assert result.image.size == (900, 1200) and result.provider == "photoroom"
    assert result.fidelity["action"] == "kept" and result.cost_micro_usd > 0
    req = responses.calls[0].request
    assert req.headers["x-api-key"] == "pr-key"
    body = req.body if isinstance(req.body, bytes) else req.body.read()
    for field in (b'name="imageFile"', b'name="background.prompt"', b"900x1200",
                  b"originalImage", b'name="removeBackground"'):
        assert field in body
    assert not photoroom.capabilities.async_ and photoroom.capabilities.preserves_product


@responses.activate
def test_photoroom_output_with_a_moved_product_is_rejected(photoroom, product):
    analysis, cutout = product
    shot = _shot(analysis)
    responses.add(responses.POST, f"{PR_BASE}/v2/edit", status=200, content_type="image/png",
                  body=provider_output(cutout, analysis, shot, move_px=220))
    with pytest.raises(fidelity.ProductRedrawn):
        photoroom.render(cutout, analysis, shot)


@pytest.mark.parametrize("status, error", [(500, ProviderUnavailable), (503, ProviderUnavailable),
                                           (429, ProviderUnavailable), (402, ProviderError),
                                           (401, ProviderError)])
@responses.activate
def test_photoroom_http_errors_are_named(photoroom, product, status, error):
    analysis, cutout = product
    responses.add(responses.POST, f"{PR_BASE}/v2/edit", status=status,
                  json=fixture_json("photoroom_402.json"))
    with pytest.raises(error) as err:
        photoroom.render(cutout, analysis, _shot(analysis))
    if status < 429:
        assert not isinstance(err.value, (ProviderUnavailable, ProviderTimeout))


@responses.activate
def test_timeouts_are_transient_provider_timeouts(photoroom, product):
    analysis, cutout = product
    responses.add(responses.POST, f"{PR_BASE}/v2/edit", body=requests.ReadTimeout("slow"))
    with pytest.raises(ProviderTimeout):
        photoroom.render(cutout, analysis, _shot(analysis))


@responses.activate
def test_connection_errors_are_transient_unavailable(stability, product):
    analysis, cutout = product
    responses.add(responses.POST, ST_BASE + "/v2beta/stable-image/edit/replace-background-and-relight",
                  body=requests.ConnectionError("reset"))
    with pytest.raises(ProviderUnavailable):
        stability.start_render(cutout, analysis, _shot(analysis))


@responses.activate
def test_stability_is_started_then_polled_until_done(stability, product):
    analysis, cutout = product
    shot = _shot(analysis)
    start = fixture_json("stability_start.json")
    responses.add(responses.POST, ST_BASE + "/v2beta/stable-image/edit/replace-background-and-relight",
                  json=start)
    url = f"{ST_BASE}/v2beta/results/{start['id']}"
    responses.add(responses.GET, url, status=202, json=fixture_json("stability_in_progress.json"))
    responses.add(responses.GET, url, status=200, content_type="image/png",
                  headers={"finish-reason": "SUCCESS", "seed": str(shot.seed)},
                  body=provider_output(cutout, analysis, shot, size=(896, 896)))
    assert stability.capabilities.async_
    job = stability.start_render(cutout, analysis, shot)
    assert job == start["id"]
    assert stability.poll_render(job, cutout, analysis, shot) is None
    result = stability.poll_render(job, cutout, analysis, shot)
    assert result.image.size == (1024, 1024) and result.provider == "stability"
    assert result.fidelity["action"] in {"kept", "restored"}
    sent = responses.calls[0].request
    assert sent.headers["Authorization"] == "Bearer st-key"
    body = sent.body if isinstance(sent.body, bytes) else sent.body.read()
    assert b'name="subject_image"' in body and b'name="light_source_direction"' in body
    assert responses.calls[1].request.headers["Accept"] == "image/*"


@responses.activate
def test_stability_refusal_is_a_permanent_error(stability, product):
    analysis, cutout = product
    responses.add(responses.POST, ST_BASE + "/v2beta/stable-image/edit/replace-background-and-relight",
                  status=400, json=fixture_json("stability_400.json"))
    with pytest.raises(ProviderError) as err:
        stability.start_render(cutout, analysis, _shot(analysis))
    assert not isinstance(err.value, (ProviderUnavailable, ProviderTimeout))


@responses.activate
def test_yandexart_paints_a_plate_and_the_studio_places_the_real_product(yandexart, product):
    analysis, cutout = product
    shot = _shot(analysis, "16:9")
    start = fixture_json("yandexart_start.json")
    responses.add(responses.POST, YA_BASE + "/foundationModels/v1/imageGenerationAsync", json=start)
    op_url = f"{YA_BASE}/operations/{start['id']}"
    responses.add(responses.GET, op_url, json=start)
    responses.add(responses.GET, op_url, json=fixture_json("yandexart_done.json"))
    caps = yandexart.capabilities
    assert caps.text_only and caps.async_ and not caps.preserves_product
    job = yandexart.start_render(cutout, analysis, shot)
    body = json.loads(responses.calls[0].request.body)
    assert body["modelUri"] == "art://b1gfolder/yandex-art/latest"
    assert body["generationOptions"]["aspectRatio"] == {"widthRatio": "16", "heightRatio": "9"}
    assert "Empty scene" in body["messages"][0]["text"]
    assert responses.calls[0].request.headers["Authorization"] == "Api-Key ya-key"
    assert yandexart.poll_render(job, cutout, analysis, shot) is None
    result = yandexart.poll_render(job, cutout, analysis, shot)
    assert result.image.size == (1600, 900)
    assert result.fidelity["action"] == "kept" and result.fidelity["label_drift"] == 0.0


@responses.activate
def test_yandexart_refused_operation_is_a_permanent_error(yandexart, product):
    analysis, cutout = product
    responses.add(responses.GET, f"{YA_BASE}/operations/op1", json=fixture_json("yandexart_refused.json"))
    with pytest.raises(ProviderError) as err:
        yandexart.poll_render("op1", cutout, analysis, _shot(analysis))
    assert not isinstance(err.value, (ProviderUnavailable, ProviderTimeout))


def test_missing_api_key_fails_clearly(product):
    analysis, cutout = product
    provider = PhotoroomProvider(RemoteConfig(PR_BASE, "", 30))
    with pytest.raises(ProviderError) as err:
        provider.render(cutout, analysis, _shot(analysis))
    assert err.value.details["reason"] == "api_key_missing"


def test_providers_are_chosen_by_configuration(monkeypatch):
    from photoshoot.providers import registry
    monkeypatch.setenv("PHOTOROOM_API_KEY", "k")
    monkeypatch.setenv("PHOTOROOM_API_BASE", "https://example.test/")
    monkeypatch.setenv("PHOTOROOM_TIMEOUT_S", "12")
    reset_settings_cache()
    registry._cache.pop("photoroom", None)
    try:
        provider = registry.get_provider("photoroom")
        assert provider.name == "photoroom" and provider.config.base_url == "https://example.test"
        assert provider.config.api_key == "k" and provider.config.timeout_s == 12.0
    finally:
        registry._cache.pop("photoroom", None)
        monkeypatch.undo()
        reset_settings_cache()
