"""Create the local AWS resources from the project's own definitions (idempotent).

Tables and bucket come from ``template.yaml`` (``infra.resources``), the catalogue from
``infra/seed``, one moto Lambda function per Chalice function, and one state machine per
``infra/statemachine/*.asl.json`` with ``${<PascalName>FunctionArn}`` → the ARN of the Chalice
function ``<snake_name>``.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field

import boto3

from infra import resources
from infra.local import lambda_runner
from infra.local.environment import loopback_twin

log = logging.getLogger("infra.local.provision")

FUNCTION_ARN_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)FunctionArn\}")
LOCAL_SFN_ROLE = "arn:aws:iam::123456789012:role/photoshoot-local-states"


@dataclass
class Provisioned:
    tables: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    state_machines: dict[str, str] = field(default_factory=dict)


def snake_case(pascal: str) -> str:
    """``BuildPrompt`` → ``build_prompt`` (CloudFormation name → Chalice function name)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", pascal).lower()


def lambda_function_names(app) -> list[str]:
    """Every handler that AWS would deploy as its own function and that something other
    than API Gateway invokes: pure functions, schedules, event handlers."""
    names = [fn.name for fn in getattr(app, "pure_lambda_functions", [])]
    names += [source.name for source in getattr(app, "event_sources", [])]
    return [name for name in dict.fromkeys(names) if name in app.handler_map]


def state_machine_substitutions(text: str, function_arns: dict[str, str]) -> dict[str, str]:
    substitutions = {}
    for pascal in set(FUNCTION_ARN_PLACEHOLDER.findall(text)):
        name = snake_case(pascal)
        if name not in function_arns:
            raise KeyError(f"${{{pascal}FunctionArn}} needs a Chalice @app.lambda_function "
                           f"named {name!r}")
        substitutions[f"{pascal}FunctionArn"] = function_arns[name]
    return substitutions


def provision_state_machines(sfn, function_arns: dict[str, str]) -> dict[str, str]:
    """name → ARN of every ``infra/statemachine/*.asl.json``, created or updated."""
    existing = {m["name"]: m["stateMachineArn"]
                for page in sfn.get_paginator("list_state_machines").paginate()
                for m in page["stateMachines"]}
    arns = {}
    for path in sorted(resources.STATE_MACHINE_DIR.glob("*.asl.json")):
        name = path.name[: -len(".asl.json")]
        text = path.read_text(encoding="utf-8")
        definition = resources.state_machine_definition(
            name, state_machine_substitutions(text, function_arns))
        if name in existing:
            sfn.update_state_machine(stateMachineArn=existing[name], definition=definition)
            arns[name] = existing[name]
        else:
            arns[name] = sfn.create_state_machine(
                name=name, definition=definition, roleArn=LOCAL_SFN_ROLE,
                type="STANDARD")["stateMachineArn"]
    return arns


def provision(app, settings, moto_url: str) -> Provisioned:
    from photoshoot.catalogue import seed_catalogue  # noqa: PLC0415 - after env is set

    def client(service: str):
        return boto3.client(service, endpoint_url=moto_url, region_name=settings.region)

    done = Provisioned()
    done.tables = resources.create_tables(client("dynamodb"), settings.table_prefix)
    resources.create_bucket(client("s3"), settings.images_bucket, settings.region,
                            sorted({settings.public_base_url, loopback_twin(
                                settings.public_base_url)}))
    seed_catalogue()
    done.functions = lambda_runner.register_functions(client("lambda"),
                                                      lambda_function_names(app))
    done.state_machines = provision_state_machines(client("stepfunctions"), done.functions)
    log.info("provisioned", extra={"tables_created": len(done.tables),
                                   "functions": sorted(done.functions),
                                   "state_machines": sorted(done.state_machines)})
    return done


def configure_moto(moto_url: str) -> None:
    """Ask moto to run state machines and to serve Lambda without Docker."""
    import urllib.request  # noqa: PLC0415

    body = json.dumps({"stepfunctions": {"execute_state_machine": True},
                       "lambda": {"use_docker": False}}).encode()
    request = urllib.request.Request(f"{moto_url}/moto-api/config", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        answer.read()
