"""One typed settings object read from the environment.

Defaults run the local stack; in AWS every value comes from the function's environment
(secrets resolved from SSM / Secrets Manager by the deploy). Nothing here is a real secret.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

YOOKASSA_PUBLISHED_RANGES = (
    "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,77.75.156.35/32,"
    "77.75.154.128/25,2a02:5180::/32"
)


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _csv(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _env(name, default).split(",") if part.strip())


REMOTE_PROVIDER_BASES = {
    "PHOTOROOM": "https://image-api.photoroom.com",
    "STABILITY": "https://api.stability.ai",
    "YANDEX_ART": "https://llm.api.cloud.yandex.net",
}


@dataclass(frozen=True)
class RemoteProviderSettings:
    api_base: str
    api_key: str
    timeout_s: float


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    # AWS endpoints: empty means the real AWS endpoint of the region.
    aws_endpoint_url: str
    table_prefix: str
    images_bucket: str
    state_machine_arn: str
    ws_management_endpoint: str
    ws_public_url: str
    public_base_url: str
    # Sessions
    jwt_secret: str
    jwt_kid: str
    jwt_previous_secrets: tuple[str, ...]
    jwt_issuer: str
    jwt_audience: str
    jwt_ttl_s: int
    # Telegram
    telegram_bot_token: str
    telegram_bot_username: str
    telegram_webhook_secret: str
    telegram_api_base: str
    telegram_auth_max_age_s: int
    telegram_login_sandbox: bool
    # YooKassa
    yookassa_shop_id: str
    yookassa_secret_key: str
    yookassa_api_base: str
    yookassa_allowed_ips: tuple[str, ...]
    receipts_enabled: bool
    receipt_vat_code: int
    # Product
    signup_bonus: int
    generation_rate_per_minute: int
    images_per_generation: int
    max_upload_bytes: int
    provider: str
    admin_user_ids: tuple[str, ...]
    metrika_counter_id: str
    metrika_token: str
    metrika_api_base: str
    email_enabled: bool
    email_sender: str
    # Local-only switches (e.g. how long state machine Wait states sleep).
    extra: dict = field(default_factory=dict)
    # Payments (YooKassa). Trust X-Forwarded-For only when the webhook URL is reachable
    # through CloudFront alone (see docs/payments.md); otherwise the peer address is used.
    yookassa_trust_forwarded_for: bool = False
    receipt_payment_subject: str = "service"
    yookassa_timeout_s: int = 10
    yookassa_attempts: int = 3
    payments_recheck_after_s: int = 180
    payments_pending_ttl_s: int = 24 * 3600
    # Generation pipeline (uploads, Map concurrency of the Render steps).
    upload_min_side_px: int = 256
    upload_max_pixels: int = 40_000_000
    render_max_concurrency: int = 2
    # Login challenges (deep link, bot code) and their rate limits.
    auth_link_ttl_s: int = 600
    auth_code_ttl_s: int = 300
    auth_code_requests_per_username: int = 5  # per 15 minutes
    auth_code_requests_per_ip: int = 30  # per hour
    # Metrika offline conversions: orders paid in the last N seconds wait for the next run
    # (their transaction may still be committing); HTTP timeout of the upload.
    metrika_upload_settle_s: int = 120
    metrika_timeout_s: int = 30
    # Remote AI providers by env prefix (PHOTOROOM, STABILITY, YANDEX_ART) and the studio's
    # cut-out model.
    remote_providers: dict = field(default_factory=dict)
    yandex_art_folder_id: str = ""
    studio_onnx_threads: int = 2
    studio_saliency_model: str = ""

    def table_name(self, short: str) -> str:
        return f"{self.table_prefix}{short}"


def load_settings() -> Settings:
    port = _env("PORT", "8000")
    ws_port = _env("WS_PORT", "8001")
    base = _env("PUBLIC_BASE_URL", f"http://localhost:{port}")
    return Settings(
        stage=_env("STAGE", "local"),
        region=_env("AWS_DEFAULT_REGION", _env("AWS_REGION", "eu-central-1")),
        aws_endpoint_url=_env("AWS_ENDPOINT_URL", ""),
        table_prefix=_env("TABLE_PREFIX", "photoshoot-"),
        images_bucket=_env("IMAGES_BUCKET", "photoshoot-images"),
        state_machine_arn=_env("STATE_MACHINE_ARN", ""),
        ws_management_endpoint=_env("WS_MANAGEMENT_ENDPOINT", f"http://localhost:{ws_port}"),
        ws_public_url=_env("WS_PUBLIC_URL", f"ws://localhost:{ws_port}/ws"),
        public_base_url=base,
        jwt_secret=_env("JWT_SECRET", "local-dev-jwt-secret-change-me-0123456789abcdef"),
        jwt_kid=_env("JWT_KID", "k1"),
        jwt_previous_secrets=_csv("JWT_PREVIOUS_SECRETS", ""),
        jwt_issuer=_env("JWT_ISSUER", "photoshoot"),
        jwt_audience=_env("JWT_AUDIENCE", "photoshoot-web"),
        jwt_ttl_s=_int("JWT_TTL_S", 7 * 24 * 3600),
        telegram_bot_token=_env("TELEGRAM_BOT_TOKEN", "123456:LOCAL-SANDBOX-TOKEN"),
        telegram_bot_username=_env("TELEGRAM_BOT_USERNAME", "photoshoot_local_bot"),
        telegram_webhook_secret=_env("TELEGRAM_WEBHOOK_SECRET", "local-webhook-secret"),
        telegram_api_base=_env("TELEGRAM_API_BASE", f"{base}/sandbox/telegram"),
        telegram_auth_max_age_s=_int("TELEGRAM_AUTH_MAX_AGE_S", 24 * 3600),
        telegram_login_sandbox=_bool("TELEGRAM_LOGIN_SANDBOX", True),
        yookassa_shop_id=_env("YOOKASSA_SHOP_ID", "100500"),
        yookassa_secret_key=_env("YOOKASSA_SECRET_KEY", "test_local_sandbox_key"),
        yookassa_api_base=_env("YOOKASSA_API_BASE", f"{base}/sandbox/yookassa/v3"),
        yookassa_allowed_ips=_csv("YOOKASSA_ALLOWED_IPS", YOOKASSA_PUBLISHED_RANGES),
        receipts_enabled=_bool("YOOKASSA_RECEIPTS_ENABLED", True),
        receipt_vat_code=_int("YOOKASSA_VAT_CODE", 1),
        signup_bonus=_int("SIGNUP_BONUS", 1),
        generation_rate_per_minute=_int("GENERATION_RATE_PER_MINUTE", 10),
        images_per_generation=_int("IMAGES_PER_GENERATION", 4),
        max_upload_bytes=_int("MAX_UPLOAD_BYTES", 15 * 1024 * 1024),
        provider=_env("GENERATION_PROVIDER", "studio"),
        admin_user_ids=_csv("ADMIN_USER_IDS", ""),
        metrika_counter_id=_env("METRIKA_COUNTER_ID", ""),
        metrika_token=_env("METRIKA_TOKEN", ""),
        metrika_api_base=_env("METRIKA_API_BASE", "https://api-metrika.yandex.net"),
        email_enabled=_bool("EMAIL_ENABLED", False),
        email_sender=_env("EMAIL_SENDER", "no-reply@photoshoot.local"),
        yookassa_trust_forwarded_for=_bool("YOOKASSA_TRUST_FORWARDED_FOR", False),
        receipt_payment_subject=_env("YOOKASSA_PAYMENT_SUBJECT", "service"),
        yookassa_timeout_s=_int("YOOKASSA_TIMEOUT_S", 10),
        yookassa_attempts=_int("YOOKASSA_ATTEMPTS", 3),
        payments_recheck_after_s=_int("PAYMENTS_RECHECK_AFTER_S", 180),
        payments_pending_ttl_s=_int("PAYMENTS_PENDING_TTL_S", 24 * 3600),
        upload_min_side_px=_int("UPLOAD_MIN_SIDE_PX", 256),
        upload_max_pixels=_int("UPLOAD_MAX_PIXELS", 40_000_000),
        render_max_concurrency=_int("RENDER_MAX_CONCURRENCY", 2),
        auth_link_ttl_s=_int("AUTH_LINK_TTL_S", 600),
        auth_code_ttl_s=_int("AUTH_CODE_TTL_S", 300),
        auth_code_requests_per_username=_int("AUTH_CODE_REQUESTS_PER_USERNAME", 5),
        auth_code_requests_per_ip=_int("AUTH_CODE_REQUESTS_PER_IP", 30),
        metrika_upload_settle_s=_int("METRIKA_UPLOAD_SETTLE_S", 120),
        metrika_timeout_s=_int("METRIKA_TIMEOUT_S", 30),
        remote_providers={prefix: _remote_provider(prefix) for prefix in REMOTE_PROVIDER_BASES},
        yandex_art_folder_id=_env("YANDEX_ART_FOLDER_ID", ""),
        studio_onnx_threads=_int("STUDIO_ONNX_THREADS", 2),
        studio_saliency_model=_env("STUDIO_SALIENCY_MODEL", ""),
    )


def _remote_provider(prefix: str) -> RemoteProviderSettings:
    timeout = _env(f"{prefix}_TIMEOUT_S") or _env("PROVIDER_TIMEOUT_S") or "60"
    return RemoteProviderSettings(
        api_base=(_env(f"{prefix}_API_BASE") or REMOTE_PROVIDER_BASES[prefix]).rstrip("/"),
        api_key=_env(f"{prefix}_API_KEY", ""), timeout_s=float(timeout))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def reset_settings_cache() -> None:
    """Tests change the environment; this makes the next ``get_settings`` re-read it."""
    get_settings.cache_clear()
