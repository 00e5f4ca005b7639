"""The local stack behind ``make run``: moto in server mode, an in-process Lambda runner,
a WebSocket gateway that speaks API Gateway's event format and Management API, and one
front HTTP server (API, webhooks, sandboxes, SPA). Entry point: ``python -m infra.local.stack``.

Nothing here is imported by the deployed code; the app sees only endpoints."""
