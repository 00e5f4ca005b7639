"""Typed domain errors.

Every error a person can meet carries an HTTP status, a stable machine code and a kind
Russian message. They are mapped to HTTP in exactly one place (``functions.http``); the
Step Functions workflow routes on the class names (``UnsupportedImage``, ``ProviderTimeout``
...), so renaming a class is a breaking change of the state machine definition.
"""
from __future__ import annotations


class PhotoshootError(Exception):
    status = 500
    code = "internal_error"
    message = "Что-то пошло не так. Мы уже разбираемся, попробуйте ещё раз чуть позже."
    # What the seller can do next, told after a failed photoshoot's refund
    # (``generation.refunds.failure_message``); empty when the message already says it.
    advice = ""

    def __init__(self, message: str | None = None, *, details: dict | None = None,
                 advice: str | None = None):
        self.message = message or type(self).message
        self.details = details or {}
        if advice is not None:
            self.advice = advice
        super().__init__(self.message)

    def to_body(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class BadRequest(PhotoshootError):
    status = 400
    code = "bad_request"
    message = "Некорректный запрос."


class ValidationFailed(BadRequest):
    code = "validation_failed"
    message = "Проверьте введённые данные."


class Unauthorized(PhotoshootError):
    status = 401
    code = "unauthorized"
    message = "Войдите через Telegram, чтобы продолжить."


class InvalidSignature(Unauthorized):
    code = "invalid_signature"
    message = "Подпись данных Telegram не прошла проверку. Попробуйте войти ещё раз."


class SessionExpired(Unauthorized):
    code = "session_expired"
    message = "Сессия истекла. Войдите ещё раз."


class Forbidden(PhotoshootError):
    status = 403
    code = "forbidden"
    message = "Недостаточно прав для этого действия."


class NotFound(PhotoshootError):
    status = 404
    code = "not_found"
    message = "Не нашли то, что вы ищете."


class Conflict(PhotoshootError):
    status = 409
    code = "conflict"
    message = "Действие уже выполнено или больше недоступно."


class Gone(PhotoshootError):
    status = 410
    code = "gone"
    message = "Срок действия истёк. Начните заново."


class PayloadTooLarge(PhotoshootError):
    status = 413
    code = "payload_too_large"
    message = "Файл слишком большой."


class UnsupportedImage(PhotoshootError):
    status = 422
    code = "unsupported_image"
    message = "Файл не похож на изображение. Загрузите фото в формате JPEG, PNG или WebP."


class LowMaskQuality(UnsupportedImage):
    code = "low_mask_quality"
    message = ("Не получилось аккуратно отделить товар от фона. Сфотографируйте его на "
               "однотонном фоне без посторонних предметов.")


class InsufficientBalance(PhotoshootError):
    status = 402
    code = "insufficient_balance"
    message = "На балансе закончились фотосессии. Пополните его, чтобы продолжить."


class RateLimited(PhotoshootError):
    status = 429
    code = "rate_limited"
    message = "Слишком много запросов. Подождите минуту и попробуйте снова."


class ProviderError(PhotoshootError):
    """A generation provider failed in a way a retry will not fix."""
    status = 502
    code = "provider_error"
    message = "Сервис генерации не смог обработать фото."
    advice = "Попробуйте ещё раз или выберите другой стиль."


class ProviderTimeout(ProviderError):
    """Transient: the state machine retries it with backoff."""
    code = "provider_timeout"
    message = "Сервис генерации не ответил вовремя. Пробуем ещё раз."


class ProviderUnavailable(ProviderError):
    """Transient: 5xx or throttling from a remote provider."""
    code = "provider_unavailable"
    message = "Сервис генерации временно недоступен. Пробуем ещё раз."


class PaymentProviderError(PhotoshootError):
    status = 502
    code = "payment_provider_error"
    message = "Платёжный сервис сейчас недоступен. Попробуйте через минуту — деньги не списаны."
