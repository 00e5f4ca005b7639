"""The local front server answers concurrent API requests on threads of one process, while
Chalice keeps the invocation in progress on the app object (``app.current_request``,
``app.lambda_context``), as one Lambda execution environment serves one invocation at a
time. Each thread must see its own: otherwise a private view read a public request that
arrived meanwhile — no authorizer context, so a 401 that logged the SPA out on a page load
(the e2e flake of the profile reload) — or another user's identity when two users' requests
crossed."""
from __future__ import annotations

import threading

from chalice import AuthResponse, Chalice
from werkzeug.test import Client

from infra.local.front import FrontApp

WAIT_S = 5


def test_a_request_arriving_meanwhile_does_not_replace_the_one_a_view_reads(tmp_path):
    app = Chalice(app_name="front-threads-test")
    paused, release = threading.Event(), threading.Event()
    own_context = {}

    @app.authorizer(ttl_seconds=0)
    def token_auth(auth_request):
        user_id = auth_request.token.partition(" ")[2]
        return AuthResponse(routes=["*"], principal_id=user_id, context={"user_id": user_id})

    @app.middleware("http")
    def hold_private_requests(event, get_response):
        # Chalice has taken this request as the app's current one: hold it here until
        # another request has gone through, as a preempted thread would be.
        if event.path == "/api/me":
            own_context["private"] = event.lambda_context
            paused.set()
            release.wait(WAIT_S)
        return get_response(event)

    @app.route("/api/me", authorizer=token_auth)
    def me():
        authorizer = (app.current_request.context or {}).get("authorizer") or {}
        return {"user_id": authorizer.get("principalId"), "path": app.current_request.path,
                "own_context": app.lambda_context is own_context["private"]}

    @app.route("/api/styles")
    def styles():
        return {"path": app.current_request.path}

    client = Client(FrontApp(app, webhooks={}, sandboxes={}, dist_dir=tmp_path,
                             region="eu-central-1"))
    answers = {}

    def private():
        response = client.get("/api/me", headers={"Authorization": "Bearer u-1"})
        answers["private"] = (response.status_code, response.json)

    worker = threading.Thread(target=private)
    worker.start()
    try:
        assert paused.wait(WAIT_S), "the private request never reached its view"
        answers["public"] = client.get("/api/styles").json
    finally:
        release.set()
        worker.join(WAIT_S)

    assert answers["public"] == {"path": "/api/styles"}
    assert answers["private"] == (200, {"user_id": "u-1", "path": "/api/me",
                                        "own_context": True})
