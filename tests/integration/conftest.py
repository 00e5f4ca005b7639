"""The local stack as a subprocess (``python -m infra.local.stack``) on free ports, shared by
the integration tests of a session (``infra/local/launcher.py`` starts and stops it)."""
from __future__ import annotations

import pytest

from infra.local import launcher


def start_local_stack(extra_env: dict | None = None) -> launcher.LocalStackProcess:
    from photoshoot.settings import get_settings, reset_settings_cache

    reset_settings_cache()
    return launcher.start({
        "JWT_SECRET": get_settings().jwt_secret,  # so tests can mint session tokens
        "LOCAL_SCHEDULE_INTERVAL_S": "1",
        "LOCAL_SFN_TIME_SCALE": "0.01",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    })


@pytest.fixture(scope="session")
def local_stack():
    stack = start_local_stack()
    yield stack
    launcher.stop(stack)
    stack.log_path.unlink(missing_ok=True)
