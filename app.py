"""Photoshoot — every entry point of the system, and nothing else.

Each declaration is a few lines that call ``functions/``; the domain lives in the
``photoshoot`` package (``layers/``). Read this file as the table of contents.
"""
from chalice import Chalice, CORSConfig

from functions import authorizer as authorizer_fn
from functions import catalogue_api, websocket
from functions.http import json_api

app = Chalice(app_name="photoshoot")
app.experimental_feature_flags.update(["WEBSOCKETS"])

cors = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type"],
                  max_age=600)


# ttl_seconds=0: a logout must end every session at once, not after an authorizer cache TTL.
@app.authorizer(ttl_seconds=0)
def jwt_auth(auth_request):
    return authorizer_fn.authorize(auth_request)


# --- public -------------------------------------------------------------------------------
@app.route("/api/health", methods=["GET"])
@json_api
def health():
    return catalogue_api.health()


@app.route("/api/config", methods=["GET"])
@json_api
def public_config():
    return catalogue_api.public_config()


@app.route("/api/packages", methods=["GET"])
@json_api
def list_packages():
    return catalogue_api.list_packages()


@app.route("/api/styles", methods=["GET"])
@json_api
def list_styles():
    return catalogue_api.list_styles()


# --- realtime -----------------------------------------------------------------------------
@app.on_ws_connect()
def ws_connect(event):
    return websocket.on_connect(event)


@app.on_ws_disconnect()
def ws_disconnect(event):
    return websocket.on_disconnect(event)


@app.on_ws_message()
def ws_message(event):
    return websocket.on_message(event)
