"""How the built SPA's files are served: the same rules for the local front
(``infra/local/front.py``) and for the upload to the site bucket (``infra/deploy.py``), so a
browser caches the same way in both places."""
from __future__ import annotations

import mimetypes

HASHED_ASSET_DIRS = ("assets/",)  # Vite puts content-hashed files here
INDEX = "index.html"

# mimetypes reads the machine's /etc/mime.types, which differs between machines.
_CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
                  ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
                  ".json": "application/json", ".webmanifest": "application/manifest+json",
                  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
                  ".jpeg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon",
                  ".woff2": "font/woff2", ".woff": "font/woff", ".txt": "text/plain; charset=utf-8",
                  ".xml": "application/xml; charset=utf-8", ".map": "application/json"}


def cache_control(relative: str) -> str:
    """Hashed assets never change under their name; index.html names the current ones, so it
    is revalidated on every visit; other files (icons, robots.txt) may be an hour old."""
    if relative.startswith(HASHED_ASSET_DIRS):
        return "public, max-age=31536000, immutable"
    if relative == INDEX:
        return "no-cache"
    return "public, max-age=3600"


def content_type(relative: str) -> str:
    suffix = "." + relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
    return (_CONTENT_TYPES.get(suffix) or mimetypes.guess_type(relative)[0]
            or "application/octet-stream")


def is_client_route(path: str) -> bool:
    """A path the SPA routes itself (its last segment has no file extension)."""
    return "." not in path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else True
