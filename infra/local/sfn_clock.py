"""Scale the real-time sleeps of moto's Step Functions interpreter (local setting).

``Wait`` states and ``Retry`` intervals sleep in real time in moto 5.2.5. With
``LOCAL_SFN_TIME_SCALE`` (default 1 = real time; e.g. 0.01 in tests) both sleep that fraction
of the declared seconds. Only durations change: which states run, how many attempts a
``Retry`` makes and the ``BackoffRate``/``MaxDelaySeconds`` arithmetic stay moto's. Timestamps
(``Wait`` with ``Timestamp``) are scaled relative to now. Two seams:
``WaitFunction._wait_interval`` (moto/stepfunctions/parser/asl/component/state/wait/
wait_function/wait_function.py) and the ``time.sleep`` used by ``RetrierDecl._eval_body``
(…/common/retry/retrier_decl.py).
"""
from __future__ import annotations

import time
import types

import moto
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function

PINNED_MOTO_VERSION = "5.2.5"

_original_wait_interval = wait_function.WaitFunction._wait_interval
_original_retrier_time = retrier_decl.time
_scale = 1.0


def _scaled_wait_interval(self, env, wait_seconds: int) -> None:
    """Wait ``wait_seconds × scale``, ending early only when the execution stops (as moto's
    own implementation does: ``program_state_event`` is set on stop/abort)."""
    deadline = time.monotonic() + max(0.0, float(wait_seconds)) * _scale
    while env.is_running():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        env.program_state_event.wait(left)


def install(scale: float) -> None:
    global _scale
    if moto.__version__ != PINNED_MOTO_VERSION:
        raise RuntimeError(f"infra/local/sfn_clock.py patches moto {PINNED_MOTO_VERSION}; "
                           f"found {moto.__version__}")
    if scale < 0:
        raise ValueError("LOCAL_SFN_TIME_SCALE must be ≥ 0")
    _scale = float(scale)
    if _scale == 1.0:
        uninstall()
        return
    wait_function.WaitFunction._wait_interval = _scaled_wait_interval
    retrier_decl.time = types.SimpleNamespace(
        sleep=lambda seconds: time.sleep(max(0.0, seconds) * _scale))


def uninstall() -> None:
    wait_function.WaitFunction._wait_interval = _original_wait_interval
    retrier_decl.time = _original_retrier_time
