"""What every provider sandbox shares: a werkzeug URL map whose endpoints are method names,
and the provider's own error body for anything that goes wrong."""
from __future__ import annotations

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request


class RoutedSandbox:
    """Subclasses set ``url_map`` and ``api_error`` (an exception built as
    ``api_error(status, code, message)`` with a ``response()`` in the provider's format)."""

    url_map: Map
    api_error: type

    def __call__(self, environ, start_response):
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
            response = getattr(self, endpoint)(request, **args)
        except self.api_error as error:
            response = error.response()
        except NotFound:
            response = self.api_error(404, "not_found", "Resource not found").response()
        except HTTPException as error:
            response = error.get_response(environ)
        return response(environ, start_response)
