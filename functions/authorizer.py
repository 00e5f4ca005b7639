"""The API's JWT authorizer: ``Authorization: Bearer <jwt>`` → the user id as principal."""
from __future__ import annotations

from chalice import AuthResponse

from photoshoot.auth.sessions import authenticate
from photoshoot.errors import Unauthorized


def authorize(auth_request) -> AuthResponse:
    header = auth_request.token or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return AuthResponse(routes=[], principal_id="anonymous")
    try:
        user_id = authenticate(token.strip())
    except Unauthorized:
        return AuthResponse(routes=[], principal_id="anonymous")
    return AuthResponse(routes=["*"], principal_id=user_id, context={"user_id": user_id})
