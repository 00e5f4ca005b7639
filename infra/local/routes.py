"""What the local stack wires to the app, besides ``/api`` (Chalice routes) and the SPA.

Add an entry here when you add the function or sandbox; names whose function or module does
not exist yet are skipped (404), so entries may land before the code.
"""
from __future__ import annotations

# ``/webhooks/<path name>`` → Chalice ``@app.lambda_function`` name, invoked with an AWS
# Lambda Function URL event (payload format 2.0), as CloudFront → function URL does in AWS.
WEBHOOKS: dict[str, str] = {
    "yookassa": "yookassa_webhook",  # YooKassa payment notifications
    "telegram": "telegram_webhook",  # Telegram bot updates (secret-token header)
}

# ``/sandbox/<name>/…`` → ``"module:attribute"`` of a WSGI app, mounted with
# ``SCRIPT_NAME=/sandbox/<name>`` and the rest in ``PATH_INFO``.
SANDBOXES: dict[str, str] = {
    "yookassa": "infra.sandboxes.yookassa:app",  # API v3 subset + checkout page
    "telegram": "infra.sandboxes.telegram:app",  # Bot API, conversations, login widget
    "metrika": "infra.sandboxes.metrika:app",  # Metrika offline-conversions upload API
}

# Chalice ``@app.lambda_function`` names that receive EventBridge "Step Functions Execution
# Status Change" events (status FAILED, TIMED_OUT or ABORTED) of every local state machine.
EVENT_TARGETS: list[str] = [
    "reconcile_generation",  # refunds a generation whose execution failed, timed out or aborted
]
