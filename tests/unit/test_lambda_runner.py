"""The in-process Lambda runner: moto's Step Functions run our Python handlers, and a named
exception is a Lambda function error that Retry/Catch route on by its class name."""
from __future__ import annotations

import json
import time

import boto3
import pytest
from moto import mock_aws

from infra.local import lambda_runner, sfn_clock, sfn_warm

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True},
               "lambda": {"use_docker": False}}
REGION = "eu-central-1"


class ProviderTimeout(Exception):
    pass


class UnsupportedImage(Exception):
    pass


calls: list[tuple[str, dict]] = []


def double(event, context):
    calls.append(("double", event))
    assert context.function_name == "double"
    assert context.get_remaining_time_in_millis() > 0
    return {"value": event["value"] * 2}


def reject(event, context):
    calls.append(("reject", event))
    raise UnsupportedImage("Формат не поддерживается")


flaky_attempts = {"n": 0}


def flaky(event, context):
    flaky_attempts["n"] += 1
    if flaky_attempts["n"] < 3:
        raise ProviderTimeout("provider did not answer")
    return {"attempts": flaky_attempts["n"]}


HANDLERS = {"double": double, "reject": reject, "flaky": flaky}


@pytest.fixture
def aws():
    calls.clear()
    flaky_attempts["n"] = 0
    with mock_aws(config=MOTO_CONFIG):
        lambda_runner.install(HANDLERS)
        try:
            arns = lambda_runner.register_functions(
                boto3.client("lambda", region_name=REGION), HANDLERS)
            yield arns
        finally:
            lambda_runner.uninstall()
            sfn_clock.uninstall()
            sfn_warm.uninstall()


def run(definition: dict, payload: dict, timeout_s: float = 20.0) -> dict:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.create_state_machine(
        name=f"m{time.monotonic_ns()}", definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine,
                                    input=json.dumps(payload))["executionArn"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.02)
    raise AssertionError("execution still RUNNING")


def test_task_runs_the_registered_python_handler(aws):
    definition = {"StartAt": "Double", "States": {
        "Double": {"Type": "Task", "Resource": aws["double"], "End": True}}}
    result = run(definition, {"value": 21})
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"value": 42}
    assert calls == [("double", {"value": 21})]


def test_named_error_is_routed_by_catch(aws):
    definition = {"StartAt": "Reject", "States": {
        "Reject": {"Type": "Task", "Resource": aws["reject"], "End": True,
                   "Catch": [
                       {"ErrorEquals": ["ProviderTimeout"], "Next": "Wrong"},
                       {"ErrorEquals": ["UnsupportedImage"], "ResultPath": "$.error",
                        "Next": "Unsupported"}]},
        "Wrong": {"Type": "Fail", "Error": "WrongBranch"},
        "Unsupported": {"Type": "Pass", "End": True}}}
    result = run(definition, {"value": 1})
    assert result["status"] == "SUCCEEDED"
    error = json.loads(result["output"])["error"]
    assert error["Error"] == "UnsupportedImage"
    assert json.loads(error["Cause"])["errorMessage"] == "Формат не поддерживается"


def test_uncaught_named_error_fails_the_execution_with_that_name(aws):
    definition = {"StartAt": "Reject", "States": {
        "Reject": {"Type": "Task", "Resource": aws["reject"], "End": True}}}
    result = run(definition, {})
    assert result["status"] == "FAILED"
    assert result["error"] == "UnsupportedImage"


def test_retry_on_named_error_with_scaled_interval(aws):
    sfn_clock.install(0.01)
    definition = {"StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Task", "Resource": aws["flaky"], "End": True,
                  "Retry": [{"ErrorEquals": ["ProviderTimeout"], "IntervalSeconds": 30,
                             "MaxAttempts": 3, "BackoffRate": 2.0}]}}}
    started = time.monotonic()
    result = run(definition, {})
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"attempts": 3}
    assert time.monotonic() - started < 10  # 30 s + 60 s of declared retry intervals


def test_wait_state_is_scaled(aws):
    sfn_clock.install(0.01)
    definition = {"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 100, "Next": "Double"},
        "Double": {"Type": "Task", "Resource": aws["double"], "End": True}}}
    started = time.monotonic()
    result = run(definition, {"value": 2})
    assert result["status"] == "SUCCEEDED"
    assert 0.9 <= time.monotonic() - started < 10


def test_direct_invoke_returns_function_error(aws):
    client = boto3.client("lambda", region_name=REGION)
    answer = client.invoke(FunctionName="reject", Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    assert json.loads(answer["Payload"].read())["errorType"] == "UnsupportedImage"
    ok = client.invoke(FunctionName="double", Payload=json.dumps({"value": 5}))
    assert "FunctionError" not in ok
    assert json.loads(ok["Payload"].read()) == {"value": 10}


def test_register_functions_is_idempotent(aws):
    again = lambda_runner.register_functions(boto3.client("lambda", region_name=REGION),
                                             ["double"])
    assert again["double"] == aws["double"]
    assert aws["double"].endswith(":function:double")


def test_warm_interpreter_parses_once_and_builds_fresh_components(aws):
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    sfn_warm.install()
    assert sfn_warm.installed()
    definition = json.dumps({"StartAt": "Double", "States": {
        "Double": {"Type": "Task", "Resource": aws["double"], "End": True}}})
    first_program, first_tree = AmazonStateLanguageParser.parse(definition)
    second_program, second_tree = AmazonStateLanguageParser.parse(definition)
    assert first_tree is second_tree  # the ANTLR work is done once
    assert first_program is not second_program  # executions never share components


def test_warm_interpreter_runs_concurrent_executions_apart(aws):
    sfn_warm.install()
    definition = {"StartAt": "Double", "States": {
        "Double": {"Type": "Task", "Resource": aws["double"], "Next": "Again"},
        "Again": {"Type": "Task", "Resource": aws["double"], "End": True}}}
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.create_state_machine(
        name="warm", definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    executions = [sfn.start_execution(stateMachineArn=machine, name=f"run-{value}",
                                      input=json.dumps({"value": value}))["executionArn"]
                  for value in range(1, 6)]
    deadline = time.monotonic() + 20
    outputs = {}
    while len(outputs) < len(executions) and time.monotonic() < deadline:
        for arn in executions:
            described = sfn.describe_execution(executionArn=arn)
            if described["status"] != "RUNNING":
                outputs[arn] = (described["status"], json.loads(described["output"]))
        time.sleep(0.02)
    assert [outputs[arn] for arn in executions] == [
        ("SUCCEEDED", {"value": value * 4}) for value in range(1, 6)]


def test_warm_interpreter_reuses_one_lambda_client(aws):
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import (
        lambda_eval_utils)

    sfn_warm.install()
    first = lambda_eval_utils.boto_client_for(REGION, "lambda")
    assert lambda_eval_utils.boto_client_for(REGION, "lambda") is first
    assert lambda_eval_utils.boto_client_for("us-east-1", "lambda") is not first
    sfn_warm.uninstall()
    assert not sfn_warm.installed()
    assert lambda_eval_utils.boto_client_for(REGION, "lambda") is not first
