"""Bot flows in-process: the fake Telegram (``tests/unit/telegram/fakes.py``) and, for
photoshoots, the real generation state machine (``tests/unit/generation/conftest.py``)."""
from tests.unit.generation.conftest import pipeline, pushes  # noqa: F401 - shared fixtures
from tests.unit.telegram.fakes import fake_bot, telegram  # noqa: F401 - shared fixtures
