"""Photoshoot — every entry point of the system, and nothing else.

Each declaration is a few lines that call ``functions/``; the domain lives in the
``photoshoot`` package (``layers/``). Read this file as the table of contents.
"""
import gc

from chalice import Chalice, Rate

from functions import (admin_api, auth_api, authorizer as authorizer_fn, catalogue_api,
                       generation_steps, generations_api, me_api, metrika_upload,
                       payments_api, payments_sweep, saved_styles_api, telegram_webhook,
                       uploads_api, websocket, yookassa_webhook)
from functions.http import ANY_CONTENT_TYPE, json_api

# The SPA and the API share one origin (CloudFront locally and in AWS), so no CORS.
app = Chalice(app_name="photoshoot")
app.experimental_feature_flags.update(["WEBSOCKETS"])


# ttl_seconds=0: a logout must end every session at once, not after an authorizer cache TTL.
@app.authorizer(ttl_seconds=0)
def jwt_auth(auth_request):
    return authorizer_fn.authorize(auth_request)


# --- public -------------------------------------------------------------------------------
@app.route("/api/health", methods=["GET"], content_types=ANY_CONTENT_TYPE)
@json_api
def health():
    return catalogue_api.health()


@app.route("/api/config", methods=["GET"], content_types=ANY_CONTENT_TYPE)
@json_api
def public_config():
    return catalogue_api.public_config()


@app.route("/api/packages", methods=["GET"], content_types=ANY_CONTENT_TYPE)
@json_api
def list_packages():
    return catalogue_api.list_packages()


@app.route("/api/styles", methods=["GET"], content_types=ANY_CONTENT_TYPE)
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


