"""The API functions (Chalice's DefaultRole: every REST route and the WebSocket handlers)
may touch every table their code uses: nothing runs against real IAM locally, so a table
left out of the role only shows in AWS, as a 500 on that route."""
import pytest

from infra.resources import load_template

# table → what the API does there (and why)
API_TABLES = {
    "UsersTable": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                   "dynamodb:Query"),                       # sign-up, profile, by username
    "AuthChallengesTable": ("dynamodb:GetItem", "dynamodb:PutItem",
                            "dynamodb:UpdateItem"),         # deep-link and code logins
    "RateLimitsTable": ("dynamodb:UpdateItem", "dynamodb:GetItem"),  # every per-user limit
    "OrdersTable": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem", "dynamodb:Query"),  # web checkout, order pages
    "LedgerTable": ("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query",
                    "dynamodb:ConditionCheckItem"),         # charge/refund transactions
    "ConnectionsTable": ("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                         "dynamodb:Query"),                 # sockets, pushes, logout
    "PackagesTable": ("dynamodb:GetItem", "dynamodb:Scan"),  # the catalogue
    "GenerationsTable": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                         "dynamodb:DeleteItem", "dynamodb:Query"),
    "StatsTable": ("dynamodb:UpdateItem", "dynamodb:Query"),  # counters, ETA, admin stats
}


def _granted() -> set[tuple[str, str]]:
    granted = set()
    for resource in load_template()["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] != "AWS::IAM::ManagedPolicy" or \
                {"Ref": "DefaultRole"} not in properties.get("Roles", []):
            continue
        for statement in properties["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            targets = statement["Resource"]
            targets = targets if isinstance(targets, list) else [targets]
            for target in targets:
                if isinstance(target, dict) and "Fn::GetAtt" in target:
                    granted |= {(target["Fn::GetAtt"][0], action) for action in actions}
    return granted


@pytest.mark.parametrize("table", sorted(API_TABLES))
def test_the_api_role_may_do_what_the_api_does_on(table):
    missing = [action for action in API_TABLES[table] if (table, action) not in _granted()]
    assert missing == [], f"DefaultRole cannot {missing} on {table}"
