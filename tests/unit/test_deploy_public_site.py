"""infra/deploy.py's SPA step for the files crawlers and link previews read: the build gets the
site's origin (known once the stack exists), and robots.txt, sitemap.xml, the manifest and the
images go to the bucket with their own type and a cache that a new deploy can replace."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra import deploy
from infra.site_files import cache_control
from tests.unit.test_deploy import REGION, _bucket, _distribution, aws  # noqa: F401 - fixture

PUBLIC_FILES = {
    "robots.txt": "text/plain; charset=utf-8",
    "sitemap.xml": "application/xml; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json",
    "og-image.jpg": "image/jpeg",
    "apple-touch-icon.png": "image/png",
    "icon-512.png": "image/png",
}
A_DAY = 86_400


def _max_age(header: str) -> int:
    match = re.search(r"max-age=(\d+)", header)
    assert match, header
    return int(match.group(1))


def _vite(origin_seen: list):
    """Stands in for `npm run build`: writes what the build would, for the origin it is given."""
    def run(argv, check, env):
        assert check is True
        origin = env[deploy.ORIGIN_VARIABLE]
        origin_seen.append((argv, origin))
        out = Path(argv[argv.index("--outDir") + 1])
        (out / "assets").mkdir(parents=True, exist_ok=True)
        (out / "assets" / "index-aaa.js").write_text("console.log(1)")
        (out / "index.html").write_text(f'<meta property="og:url" content="{origin}/">')
        (out / "robots.txt").write_text(f"User-agent: *\nSitemap: {origin}/sitemap.xml\n")
        (out / "sitemap.xml").write_text(f"<urlset><url><loc>{origin}/</loc></url></urlset>")
        (out / "manifest.webmanifest").write_text('{"name": "Photoshoot"}')
        for name in ("og-image.jpg", "apple-touch-icon.png", "icon-512.png"):
            (out / name).write_bytes(b"\xff" + name.encode())
    return run


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html>")
    for name in PUBLIC_FILES:
        (root / name).write_bytes(name.encode())
    return root


def test_crawler_and_preview_files_go_up_with_their_types_and_a_replaceable_cache(aws, dist):
    s3 = _bucket(aws)
    deploy.upload_site(s3, "site", dist)
    for key, kind in PUBLIC_FILES.items():
        head = s3.head_object(Bucket="site", Key=key)
        assert head["ContentType"] == kind, key
        assert head["CacheControl"] == cache_control(key), key
        # not named by their content: a year-long cache would keep an old robots.txt or preview
        assert "immutable" not in head["CacheControl"], key
        assert 0 < _max_age(head["CacheControl"]) <= A_DAY, key
        assert head["CacheControl"].startswith("public"), key


def test_the_site_origin_is_the_custom_domain_else_the_distributions_name():
    outputs = {"DistributionDomainName": "d111abc.cloudfront.net"}
    assert deploy.site_origin("Photoshoot.ru", outputs) == "https://photoshoot.ru"
    assert deploy.site_origin(None, outputs) == "https://d111abc.cloudfront.net"
    assert deploy.site_origin("", outputs) == "https://d111abc.cloudfront.net"
    with pytest.raises(SystemExit, match="origin"):
        deploy.site_origin(None, {})


def test_the_build_gets_the_origin_and_its_own_directory(tmp_path):
    seen = []
    out = deploy.build_site("https://photoshoot.ru", tmp_path / "site", run=_vite(seen))
    [(argv, origin)] = seen
    assert origin == "https://photoshoot.ru"
    assert argv[:3] == ["npm", "--prefix", str(deploy.SPA_DIR)] and "build" in argv
    assert out == tmp_path / "site" and (out / "index.html").is_file()
    assert deploy.DIST_DIR not in (out, *out.parents)  # the local build keeps its own origin


def test_a_build_that_leaves_no_index_is_not_uploaded(tmp_path):
    with pytest.raises(SystemExit, match="index.html"):
        deploy.build_site("https://photoshoot.ru", tmp_path / "site",
                          run=lambda argv, check, env: None)


def test_the_site_is_built_for_the_stacks_distribution_then_uploaded_and_invalidated(aws,
                                                                                   tmp_path):
    s3 = _bucket(aws)
    cloudfront = aws.client("cloudfront")
    distribution_id = _distribution(aws)
    outputs = {"SiteBucketName": "site", "DistributionId": distribution_id,
               "DistributionDomainName": "d111abc.cloudfront.net"}
    seen = []
    summary = deploy.publish_site(s3, cloudfront, outputs, None, tmp_path / "site",
                                  run=_vite(seen))
    assert summary["origin"] == "https://d111abc.cloudfront.net"
    assert [origin for _, origin in seen] == ["https://d111abc.cloudfront.net"]
    robots = s3.get_object(Bucket="site", Key="robots.txt")["Body"].read().decode()
    assert "Sitemap: https://d111abc.cloudfront.net/sitemap.xml" in robots
    assert summary["site_files_changed"] == 8 and summary["invalidation"]
