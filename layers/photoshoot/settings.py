"""One typed settings object read from the environment.

Defaults run the local stack (``STAGE=local``). In AWS plain settings come from the
function's environment and secrets from SSM Parameter Store: one SecureString per variable
name under ``SECRETS_PARAMETER_PATH`` (e.g. ``/photoshoot/prod/JWT_SECRET``), read once per
container. Outside the local stage no secret has a default and the sandboxes are never the
default endpoints: a function whose secrets are missing refuses to start
(:class:`MisconfiguredError`) rather than run with a well-known key. Nothing here is a real
secret.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

YOOKASSA_PUBLISHED_RANGES = (
    "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,77.75.156.35/32,"
    "77.75.154.128/25,2a02:5180::/32"
)


LOCAL_STAGE = "local"
SECRET_NAMES = ("JWT_SECRET", "JWT_PREVIOUS_SECRETS", "TELEGRAM_BOT_TOKEN",
                "TELEGRAM_WEBHOOK_SECRET", "YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY",
                "METRIKA_TOKEN", "PHOTOROOM_API_KEY", "STABILITY_API_KEY", "YANDEX_ART_API_KEY",
                "CLOUDFRONT_ORIGIN_SECRET")
# Without these the product cannot work safely outside the local stack.
REQUIRED_SECRETS = ("JWT_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
                    "YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY")
MIN_JWT_SECRET_CHARS = 32
SECRETS_MAX_AGE_S = 300


class MisconfiguredError(RuntimeError):
    """The function's configuration is unsafe to run with (names only, never values)."""


def stored_secrets() -> dict[str, str]:
    """The secrets under ``SECRETS_PARAMETER_PATH`` (none when it is not set, as locally)."""
    path = os.environ.get("SECRETS_PARAMETER_PATH", "").strip()
    if not path:
        return {}
    from aws_lambda_powertools.utilities import parameters  # noqa: PLC0415

    values = parameters.get_parameters(path.rstrip("/"), decrypt=True,
                                       max_age=SECRETS_MAX_AGE_S)
    return {name: str(value) for name, value in values.items() if name in SECRET_NAMES}


