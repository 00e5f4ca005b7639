"""Who is calling, behind our CloudFront distribution (docs/http-edge.md).

Behind CloudFront the TCP peer an API Gateway or a Function URL sees is a CloudFront server,
shared by everyone at that edge; the viewer's own address is in ``CloudFront-Viewer-Address``
("ip:port"). Anyone can call the origins directly with any header, so that header is
believed only next to the origin header ``X-Origin-Verify`` equal to the distribution's
secret (``CLOUDFRONT_ORIGIN_SECRET``). Used for the API's per-IP limits and the YooKassa
webhook's sender check; light on imports (the webhook's cold start)."""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

ORIGIN_VERIFY_HEADER = "x-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


def viewer_address(headers: Mapping[str, str]) -> str | None:
    """The viewer CloudFront saw, when the request proves it came through our distribution;
    ``None`` otherwise. ``headers`` must answer lower-case names."""
    from photoshoot.settings import get_settings  # noqa: PLC0415 - keeps imports light

    secret = get_settings().cloudfront_origin_secret
    presented = headers.get(ORIGIN_VERIFY_HEADER) or ""
    if not secret or not hmac.compare_digest(presented.encode(), secret.encode()):
        return None
    # "198.51.100.10:46532", "2001:db8::1:46532"; the last value wins should a caller's own
    # header have been kept next to the one CloudFront set.
    raw = (headers.get(VIEWER_ADDRESS_HEADER) or "").split(",")[-1].strip()
    address, _, port = raw.rpartition(":")
    if not port.isdigit():
        return None
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return None
