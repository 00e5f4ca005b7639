"""The PynamoDB models and the tables in template.yaml describe the same schema."""
import pytest

from infra.resources import load_template, resources_of_type, table_definitions
from photoshoot.models import ALL_MODELS


def _model_keys(model):
    keys = {}
    for name, attr in model.get_attributes().items():
        if attr.is_hash_key:
            keys["HASH"] = attr.attr_name
        if attr.is_range_key:
            keys["RANGE"] = attr.attr_name
    return keys


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_model_has_its_table_in_the_template(model):
    prefix = "photoshoot-test-"
    definitions = {d["TableName"]: d for d in table_definitions(prefix)}
    definition = definitions.get(model.Meta.table_name)
    assert definition, f"{model.Meta.table_name} missing from template.yaml"
    template_keys = {k["KeyType"]: k["AttributeName"] for k in definition["KeySchema"]}
    assert template_keys == _model_keys(model)
    template_indexes = {i["IndexName"]: {k["KeyType"]: k["AttributeName"] for k in i["KeySchema"]}
                        for i in definition.get("GlobalSecondaryIndexes", [])}
    for index in model._indexes.values():
        keys = {}
        for attr in index.Meta.attributes.values():
            if attr.is_hash_key:
                keys["HASH"] = attr.attr_name
            if attr.is_range_key:
                keys["RANGE"] = attr.attr_name
        assert template_indexes.get(index.Meta.index_name) == keys


def test_template_declares_no_table_without_a_purpose():
    names = {r["Properties"]["TableName"]["Fn::Sub"].replace("${TablePrefix}", "")
             for r in resources_of_type("AWS::DynamoDB::Table").values()}
    modelled = {m.Meta.table_name.replace("photoshoot-test-", "") for m in ALL_MODELS}
    assert names - modelled == {"idempotency"}  # owned by Powertools' idempotency utility
    assert load_template()["Transform"] == "AWS::Serverless-2016-10-31"


def test_every_lambda_role_may_read_the_secrets_and_nothing_else_of_ssm():
    import json

    from infra.resources import ROOT

    template = load_template()
    lambda_roles = {name for name, role in resources_of_type("AWS::IAM::Role").items()
                    if "lambda.amazonaws.com" in json.dumps(
                        role["Properties"]["AssumeRolePolicyDocument"])}
    policy = template["Resources"]["AppSecretsReadPolicy"]["Properties"]
    attached = {role["Ref"] for role in policy["Roles"]}
    assert lambda_roles | {"DefaultRole"} == attached  # DefaultRole: Chalice's own
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm:GetParametersByPath"
    assert statement["Resource"]["Fn::Sub"].endswith(":parameter${SecretsPath}")
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    path = config["stages"]["prod"]["environment_variables"]["SECRETS_PARAMETER_PATH"]
    assert path == template["Parameters"]["SecretsPath"]["Default"]


def test_every_function_gets_the_public_urls_it_cannot_default_outside_local():
    variables = load_template()["Globals"]["Function"]["Environment"]["Variables"]
    assert {"PUBLIC_BASE_URL", "WS_MANAGEMENT_ENDPOINT", "WS_PUBLIC_URL"} <= set(variables)
    assert variables["WS_MANAGEMENT_ENDPOINT"]["Fn::Sub"].startswith("https://${WebsocketAPI}.")
    assert variables["WS_PUBLIC_URL"]["Fn::Sub"].startswith("wss://${WebsocketAPI}.")