# --- accounts and login (Telegram) ------------------------------------------------------
@app.route("/api/auth/telegram", methods=["POST"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_telegram():
    return auth_api.telegram_widget(app.current_request)


@app.route("/api/auth/webapp", methods=["POST"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_webapp():
    return auth_api.telegram_webapp(app.current_request)


@app.route("/api/auth/link", methods=["POST"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_link_start():
    return auth_api.start_link(app.current_request)


@app.route("/api/auth/link/{challenge_id}", methods=["GET"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_link_poll(challenge_id):
    return auth_api.poll_link(app.current_request, challenge_id)


@app.route("/api/auth/code/request", methods=["POST"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_code_request():
    return auth_api.request_code(app.current_request)


@app.route("/api/auth/code/verify", methods=["POST"], content_types=ANY_CONTENT_TYPE)
@json_api
def auth_code_verify():
    return auth_api.verify_code(app.current_request)


@app.route("/api/auth/logout", methods=["POST"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def auth_logout():
    return auth_api.logout(app.current_request)


@app.route("/api/me", methods=["GET"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def get_me():
    return me_api.get_me(app.current_request)


@app.route("/api/me", methods=["PATCH"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def update_me():
    return me_api.update_me(app.current_request)


# Telegram bot webhook: its own Function URL (template.yaml), secret-token header checked.
@app.lambda_function(name="telegram_webhook")
def telegram_webhook_handler(event, context):
    return telegram_webhook.handle(event, context)


# --- payments (YooKassa) ------------------------------------------------------------------
@app.route("/api/payments", methods=["POST"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def create_payment():
    return payments_api.create_payment(app.current_request)


@app.route("/api/orders", methods=["GET"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def list_orders():
    return payments_api.list_orders(app.current_request)


@app.route("/api/orders/{order_id}", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
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


# --- generation pipeline: uploads, generations, saved styles, state machine steps ----------
@app.route("/api/uploads", methods=["POST"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def create_upload():
    return uploads_api.create_upload(app.current_request)


@app.route("/api/uploads/{upload_id}/suggestions", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def upload_suggestions(upload_id):
    return uploads_api.suggestions(app.current_request, upload_id)


@app.route("/api/generations", methods=["POST"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def create_generation():
    return generations_api.create_generation(app.current_request)


@app.route("/api/generations", methods=["GET"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def list_generations():
    return generations_api.list_generations(app.current_request)


@app.route("/api/generations/{generation_id}", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def get_generation(generation_id):
    return generations_api.get_generation(app.current_request, generation_id)


@app.route("/api/generations/{generation_id}", methods=["DELETE"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def delete_generation(generation_id):
    return generations_api.delete_generation(app.current_request, generation_id)


@app.route("/api/generations/{generation_id}/cancel", methods=["POST"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def cancel_generation(generation_id):
    return generations_api.cancel_generation(app.current_request, generation_id)


@app.route("/api/generations/{generation_id}/archive", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def generation_archive(generation_id):
    return generations_api.archive(app.current_request, generation_id)


@app.route("/api/me/styles", methods=["GET"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def list_saved_styles():
    return saved_styles_api.list_styles(app.current_request)


@app.route("/api/me/styles", methods=["POST"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def create_saved_style():
    return saved_styles_api.create_style(app.current_request)


@app.route("/api/me/styles/{style_id}", methods=["PATCH"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def update_saved_style(style_id):
    return saved_styles_api.update_style(app.current_request, style_id)


@app.route("/api/me/styles/{style_id}", methods=["DELETE"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def delete_saved_style(style_id):
    return saved_styles_api.delete_style(app.current_request, style_id)


# The states of infra/statemachine/generation.asl.json (${Generation<State>FunctionArn}).
@app.lambda_function(name="generation_analyze")
def generation_analyze(event, context):
    return generation_steps.analyze(event)


@app.lambda_function(name="generation_build_prompt")
def generation_build_prompt(event, context):
    return generation_steps.build_prompt(event)


@app.lambda_function(name="generation_render")
def generation_render(event, context):
    return generation_steps.render(event)


@app.lambda_function(name="generation_start_render")
def generation_start_render(event, context):
    return generation_steps.start_render(event)


@app.lambda_function(name="generation_poll_render")
def generation_poll_render(event, context):
    return generation_steps.poll_render(event)


@app.lambda_function(name="generation_finalize")
def generation_finalize(event, context):
    return generation_steps.finalize(event)


@app.lambda_function(name="generation_fail")
def generation_fail(event, context):
    return generation_steps.fail(event)


# EventBridge: a generation execution FAILED / TIMED_OUT / ABORTED → refund if nobody did.
@app.lambda_function(name="reconcile_generation")
def reconcile_generation(event, context):
    return generation_steps.reconcile(event)


# --- analytics and admin: funnel statistics, catalogue editing, Metrika offline conversions -
@app.route("/api/admin/stats", methods=["GET"], authorizer=jwt_auth, content_types=ANY_CONTENT_TYPE)
@json_api
def admin_stats():
    return admin_api.get_stats(app.current_request)


@app.route("/api/admin/packages", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_list_packages():
    return admin_api.list_packages(app.current_request)


# Creating never overwrites (409 if the id exists); an update names the version it was
# based on (409 if someone saved since), so admins cannot silently undo each other's edits.
@app.route("/api/admin/packages", methods=["POST"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_create_package():
    return admin_api.create_package(app.current_request)


@app.route("/api/admin/packages/{package_id}", methods=["PUT"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_update_package(package_id):
    return admin_api.update_package(app.current_request, package_id)


@app.route("/api/admin/styles", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_list_styles():
    return admin_api.list_styles(app.current_request)


@app.route("/api/admin/styles", methods=["POST"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_create_style():
    return admin_api.create_style(app.current_request)


@app.route("/api/admin/styles/{style_id}", methods=["PUT"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_update_style(style_id):
    return admin_api.update_style(app.current_request, style_id)


# Orders a person must look at (amount mismatch, refund shortfall …): a bounded Scan with a
# cursor, newest first (docs/admin.md).
@app.route("/api/admin/orders/flagged", methods=["GET"], authorizer=jwt_auth,
           content_types=ANY_CONTENT_TYPE)
@json_api
def admin_list_flagged_orders():
    return admin_api.list_flagged(app.current_request)


# Paid orders of visitors with a Metrika ClientID → Metrika offline conversions (CSV upload).
@app.schedule(Rate(1, unit=Rate.HOURS), name="metrika_offline_conversions")
def metrika_offline_conversions(event):
    return metrika_upload.run(event)


# Everything imported above lives as long as the Lambda container: keep full collections
# during invocations from rescanning it (the stack measured 100–260 ms pauses without).
gc.freeze()
