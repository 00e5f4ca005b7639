from tests.unit.payments.conftest import bot_messages, pushes, shop, yookassa  # noqa: F401
