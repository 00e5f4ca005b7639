"""EventBridge, locally: scheduled events for ``@app.schedule`` handlers, and "Step Functions
Execution Status Change" events (FAILED, TIMED_OUT, ABORTED) for the targets in
``routes.EVENT_TARGETS`` and matching ``@app.on_cw_event`` handlers.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

import json
import logging
import threading
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone

from infra.local import lambda_runner

log = logging.getLogger("infra.local.events")

TERMINAL_FAILURES = ("FAILED", "TIMED_OUT", "ABORTED")
STATUS_CHANGE = "Step Functions Execution Status Change"


def _iso(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch_ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def scheduled_event(rule_name: str, region: str, account: str) -> dict:
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": account, "time": _iso(), "region": region,
            "resources": [f"arn:aws:events:{region}:{account}:rule/{rule_name}"], "detail": {}}


def execution_status_event(execution: dict, region: str, account: str) -> dict:
    """The event EventBridge delivers, from a ``describe_execution`` answer."""
    detail = {
        "executionArn": execution["executionArn"],
        "stateMachineArn": execution["stateMachineArn"],
        "name": execution["name"], "status": execution["status"],
        "startDate": _epoch_ms(execution.get("startDate")),
        "stopDate": _epoch_ms(execution.get("stopDate")),
        "input": execution.get("input"),
        "output": execution.get("output"),
        "inputDetails": {"included": True},
        "outputDetails": {"included": True} if execution.get("output") is not None else None,
        "error": execution.get("error"), "cause": execution.get("cause"),
    }
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": STATUS_CHANGE,
            "source": "aws.states", "account": account,
            "time": _iso(execution.get("stopDate")), "region": region,
            "resources": [execution["executionArn"]], "detail": detail}


def _pattern_matches(pattern: dict, event: dict) -> bool:
    """Enough of EventBridge matching for our patterns: lists of exact values, nested."""
    for key, expected in pattern.items():
        value = event.get(key)
        if isinstance(expected, dict):
            if not isinstance(value, dict) or not _pattern_matches(expected, value):
                return False
        elif isinstance(expected, list):
            if value not in expected:
                return False
        elif value != expected:
            return False
    return True


class _Loop(threading.Thread, ABC):
    def __init__(self, name: str, interval_s: float, stop: threading.Event) -> None:
        super().__init__(name=name, daemon=True)
        self.interval_s, self._stop_event = interval_s, stop

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_s):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - keep the loop alive; the next tick retries
                log.exception("event loop tick failed", extra={"loop": self.name})

    @abstractmethod
    def tick(self) -> None:
        """One round of work; each loop says what."""


class ScheduleRunner(_Loop):
    """Invoke every ``@app.schedule`` handler each ``interval_s`` (the local clock does not
    honour the rate/cron expression: one interval for all, so sweeps are observable)."""

    def __init__(self, app, interval_s: float, region: str, account: str,
                 stop: threading.Event) -> None:
        super().__init__("schedules", interval_s, stop)
        self.app, self.region, self.account = app, region, account

    def handler_names(self) -> list[str]:
        from chalice.app import ScheduledEventConfig  # noqa: PLC0415

        return [s.name for s in self.app.event_sources
                if isinstance(s, ScheduledEventConfig) and s.name in self.app.handler_map]

    def tick(self) -> None:
        for name in self.handler_names():
            _, failed = lambda_runner.run_handler(
                name, scheduled_event(name, self.region, self.account),
                lambda_runner.LambdaContext(name))
            log.info("schedule ran", extra={"function": name, "failed": failed})


class ExecutionStatusEvents(_Loop):
    """Poll moto's executions each second and deliver each failed/timed-out/aborted one
    once, like an EventBridge rule on ``aws.states`` status changes."""

    def __init__(self, app, sfn_client, state_machine_arns: Iterable[str],
                 targets: Iterable[str], region: str, account: str,
                 stop: threading.Event, interval_s: float = 1.0) -> None:
        super().__init__("execution-events", interval_s, stop)
        self.app, self.sfn = app, sfn_client
        self.state_machine_arns = list(state_machine_arns)
        self.targets = list(targets)
        self.region, self.account = region, account
        self._delivered: set[str] = set()

    def target_names(self, event: dict) -> list[str]:
        from chalice.app import CloudWatchEventConfig  # noqa: PLC0415

        names = [t for t in self.targets if t in self.app.handler_map]
        for source in self.app.event_sources:
            if (isinstance(source, CloudWatchEventConfig) and source.name in
                    self.app.handler_map and _pattern_matches(source.event_pattern, event)):
                names.append(source.name)
        return list(dict.fromkeys(names))

    def tick(self) -> None:
        for machine in self.state_machine_arns:
            for status in TERMINAL_FAILURES:
                pages = self.sfn.get_paginator("list_executions").paginate(
                    stateMachineArn=machine, statusFilter=status)
                for page in pages:
                    for summary in page["executions"]:
                        if summary["executionArn"] not in self._delivered:
                            self.deliver(summary["executionArn"])

    def deliver(self, execution_arn: str) -> None:
        self._delivered.add(execution_arn)
        execution = self.sfn.describe_execution(executionArn=execution_arn)
        event = execution_status_event(execution, self.region, self.account)
        for name in self.target_names(event):
            for attempt in range(3):  # Lambda retries an async invocation twice
                _, failed = lambda_runner.run_handler(name, json.loads(json.dumps(event)),
                                                      lambda_runner.LambdaContext(name))
                if not failed:
                    break
                if self._stop_event.wait(1.0 * (attempt + 1)):
                    return
            log.info("execution event delivered", extra={
                "function": name, "status": event["detail"]["status"],
                "execution": execution_arn.rsplit(":", 1)[-1], "failed": failed})