def _lookup(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None and name in SECRET_NAMES:
        value = stored_secrets().get(name)
    return value


def _env(name: str, default: str = "") -> str:
    value = _lookup(name)
    return default if value is None else value


def _is_local() -> bool:
    return _env("STAGE", LOCAL_STAGE) == LOCAL_STAGE


def _secret(name: str, local_default: str) -> str:
    """A secret, with a sandbox default only in the local stage."""
    return _env(name) or (local_default if _is_local() else "")


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    raw = _lookup(name)
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
class AwsLocation:
    """Where the AWS resources are: all that importing the models needs (no secrets, so
    packaging and imports never reach SSM)."""
    region: str
    aws_endpoint_url: str  # empty: the real regional endpoints
    table_prefix: str

    def table_name(self, short: str) -> str:
        return f"{self.table_prefix}{short}"


def aws_location() -> AwsLocation:
    return AwsLocation(region=_env("AWS_DEFAULT_REGION", _env("AWS_REGION", "eu-central-1")),
                       aws_endpoint_url=_env("AWS_ENDPOINT_URL", ""),
                       table_prefix=_env("TABLE_PREFIX", "photoshoot-"))


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
    receipt_payment_subject: str = "service"
    yookassa_timeout_s: int = 10
    yookassa_attempts: int = 3
    payments_recheck_after_s: int = 180
    payments_pending_ttl_s: int = 24 * 3600
    # The refund sweep (payments/refund_sweep.py): succeeded refunds created within the last
    # window but at least recheck_after ago (the notification usually gets there first), at
    # most max_pages pages of page_size (the API's limit, 1–100) per run.
    payments_refund_window_s: int = 3 * 24 * 3600
    payments_refund_recheck_after_s: int = 180
    payments_refund_page_size: int = 100
    payments_refund_max_pages: int = 10
    # New web orders (each a YooKassa payment on the shop's credentials) per user per 10
    # minutes; answering a recent pending order again is not counted.
    payments_per_10_min: int = 10
    # Generation pipeline (uploads, Map concurrency of the Render steps).
    upload_min_side_px: int = 256
    upload_max_pixels: int = 40_000_000
    render_max_concurrency: int = 2
    # Login challenges (deep link, bot code) and their rate limits.
    auth_link_ttl_s: int = 600
    auth_code_ttl_s: int = 300
    auth_code_requests_per_username: int = 5  # per 15 minutes
    # per day: 5 tries each; with the wrong-code budget below at most 10 guesses a day at a
    # 6-digit code against one account (0.001 %)
    auth_code_requests_per_username_per_day: int = 20
    auth_wrong_codes_per_day: int = 10
    auth_code_requests_per_ip: int = 30  # per hour
    # Where buyers reach a person (/paysupport, a failed Stars refund): a Telegram @username
    # or an e-mail. Public, shown in the bot.
    support_contact: str = ""
    # Per user per 10 minutes. A seller uploads a photo per photoshoot and can start at most
    # generation_rate_per_minute of those, so 30 forms leave room for re-picked files; each
    # upload asks for suggestions about once (again when a draft page is restored), so
    # suggestions get twice that and never run out before uploads do. The costly analysis is
    # cached per upload: repeats only decode the photo again.
    uploads_per_10_min: int = 30
    suggestions_per_10_min: int = 60
    # The value of the X-Origin-Verify header CloudFront adds to /api/* origin requests; only
    # a request carrying it has its CloudFront-Viewer-Address believed (functions/http.py).
    # Empty: per-IP limits use API Gateway's sourceIp.
    cloudfront_origin_secret: str = ""
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
    local = _is_local()
    port = _env("PORT", "8000")
    ws_port = _env("WS_PORT", "8001")
    # In AWS these three come from template.yaml (Globals); locally they are the stack's.
    base = _env("PUBLIC_BASE_URL", f"http://localhost:{port}" if local else "")
    location = aws_location()
    return Settings(
        stage=_env("STAGE", LOCAL_STAGE),
        region=location.region,
        aws_endpoint_url=location.aws_endpoint_url,
        table_prefix=location.table_prefix,
        images_bucket=_env("IMAGES_BUCKET", "photoshoot-images"),
        state_machine_arn=_env("STATE_MACHINE_ARN", ""),
        ws_management_endpoint=_env("WS_MANAGEMENT_ENDPOINT",
                                    f"http://localhost:{ws_port}" if local else ""),
        ws_public_url=_env("WS_PUBLIC_URL", f"ws://localhost:{ws_port}/ws" if local else ""),
        public_base_url=base,
        jwt_secret=_secret("JWT_SECRET", "local-dev-jwt-secret-change-me-0123456789abcdef"),
        jwt_kid=_env("JWT_KID", "k1"),
        jwt_previous_secrets=_csv("JWT_PREVIOUS_SECRETS", ""),
        jwt_issuer=_env("JWT_ISSUER", "photoshoot"),
        jwt_audience=_env("JWT_AUDIENCE", "photoshoot-web"),
        jwt_ttl_s=_int("JWT_TTL_S", 7 * 24 * 3600),
        telegram_bot_token=_secret("TELEGRAM_BOT_TOKEN", "123456:LOCAL-SANDBOX-TOKEN"),
        telegram_bot_username=_env("TELEGRAM_BOT_USERNAME", "photoshoot_local_bot"),
        telegram_webhook_secret=_secret("TELEGRAM_WEBHOOK_SECRET", "local-webhook-secret"),
        telegram_api_base=_env("TELEGRAM_API_BASE", f"{base}/sandbox/telegram" if local
                               else "https://api.telegram.org"),
        telegram_auth_max_age_s=_int("TELEGRAM_AUTH_MAX_AGE_S", 24 * 3600),
        telegram_login_sandbox=_bool("TELEGRAM_LOGIN_SANDBOX", local),
        yookassa_shop_id=_secret("YOOKASSA_SHOP_ID", "100500"),
        yookassa_secret_key=_secret("YOOKASSA_SECRET_KEY", "test_local_sandbox_key"),
        yookassa_api_base=_env("YOOKASSA_API_BASE", f"{base}/sandbox/yookassa/v3" if local
                               else "https://api.yookassa.ru/v3"),
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
        receipt_payment_subject=_env("YOOKASSA_PAYMENT_SUBJECT", "service"),
        yookassa_timeout_s=_int("YOOKASSA_TIMEOUT_S", 10),
        yookassa_attempts=_int("YOOKASSA_ATTEMPTS", 3),
        payments_recheck_after_s=_int("PAYMENTS_RECHECK_AFTER_S", 180),
        payments_pending_ttl_s=_int("PAYMENTS_PENDING_TTL_S", 24 * 3600),
        payments_refund_window_s=_int("PAYMENTS_REFUND_WINDOW_S", 3 * 24 * 3600),
        payments_refund_recheck_after_s=_int("PAYMENTS_REFUND_RECHECK_AFTER_S", 180),
        payments_refund_page_size=_int("PAYMENTS_REFUND_PAGE_SIZE", 100),
        payments_refund_max_pages=_int("PAYMENTS_REFUND_MAX_PAGES", 10),
        payments_per_10_min=_int("PAYMENTS_PER_10_MIN", 10),
        upload_min_side_px=_int("UPLOAD_MIN_SIDE_PX", 256),
        upload_max_pixels=_int("UPLOAD_MAX_PIXELS", 40_000_000),
        render_max_concurrency=_int("RENDER_MAX_CONCURRENCY", 2),
        auth_link_ttl_s=_int("AUTH_LINK_TTL_S", 600),
        auth_code_ttl_s=_int("AUTH_CODE_TTL_S", 300),
        auth_code_requests_per_username=_int("AUTH_CODE_REQUESTS_PER_USERNAME", 5),
        auth_code_requests_per_username_per_day=_int(
            "AUTH_CODE_REQUESTS_PER_USERNAME_PER_DAY", 20),
        auth_code_requests_per_ip=_int("AUTH_CODE_REQUESTS_PER_IP", 30),
        auth_wrong_codes_per_day=_int("AUTH_WRONG_CODES_PER_DAY", 10),
        support_contact=_env("SUPPORT_CONTACT", "support@photoshoot.example" if local else ""),
        uploads_per_10_min=_int("UPLOADS_PER_10_MIN", 30),
        suggestions_per_10_min=_int("SUGGESTIONS_PER_10_MIN", 60),
        cloudfront_origin_secret=_env("CLOUDFRONT_ORIGIN_SECRET", ""),
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
    settings = load_settings()
    problems = unsafe_settings(settings)
    if problems:
        raise MisconfiguredError("refusing to start: " + "; ".join(problems))
    return settings


def unsafe_settings(settings: Settings) -> list[str]:
    """What makes these settings unsafe outside the local stack (empty locally)."""
    if settings.stage == LOCAL_STAGE:
        return []
    values = {"JWT_SECRET": settings.jwt_secret,
              "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token,
              "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret,
              "YOOKASSA_SHOP_ID": settings.yookassa_shop_id,
              "YOOKASSA_SECRET_KEY": settings.yookassa_secret_key}
    problems = [f"{name} is not set" for name in REQUIRED_SECRETS if not values[name]]
    if settings.jwt_secret and len(settings.jwt_secret) < MIN_JWT_SECRET_CHARS:
        problems.append(f"JWT_SECRET is shorter than {MIN_JWT_SECRET_CHARS} characters")
    if not settings.support_contact:  # Telegram requires /paysupport for Stars payments
        problems.append("SUPPORT_CONTACT is not set")
    if settings.telegram_login_sandbox:
        problems.append("TELEGRAM_LOGIN_SANDBOX is on")
    for name, url in (("TELEGRAM_API_BASE", settings.telegram_api_base),
                      ("YOOKASSA_API_BASE", settings.yookassa_api_base)):
        if "/sandbox/" in url:
            problems.append(f"{name} points at a local sandbox")
    for name, url in (("PUBLIC_BASE_URL", settings.public_base_url),
                      ("WS_MANAGEMENT_ENDPOINT", settings.ws_management_endpoint),
                      ("WS_PUBLIC_URL", settings.ws_public_url)):
        if not url.startswith(("https://", "wss://")):
            problems.append(f"{name} is not a public https/wss URL")
    return problems


def reset_settings_cache() -> None:
    """Tests change the environment; this makes the next ``get_settings`` re-read it."""
    get_settings.cache_clear()
