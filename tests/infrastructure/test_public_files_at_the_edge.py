"""Every file the SPA ships beside index.html (static_site/public/ and the robots.txt and
sitemap.xml its build writes) reaches the bucket as itself through the distribution's
CloudFront Function, as through the local front: a crawler asking for /robots.txt must never
get the SPA. A file without an extension (say /.well-known/apple-app-site-association) would
be taken for a client route by both; this names it."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from infra.resources import load_template
from infra.site_files import is_client_route

PUBLIC = Path(__file__).resolve().parents[2] / "static_site" / "public"
BUILT = ["/robots.txt", "/sitemap.xml"]  # static_site/scripts/publicSite.ts writes these
SHIPPED = sorted({"/" + p.relative_to(PUBLIC).as_posix() for p in PUBLIC.rglob("*")
                  if p.is_file()} | set(BUILT))


def test_the_crawler_and_launcher_files_are_all_shipped():
    for path in ("/manifest.webmanifest", "/og-image.jpg", "/apple-touch-icon.png",
                 "/icon-192.png", "/icon-512.png", "/favicon.svg"):
        assert path in SHIPPED, path


def test_the_local_front_serves_every_shipped_file_as_a_file():
    assert [path for path in SHIPPED if is_client_route(path.lstrip("/"))] == []


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront Function")
def test_the_spa_routes_function_leaves_every_shipped_file_alone():
    code = load_template()["Resources"]["SpaRoutesFunction"]["Properties"]["FunctionCode"]
    script = (code + "\nconst uris = " + json.dumps(SHIPPED) + ";\n"
              "console.log(JSON.stringify(uris.map(uri => handler({request: {uri}}).uri)));\n")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True,
                            check=True, timeout=60)
    assert json.loads(result.stdout) == SHIPPED
