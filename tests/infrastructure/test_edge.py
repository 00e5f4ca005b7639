"""The distribution in template.yaml serves what the local front serves, the same way
(ARCHITECTURE §2: one distribution; the paths are the same in AWS and locally)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from functions import telegram_webhook
from photoshoot import edge
from infra.resources import load_template
from infra.site_files import is_client_route

RESOURCES = load_template()["Resources"]
CONFIG = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
ORIGINS = {origin["Id"]: origin for origin in CONFIG["Origins"]}
BEHAVIOURS = {behaviour["PathPattern"]: behaviour for behaviour in CONFIG["CacheBehaviors"]}
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}

PATHS = ["/", "/generate", "/generate/", "/history", "/generations/01JD3Z6Q8W", "/packages",
         "/payment/result", "/admin", "/index.html", "/assets/index-3f9a.js",
         "/assets/index-77aa.css", "/favicon.svg", "/robots.txt", "/missing.png",
         "/v1.2/route"]


def _origin_request_policy(behaviour: dict) -> dict:
    return RESOURCES[behaviour["OriginRequestPolicyId"]["Ref"]]["Properties"][
        "OriginRequestPolicyConfig"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront Function")
def test_the_spa_routes_function_sends_the_same_paths_to_index_html_as_the_local_front():
    code = RESOURCES["SpaRoutesFunction"]["Properties"]["FunctionCode"]
    script = (code + "\nconst uris = " + json.dumps(PATHS) + ";\n"
              "console.log(JSON.stringify(uris.map(uri => handler({request: {uri}}).uri)));\n")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True,
                            check=True, timeout=60)
    rewritten = dict(zip(PATHS, json.loads(result.stdout)))
    for path in PATHS:
        expected = "/index.html" if is_client_route(path.lstrip("/")) else path
        assert rewritten[path] == expected, path
    assert rewritten["/generations/01JD3Z6Q8W"] == "/index.html"
    assert rewritten["/assets/index-3f9a.js"] == "/assets/index-3f9a.js"


def test_every_path_family_of_the_local_front_has_its_origin():
    assert CONFIG["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    assert BEHAVIOURS["/api/*"]["TargetOriginId"] == "api"
    assert BEHAVIOURS["/webhooks/yookassa"]["TargetOriginId"] == "yookassa-webhook"
    assert BEHAVIOURS["/webhooks/telegram"]["TargetOriginId"] == "telegram-webhook"
    # the Chalice routes start with /api and the REST API's stage is "api"
    assert ORIGINS["api"]["OriginPath"] == "/api"
    for path in ("/api/*", "/webhooks/yookassa", "/webhooks/telegram"):
        assert set(BEHAVIOURS[path]["AllowedMethods"]) == ALL_METHODS, path
        assert BEHAVIOURS[path]["ViewerProtocolPolicy"] == "https-only", path  # no POST redirect


def test_the_api_gets_the_token_and_is_never_cached():
    api = BEHAVIOURS["/api/*"]
    cache = RESOURCES[api["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
    forwarded = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    assert forwarded["HeadersConfig"]["Headers"] == ["Authorization"]
    assert forwarded["QueryStringsConfig"]["QueryStringBehavior"] == "all"  # history filters
    assert cache["DefaultTTL"] == 0 and cache["MinTTL"] == 0 and cache["MaxTTL"] <= 1
    headers = _origin_request_policy(api)["HeadersConfig"]["Headers"]
    assert "Host" not in headers  # API Gateway routes on its own host name
    assert "CloudFront-Viewer-Address" in headers


def test_every_origin_but_the_bucket_proves_the_request_came_through_the_distribution():
    for origin_id, origin in ORIGINS.items():
        if origin_id == "site":
            assert "OriginCustomHeaders" not in origin
            continue
        headers = {header["HeaderName"].lower(): header["HeaderValue"]
                   for header in origin["OriginCustomHeaders"]}
        assert headers == {edge.ORIGIN_VERIFY_HEADER: {"Ref": "OriginVerifySecret"}}
    secret = load_template()["Parameters"]["OriginVerifySecret"]
    assert secret["NoEcho"] is True and secret["MinLength"] >= 32


def test_the_webhooks_get_their_senders_proof():
    for path in ("/webhooks/yookassa", "/webhooks/telegram"):
        policy = _origin_request_policy(BEHAVIOURS[path])
        headers = {header.lower() for header in policy["HeadersConfig"]["Headers"]}
        assert "host" not in headers  # a Function URL routes on its own host name
        assert telegram_webhook.SECRET_HEADER in headers
        assert edge.VIEWER_ADDRESS_HEADER in headers
        assert BEHAVIOURS[path]["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    for origin_id, url in (("yookassa-webhook", "YookassaWebhookUrl"),
                           ("telegram-webhook", "TelegramWebhookUrl")):
        assert ORIGINS[origin_id]["DomainName"] == {"Fn::Select": [2, {"Fn::Split": [
            "/", {"Fn::GetAtt": [url, "FunctionUrl"]}]}]}


def test_only_this_distribution_reads_the_site_bucket():
    bucket = RESOURCES["SiteBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    statements = RESOURCES["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [statement for statement in statements if statement["Effect"] == "Allow"]
    assert all(statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
               for statement in allows)
    for statement in allows:
        source = statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        assert source.endswith(":distribution/${Distribution}")
    # ListBucket lets S3 say 404 for a missing file (without it, 403)
    assert {action for statement in allows for action in
            ([statement["Action"]] if isinstance(statement["Action"], str)
             else statement["Action"])} == {"s3:GetObject", "s3:ListBucket"}
    assert ORIGINS["site"]["OriginAccessControlId"] == {
        "Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}


def test_the_site_is_served_with_its_routes_function_and_security_headers():
    default = CONFIG["DefaultCacheBehavior"]
    assert default["FunctionAssociations"] == [{
        "EventType": "viewer-request",
        "FunctionARN": {"Fn::GetAtt": ["SpaRoutesFunction", "FunctionMetadata.FunctionARN"]}}]
    headers = RESOURCES[default["ResponseHeadersPolicyId"]["Ref"]]["Properties"][
        "ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    # The Mini App runs in a frame on Telegram Web: DENY would break it there.
    assert "FrameOptions" not in headers
    assert re.search(r"frame-ancestors 'self' https://web\.telegram\.org",
                     headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
