"""Patterns that end in ``$`` also match before a final line break under ``re.match``: a
Metrika ClientID "123\\n" was stored on the account and sent on to Metrika. Every pattern
that checks a whole value ends in ``\\Z``."""
import pytest

from photoshoot.auth.accounts import Attribution
from photoshoot.auth.telegram_login import verify_login_widget
from photoshoot.errors import InvalidSignature
from photoshoot.settings import get_settings, reset_settings_cache
from tests.unit.telegram.fakes import signed_widget


@pytest.fixture
def settings():
    reset_settings_cache()
    return get_settings()


def test_a_metrika_client_id_or_utm_key_with_a_line_break_is_dropped():
    attribution = Attribution.from_body({"metrika_client_id": "1700000000123\n",
                                         "utm": {"yclid": "abc123\n", "utm_source\n": "x",
                                                 "utm_medium": "cpc"}})
    assert attribution.metrika_client_id is None
    assert attribution.yclid == "abc123"  # a yclid is trimmed before it is checked
    assert attribution.utm == {"utm_medium": "cpc"}


def test_a_widget_field_whose_name_ends_in_a_line_break_is_refused(settings):
    # signed as sent: only the field-name rule can refuse it
    payload = signed_widget(settings, id=200001, **{"first_name\n": "Анна"})
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)

