"""Photoshoot — every entry point of the system, and nothing else.

Each declaration is a few lines that call ``functions/``; the domain lives in the
``photoshoot`` package (``layers/``). Read this file as the table of contents.
"""
from chalice import Chalice, CORSConfig
from chalice import Rate  # payments sweep schedule

from functions import authorizer as authorizer_fn
from functions import catalogue_api, websocket
from functions import payments_api, payments_sweep, yookassa_webhook  # payments
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


# --- payments (YooKassa) ------------------------------------------------------------------
@app.route("/api/payments", methods=["POST"], authorizer=jwt_auth)
@json_api
def create_payment():
    return payments_api.create_payment(app.current_request)


@app.route("/api/orders", methods=["GET"], authorizer=jwt_auth)
@json_api
def list_orders():
    return payments_api.list_orders(app.current_request)


@app.route("/api/orders/{order_id}", methods=["GET"], authorizer=jwt_auth)
@json_api
def get_order(order_id):
    return payments_api.get_order(app.current_request, order_id)


# YooKassa notifications: its own function with its own Function URL and IAM (template.yaml).
@app.lambda_function(name="yookassa_webhook")
def yookassa_webhook_handler(event, context):
    return yookassa_webhook.handle(event, context)


# A lost notification still credits: re-check pending orders, expire those older than 24 h.
@app.schedule(Rate(5, unit=Rate.MINUTES), name="payments_sweep")
def payments_sweep_handler(event):
    return payments_sweep.run(event)
