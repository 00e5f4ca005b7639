"""The state machine definition, the template and the Chalice config agree."""
from __future__ import annotations

import json
import re
from pathlib import Path

from infra.local.provision import snake_case
from infra.resources import STATE_MACHINE_DIR, load_template, resources_of_type

ROOT = Path(__file__).resolve().parents[3]
ASL = (STATE_MACHINE_DIR / "generation.asl.json").read_text()


def _tasks(states: dict) -> dict:
    found = {}
    for name, state in states.items():
        if state["Type"] == "Task":
            found[name] = state
        if state["Type"] == "Map":
            found.update(_tasks(state["ItemProcessor"]["States"]))
    return found


def test_every_placeholder_is_a_chalice_function_and_a_template_substitution():
    from app import app

    placeholders = set(re.findall(r"\$\{([A-Za-z0-9]+)FunctionArn\}", ASL))
    functions = {f.name for f in app.pure_lambda_functions}
    assert {snake_case(p) for p in placeholders} <= functions
    machine = resources_of_type("AWS::Serverless::StateMachine")["GenerationStateMachine"]
    substitutions = machine["Properties"]["DefinitionSubstitutions"]
    assert set(substitutions) == {f"{p}FunctionArn" for p in placeholders}
    for placeholder in placeholders:
        assert substitutions[f"{placeholder}FunctionArn"] == {"Fn::GetAtt": [placeholder, "Arn"]}
    assert machine["Properties"]["DefinitionUri"].endswith(
        "infra/statemachine/generation.asl.json")


def test_each_task_outlives_its_lambda_and_transient_errors_are_retried():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    per_function = config["stages"]["prod"]["lambda_functions"]
    definition = json.loads(ASL)  # placeholders sit inside strings: valid JSON as it is
    for name, task in _tasks(definition["States"]).items():
        function = snake_case(re.fullmatch(r"\$\{([A-Za-z0-9]+)FunctionArn\}",
                                           task["Resource"]).group(1))
        assert task["TimeoutSeconds"] > per_function[function]["lambda_timeout"], name
        retried = {e for r in task.get("Retry", []) for e in r["ErrorEquals"]}
        assert "Lambda.ServiceException" in retried or "States.ALL" in retried, name
    render = _tasks(definition["States"])["Render"]
    assert {"ProviderTimeout", "ProviderUnavailable"} <= {
        e for r in render["Retry"] for e in r["ErrorEquals"]}
    assert definition["States"]["RenderShots"]["MaxConcurrencyPath"] == "$.max_concurrency"


def test_failures_reach_reconcile_through_eventbridge():
    rule = load_template()["Resources"]["ReconcileGenerationRule"]["Properties"]
    assert rule["EventPattern"]["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": ["ReconcileGeneration", "Arn"]}
    from infra.local.routes import EVENT_TARGETS
    assert "reconcile_generation" in EVENT_TARGETS
