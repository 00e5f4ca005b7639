"""The API's JWT authorizer: ``Authorization: Bearer <jwt>`` → the user id as principal.

``app.py`` declares it (``@app.authorizer``) so the API and ``chalice local`` use it; the
deployed authorizer Lambda runs ``handler`` below (template.yaml sets ``JwtAuth``'s Handler)
so a cold start loads this module — Chalice's ``AuthResponse``, PyJWT, and PynamoDB on the
first call — instead of ``app.py`` and every API module behind it.
"""
from __future__ import annotations

from chalice import AuthResponse
from chalice.app import AuthRequest

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


def handler(event: dict, context=None) -> dict:
    """The Lambda entry point: exactly what Chalice's ``@app.authorizer`` wrapper does."""
    auth_request = AuthRequest(event["type"], event["authorizationToken"], event["methodArn"])
    return authorize(auth_request).to_dict(auth_request)
