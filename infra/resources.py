"""Create AWS resources from ``template.yaml`` itself (tables, bucket, state machine).

The tests (in-process ``mock_aws``) and the local stack (moto server) both call these, so
the key schemas, indexes and TTLs cannot drift from what is deployed. moto's CloudFormation
does not understand SAM resources, so we read the template and call boto3 directly.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
STATE_MACHINE_DIR = ROOT / "infra" / "statemachine"


class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags into their long form."""


def _construct_tag(loader: CfnLoader, tag_suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


CfnLoader.add_multi_constructor("!", _construct_tag)


@lru_cache(maxsize=1)
def load_template() -> dict:
    return yaml.load(TEMPLATE_PATH.read_text(encoding="utf-8"), Loader=CfnLoader)


def _resolve(value: Any, params: dict[str, str]) -> Any:
    """Resolve the few intrinsics our resource names use (Ref to parameters, Sub)."""
    if isinstance(value, dict):
        if "Ref" in value:
            return params[value["Ref"]]
        if "Fn::Sub" in value:
            return re.sub(r"\$\{([^}]+)\}", lambda m: params[m.group(1)], value["Fn::Sub"])
    return value


def _params(overrides: dict[str, str] | None) -> dict[str, str]:
    params = {name: spec.get("Default", "")
              for name, spec in load_template().get("Parameters", {}).items()}
    params.update(overrides or {})
    return params


def resources_of_type(resource_type: str) -> dict[str, dict]:
    return {name: res for name, res in load_template()["Resources"].items()
            if res["Type"] == resource_type}


def table_definitions(table_prefix: str) -> list[dict]:
    """boto3 ``create_table`` keyword arguments for every table in the template."""
    params = _params({"TablePrefix": table_prefix})
    definitions = []
    for resource in resources_of_type("AWS::DynamoDB::Table").values():
        props = resource["Properties"]
        kwargs: dict[str, Any] = {
            "TableName": _resolve(props["TableName"], params),
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        kwargs["_ttl"] = props.get("TimeToLiveSpecification")
        definitions.append(kwargs)
    return definitions


def create_tables(dynamodb_client, table_prefix: str) -> list[str]:
    existing = set(dynamodb_client.list_tables().get("TableNames", []))
    created = []
    for definition in table_definitions(table_prefix):
        ttl = definition.pop("_ttl")
        name = definition["TableName"]
        if name in existing:
            continue
        dynamodb_client.create_table(**definition)
        if ttl:
            dynamodb_client.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        created.append(name)
    return created


def bucket_cors_rules(public_origins: list[str]) -> list[dict]:
    """The bucket's CORS rules from the template, with the origins of this environment."""
    bucket = resources_of_type("AWS::S3::Bucket")["ImagesBucket"]["Properties"]
    rules = []
    for rule in bucket["CorsConfiguration"]["CorsRules"]:
        rules.append({"AllowedMethods": rule["AllowedMethods"],
                      "AllowedOrigins": public_origins,
                      "AllowedHeaders": rule.get("AllowedHeaders", ["*"]),
                      "ExposeHeaders": ["ETag"],
                      "MaxAgeSeconds": rule.get("MaxAge", 3000)})
    return rules


def create_bucket(s3_client, bucket_name: str, region: str, public_origins: list[str]) -> None:
    try:
        if region == "us-east-1":
            s3_client.create_bucket(Bucket=bucket_name)
        else:
            s3_client.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={
                "LocationConstraint": region})
    except s3_client.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3_client.put_bucket_cors(Bucket=bucket_name,
                              CORSConfiguration={"CORSRules": bucket_cors_rules(public_origins)})


def state_machine_definition(name: str, substitutions: dict[str, str]) -> str:
    """The ASL of ``infra/statemachine/<name>.asl.json`` with ``${Placeholders}`` filled
    exactly as CloudFormation's ``DefinitionSubstitutions`` would fill them."""
    text = (STATE_MACHINE_DIR / f"{name}.asl.json").read_text(encoding="utf-8")
    missing = set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", text)) - set(substitutions)
    if missing:
        raise KeyError(f"no substitution for {sorted(missing)} in {name}.asl.json")
    text = re.sub(r"\$\{([A-Za-z0-9_]+)\}", lambda m: str(substitutions[m.group(1)]), text)
    json.loads(text)  # fail early on a broken definition
    return text


def gateway_response(response_type: str) -> tuple[int, str] | None:
    """(status, JSON body) of an API Gateway response the template customises, so the local
    front server answers exactly as API Gateway would in AWS."""
    for resource in resources_of_type("AWS::ApiGateway::GatewayResponse").values():
        props = resource["Properties"]
        if props["ResponseType"] == response_type:
            return (int(props.get("StatusCode", 500)),
                    props["ResponseTemplates"]["application/json"])
    return None
