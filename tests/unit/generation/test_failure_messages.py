"""A failed photoshoot's message is composed once, on the server: what went wrong, that the
photoshoot is back on the balance (said once), and what the seller can do next. The SPA and
the bot show it as it is."""
from __future__ import annotations

import pytest

from photoshoot import errors
from photoshoot.generation.reconcile import _ERRORS as RECONCILE_ERRORS
from photoshoot.generation.refunds import REFUNDED_NOTE, failure_message
from photoshoot.generation.steps import error_for
from photoshoot.generation.workflow import WorkflowUnavailable
from photoshoot.providers.fidelity import ProductRedrawn
from photoshoot.providers.remote import ProviderRejectedRequest
from photoshoot.uploads import DamagedImage, FileTooLarge, ImageTooLarge, ImageTooSmall

# Every error a generation can end with: the Catch's names, a start that failed and
# Reconcile's own errors.
FAILURES = [errors.ProviderError(), ProductRedrawn(), ProviderRejectedRequest(),
            errors.UnsupportedImage(), errors.LowMaskQuality(),
            error_for("ProviderTimeout"), error_for("ProviderUnavailable"),
            error_for("States.TaskFailed"), error_for(None), WorkflowUnavailable(),
            *RECONCILE_ERRORS.values(),
            # the upload checked again in Analyze (the form may have posted another file)
            ImageTooSmall(), ImageTooLarge(), DamagedImage(), FileTooLarge()]


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__ + ":" + e.code)
def test_a_failure_says_what_happened_the_refund_once_and_what_to_do(error):
    text = failure_message(error)

    assert text.startswith(error.message)
    assert text.count("баланс") == 1 and REFUNDED_NOTE in text
    # one piece of advice, in the error's message or after the refund note
    advice = text.split(REFUNDED_NOTE, 1)[1].strip() or error.message
    assert any(verb in advice for verb in ("Попробуйте", "Выберите", "Загрузите",
                                           "Сфотографируйте", "Уменьшите"))
    assert text.lower().count("попробуйте") <= 1


@pytest.mark.parametrize("cls", [ProductRedrawn, ProviderRejectedRequest, errors.LowMaskQuality,
                                 errors.UnsupportedImage])
def test_the_catch_delivers_errors_by_name_wherever_they_are_defined(cls):
    """A step's error reaches the Fail step as its class name only; the seller must get
    that error's own message, not the generic one."""
    assert type(error_for(cls.__name__)) is cls
    assert type(error_for("ImageTooLarge")) is ImageTooLarge
    assert failure_message(error_for(cls.__name__)).startswith(cls.message)


def test_retries_that_ran_out_are_not_told_as_trying_again():
    text = failure_message(error_for("ProviderTimeout"))

    assert "Пробуем ещё раз" not in text
    assert text == "Сервис генерации так и не ответил. Фотосессия вернулась на баланс. " \
                   "Попробуйте чуть позже."


def test_provider_messages_make_no_refund_promise_of_their_own():
    """The same errors answer HTTP requests where nothing was charged (style suggestions)."""
    for error in (errors.ProviderError(), ProductRedrawn(), ProviderRejectedRequest()):
        assert "баланс" not in error.message


def test_advice_can_be_given_per_instance():
    error = errors.ProviderError("Генерация была остановлена.", advice="Попробуйте ещё раз.")

    assert failure_message(error) == ("Генерация была остановлена. Фотосессия вернулась на "
                                      "баланс. Попробуйте ещё раз.")
    assert errors.ProviderError().advice == "Попробуйте ещё раз или выберите другой стиль."


@pytest.mark.parametrize("count, text", [(1, "Не больше 1 фотосессии в минуту."),
                                         (2, "Не больше 2 фотосессий в минуту."),
                                         (10, "Не больше 10 фотосессий в минуту."),
                                         (21, "Не больше 21 фотосессии в минуту."),
                                         (11, "Не больше 11 фотосессий в минуту.")])
def test_the_rate_limit_says_the_number_in_the_right_case(count, text):
    from photoshoot.generation.create import _at_most_per_minute

    assert _at_most_per_minute(count) == text
