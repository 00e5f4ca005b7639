from tests.unit.telegram.fakes import fake_bot, telegram  # noqa: F401 - shared fixtures
