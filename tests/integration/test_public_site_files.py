"""The local front serves the files crawlers, link previews and launchers ask for (robots.txt,
sitemap.xml, the web app manifest, the share image, the icons) as files, with the type and
cache the deploy gives them in the bucket (infra/site_files.py) — never index.html."""
from __future__ import annotations

import json
import re

import pytest

from infra.site_files import cache_control, content_type
from tests.integration.test_local_stack import DIST, get

pytestmark = pytest.mark.integration

FILES = {
    "robots.txt": "text/plain; charset=utf-8",
    "sitemap.xml": "application/xml; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json",
    "og-image.jpg": "image/jpeg",
    "apple-touch-icon.png": "image/png",
    "icon-maskable-512.png": "image/png",
    "assets/index-1a2b3c.js": "text/javascript; charset=utf-8",
}


@pytest.fixture
def front(tmp_path):
    from chalice import Chalice
    from werkzeug.test import Client

    from infra.local.front import FrontApp

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    for name in FILES:
        (tmp_path / name).write_bytes(f"contents of {name}".encode())
    app = FrontApp(Chalice(app_name="public-files-test"), webhooks={}, sandboxes={},
                   dist_dir=tmp_path, region="eu-central-1")
    return Client(app)


@pytest.mark.parametrize(("name", "kind"), FILES.items())
def test_each_file_is_itself_with_the_buckets_type_and_cache(front, name, kind):
    answer = front.get(f"/{name}")
    assert answer.status_code == 200
    assert answer.data == f"contents of {name}".encode()  # not the SPA's index.html
    assert answer.headers["Content-Type"] == kind == content_type(name)
    assert answer.headers["Cache-Control"] == cache_control(name)


def test_a_head_request_gets_the_same_headers(front):
    answer = front.head("/sitemap.xml")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/xml; charset=utf-8"


def test_a_missing_sitemap_is_a_404_not_the_spa(front, tmp_path):
    (tmp_path / "sitemap.xml").unlink()
    answer = front.get("/sitemap.xml")
    assert answer.status_code == 404 and b"id=root" not in answer.data


# --- the built SPA through the running stack ----------------------------------------------
@pytest.fixture
def built_site():
    if not DIST.exists():
        pytest.skip("static_site/dist is not built")
    if not (DIST.parent / "robots.txt").exists():
        pytest.fail("static_site/dist predates robots.txt: rebuild it (make spa)")
    return DIST.parent


def test_the_stack_serves_robots_txt_that_keeps_crawlers_out_of_private_paths(local_stack,
                                                                              built_site):
    status, headers, body = get(f"{local_stack.base_url}/robots.txt")
    assert status == 200
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "immutable" not in headers["Cache-Control"]
    text = body.decode()
    for path in ("/api/", "/admin", "/payment/", "/webhooks/", "/sandbox/"):
        assert f"Disallow: {path}\n" in text


def test_the_stack_serves_the_sitemap_robots_txt_names(local_stack, built_site):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    named = re.search(r"^Sitemap: (\S+)$", robots, re.MULTILINE)
    status, headers, body = get(f"{local_stack.base_url}/sitemap.xml")
    if named is None:  # built without VITE_PUBLIC_ORIGIN: no sitemap, and no page instead
        assert status == 404 and b"id=\"root\"" not in body
        return
    assert named.group(1).endswith("/sitemap.xml")
    assert status == 200
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    origin = named.group(1).removesuffix("/sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", body.decode())
    assert locs and all(loc.startswith(origin + "/") for loc in locs)


def test_the_stack_serves_the_manifest_and_every_icon_it_names(local_stack, built_site):
    status, headers, body = get(f"{local_stack.base_url}/manifest.webmanifest")
    assert status == 200
    assert headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(body)
    assert manifest["lang"] == "ru" and manifest["start_url"] == "/"
    for icon in manifest["icons"] + [{"src": "/apple-touch-icon.png"}, {"src": "/og-image.jpg"}]:
        status, headers, body = get(f"{local_stack.base_url}{icon['src']}")
        assert status == 200, icon["src"]
        assert headers["Content-Type"] == content_type(icon["src"]), icon["src"]
        assert body.startswith((b"\x89PNG", b"\xff\xd8\xff")), icon["src"]

