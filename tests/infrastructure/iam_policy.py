"""What a packaged template lets a role do, evaluated the way IAM would.

A role's statements are its inline policies, the managed policies it lists or that list it,
and the ``AWS::IAM::Policy`` resources naming it. Resource expressions (``!GetAtt``,
``!Sub``, ``!Ref``) become the ARNs CloudFormation would make, with a placeholder account,
region and generated names, so a need is stated as a concrete ARN and checked with IAM's
wildcards and the condition operators our policies use. Anything this module does not
understand raises: a check that cannot read a policy must not pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PARTITION, REGION, ACCOUNT, STACK = "aws", "eu-central-1", "123456789012", "photoshoot"
PSEUDO = {"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
          "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": STACK}


@dataclass(frozen=True)
class Grant:
    effect: str
    action: str
    resource: str
    condition: dict = field(default_factory=dict, hash=False, compare=False)


def wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run of characters, ``/`` and ``:`` included) and ``?``."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


class PackagedTemplate:
    def __init__(self, template: dict):
        self.resources = template["Resources"]
        self.parameters = template.get("Parameters", {})

    # --- names CloudFormation gives -----------------------------------------------------------
    def _type(self, logical_id: str) -> str:
        return self.resources[logical_id]["Type"]

    def _property(self, logical_id: str, name: str) -> str | None:
        value = self.resources[logical_id].get("Properties", {}).get(name)
        return None if value is None else self.resolve(value)

    def _generated(self, logical_id: str) -> str:
        return f"{STACK}-{logical_id}-GENERATED"

    def physical_name(self, logical_id: str) -> str:
        kind = self._type(logical_id)
        named_by = {"AWS::DynamoDB::Table": "TableName", "AWS::S3::Bucket": "BucketName",
                    "AWS::Serverless::Function": "FunctionName",
                    "AWS::Lambda::Function": "FunctionName",
                    "AWS::Serverless::StateMachine": "Name",
                    "AWS::StepFunctions::StateMachine": "StateMachineName",
                    "AWS::Logs::LogGroup": "LogGroupName", "AWS::IAM::Role": "RoleName",
                    "AWS::SQS::Queue": "QueueName", "AWS::Events::Rule": "Name"}
        return (self._property(logical_id, named_by[kind]) if kind in named_by else None) \
            or self._generated(logical_id)

    def ref(self, name: str) -> str:
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return str(self.parameters[name].get("Default", f"<{name}>"))
        kind = self._type(name)
        if kind in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine",
                    "AWS::IAM::ManagedPolicy", "AWS::SNS::Topic"):
            return self.get_att(name, "Arn")
        if kind in ("AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi",
                    "AWS::Serverless::Api"):
            return f"{name.lower()}0id"
        return self.physical_name(name)

    def get_att(self, logical_id: str, attribute: str) -> str:
        kind, name = self._type(logical_id), self.physical_name(logical_id)
        regional = f"{REGION}:{ACCOUNT}"
        function = f"arn:{PARTITION}:lambda:{regional}:function:{name}"
        arns = {
            "AWS::DynamoDB::Table": f"arn:{PARTITION}:dynamodb:{regional}:table/{name}",
            "AWS::S3::Bucket": f"arn:{PARTITION}:s3:::{name}",
            "AWS::Serverless::Function": function, "AWS::Lambda::Function": function,
            "AWS::Logs::LogGroup": f"arn:{PARTITION}:logs:{regional}:log-group:{name}:*",
            "AWS::Serverless::StateMachine":
                f"arn:{PARTITION}:states:{regional}:stateMachine:{name}",
            "AWS::IAM::Role": f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}",
            "AWS::IAM::ManagedPolicy": f"arn:{PARTITION}:iam::{ACCOUNT}:policy/{name}",
            "AWS::SQS::Queue": f"arn:{PARTITION}:sqs:{regional}:{name}",
            "AWS::Events::Rule": f"arn:{PARTITION}:events:{regional}:rule/{name}",
            "AWS::SNS::Topic": f"arn:{PARTITION}:sns:{regional}:{name}",
        }
        if attribute == "Arn" and kind in arns:
            return arns[kind]
        if attribute in ("Name", "QueueName"):
            return name
        raise ValueError(f"GetAtt {logical_id}.{attribute} ({kind}) is not understood")

    def resolve(self, value) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and len(value) == 1:
            (function, argument), = value.items()
            if function == "Ref":
                return self.ref(argument)
            if function == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) \
                    else argument.split(".", 1)
                return self.get_att(logical_id, attribute)
            if function == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                return re.sub(r"\$\{([^}!]+)\}",
                              lambda m: self._sub_variable(m.group(1), variables), text)
        raise ValueError(f"cannot resolve {value!r}")

    def _sub_variable(self, name: str, variables: dict) -> str:
        if name in variables:
            return self.resolve(variables[name])
        if "." in name and name not in PSEUDO:
            logical_id, attribute = name.split(".", 1)
            return self.get_att(logical_id, attribute)
        return self.ref(name)

    # --- who may do what ----------------------------------------------------------------------
    def role_of(self, function: str) -> str:
        role = self.resources[function]["Properties"].get("Role")
        if not (isinstance(role, dict) and "Fn::GetAtt" in role):
            raise ValueError(f"{function} has no role of the template ({role!r})")
        return role["Fn::GetAtt"][0]

    def functions(self) -> dict[str, dict]:
        return {name: resource["Properties"] for name, resource in self.resources.items()
                if resource["Type"] == "AWS::Serverless::Function"}

    def _documents(self, role: str) -> list[dict]:
        properties = self.resources[role]["Properties"]
        documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for arn in properties.get("ManagedPolicyArns", []):
            if not (isinstance(arn, dict) and "Ref" in arn):
                raise ValueError(f"{role}: managed policy {arn!r} is not of this template")
            documents.append(self.resources[arn["Ref"]]["Properties"]["PolicyDocument"])
        for name, resource in self.resources.items():
            if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy") and \
                    {"Ref": role} in resource["Properties"].get("Roles", []):
                documents.append(resource["Properties"]["PolicyDocument"])
        return documents

    def grants(self, role: str) -> list[Grant]:
        found = []
        for document in self._documents(role):
            for statement in document["Statement"]:
                if "NotAction" in statement or "NotResource" in statement:
                    raise ValueError(f"{role}: NotAction/NotResource is not understood")
                actions = statement["Action"]
                targets = statement["Resource"]
                for action in [actions] if isinstance(actions, str) else actions:
                    for target in targets if isinstance(targets, list) else [targets]:
                        found.append(Grant(statement["Effect"], action, self.resolve(target),
                                           statement.get("Condition", {})))
        return found

    def allows(self, role: str, action: str, resource: str, context: dict | None = None) -> bool:
        matching = [grant for grant in self.grants(role)
                    if wildcard(grant.action, action, ignore_case=True)
                    and wildcard(grant.resource, resource)
                    and conditions_hold(grant.condition, context or {})]
        return any(g.effect == "Allow" for g in matching) and \
            not any(g.effect == "Deny" for g in matching)


def conditions_hold(condition: dict, context: dict) -> bool:
    for operator, tests in condition.items():
        for key, expected in tests.items():
            expected = expected if isinstance(expected, list) else [expected]
            if operator in ("StringEquals", "StringLike"):
                value = context.get(key)
                like = operator == "StringLike"
                if value is None or not any(wildcard(e, value) if like else e == value
                                            for e in expected):
                    return False
            elif operator == "ForAllValues:StringEquals":
                if not all(value in expected for value in context.get(key, [])):
                    return False
            else:
                raise ValueError(f"condition operator {operator} is not understood")
    return True
