"""Hand the stack's own AWS calls to moto's WSGI application in-process.

The local stack is one process: moto's server, the Chalice app and every Lambda handler. A
boto3 or PynamoDB call from a handler would otherwise leave through urllib3, cross loopback
TCP and come back in through werkzeug's HTTP server on another thread — on a 4-image
photoshoot ~80 round trips, each paying Python HTTP work on both ends on the cores the
renders need, a cost AWS's own service front ends do not charge a Lambda. A botocore
``before-send`` handler (the seam moto's own in-process mock uses) passes the already signed
request to the same moto WSGI application the server runs, so the requests, the backends and
what they answer are the very ones served over HTTP; only the transport is skipped.

Requests for other endpoints (the WebSocket gateway's management API, real AWS) are left to
botocore. Browsers and other processes keep reaching moto over HTTP.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.botocore_stubber import MockRawResponse
from werkzeug.test import EnvironBuilder, run_wsgi_app

from infra.local.environment import loopback_twin

# Credential=<key>/<date>/<region>/<service>/aws4_request
_CREDENTIAL_SERVICE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")


class InProcessMoto:
    """A ``before-send`` handler: requests to ``moto_url`` go straight into ``wsgi_app``."""

    def __init__(self, moto_url: str, wsgi_app: Callable) -> None:
        self.base_url = moto_url.rstrip("/")
        # moto's Step Functions calls Lambda at http://localhost:<port>: the same server
        self.prefixes = tuple({self.base_url + "/", loopback_twin(self.base_url) + "/"})
        self.dispatcher = wsgi_app
        self._apps: dict[str, Callable] = {}
        self._lock = threading.Lock()
        self.enabled = True

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if not self.enabled or not request.url.startswith(self.prefixes):
            return None
        parts = urlsplit(request.url)
        headers = {name: value.decode("latin-1") if isinstance(value, bytes) else value
                   for name, value in request.headers.items()}
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        environ = EnvironBuilder(path=parts.path, query_string=parts.query,
                                 method=request.method, headers=headers, data=body or b"",
                                 base_url=self.base_url).get_environ()
        environ["REMOTE_ADDR"] = "127.0.0.1"
        app_iter, status, response_headers = run_wsgi_app(self._app_for(environ, headers),
                                                           environ)
        try:
            data = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        return AWSResponse(request.url, int(status.split(" ", 1)[0]),
                           dict(response_headers), MockRawResponse(data))

    def _app_for(self, environ: dict, headers: dict) -> Callable:
        """The service's Flask app. moto's dispatcher infers the service per request by
        scanning every backend's URL patterns under a global lock; the signature's
        credential scope names it, so that answer is remembered per service."""
        match = _CREDENTIAL_SERVICE.search(headers.get("Authorization", ""))
        if match is None or environ["PATH_INFO"].startswith("/moto-api"):
            return self.dispatcher
        service = match.group(1)
        app = self._apps.get(service)
        if app is None:
            app = self.dispatcher.get_application(environ)
            with self._lock:
                self._apps[service] = app
        return app


_installed: InProcessMoto | None = None


def install(moto_url: str, wsgi_app: Callable) -> InProcessMoto:
    """Route every botocore session created from now on (boto3's and PynamoDB's) through
    ``wsgi_app`` for ``moto_url``. Sessions created earlier keep using HTTP."""
    global _installed
    if _installed is None:
        _installed = InProcessMoto(moto_url, wsgi_app)
        BUILTIN_HANDLERS.append(("before-send", _installed))
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _installed.enabled = False
        BUILTIN_HANDLERS[:] = [entry for entry in BUILTIN_HANDLERS
                               if entry[1] is not _installed]
        _installed = None
