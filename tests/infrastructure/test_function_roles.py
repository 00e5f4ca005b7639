"""Every function with a role of its own (everything but the API's DefaultRole, see
test_api_role.py) may do what its code does — and nothing else, on nothing of another stack.

Nothing runs against real IAM locally, so a missing grant only shows in AWS: an
AccessDenied that fails the call (a 500, a Telegram update redelivered for a day) or, on the
best-effort paths, silently skips the work. Each need below names the code that makes the
call. The template is packaged as a deploy packages it, so what is checked is each function's
role as CloudFormation receives it, resource expressions resolved to ARNs (iam_policy.py).
"""
from __future__ import annotations

import json

import pytest

from infra.package import ROOT, STAGE, load_packaged, package
from infra.resources import STATE_MACHINE_DIR
from tests.infrastructure.iam_policy import PackagedTemplate, conditions_hold, wildcard

USER, GENERATION, UPLOAD = "42", "01JD7Q8R5T6V7W8X9Y0Z1A2B3C", "01JD7Q8R5T6V7W8X9Y0Z1A2B3D"
ARN = "arn:${AWS::Partition}"
REGION_ACCOUNT = "${AWS::Region}:${AWS::AccountId}"

USERS, LEDGER, GENERATIONS, ORDERS = ("${UsersTable.Arn}", "${LedgerTable.Arn}",
                                      "${GenerationsTable.Arn}", "${OrdersTable.Arn}")
PACKAGES, STYLES, STATS, RATE_LIMITS = ("${PackagesTable.Arn}", "${StylesTable.Arn}",
                                        "${StatsTable.Arn}", "${RateLimitsTable.Arn}")
CONNECTIONS, AUTH_CHALLENGES, IDEMPOTENCY = ("${ConnectionsTable.Arn}",
                                             "${AuthChallengesTable.Arn}",
                                             "${IdempotencyTable.Arn}")
BUCKET = "${ImagesBucket.Arn}"
UPLOAD_KEY = f"{BUCKET}/uploads/{USER}/{UPLOAD}"
WORK_PREFIX = f"work/{USER}/{GENERATION}/"
RESULTS_PREFIX = f"results/{USER}/{GENERATION}/"
STATE_MACHINE = "${GenerationStateMachine}"
EXECUTION = f"{ARN}:states:{REGION_ACCOUNT}:execution:${{GenerationStateMachine.Name}}:{GENERATION}"
SOCKET = f"{ARN}:execute-api:{REGION_ACCOUNT}:${{WebsocketAPI}}/api/POST/@connections/Ab1Cd2Ef="
# The path the deployed functions read (settings.stored_secrets), as Chalice configures them.
SECRETS_PATH = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))[
    "stages"][STAGE]["environment_variables"]["SECRETS_PARAMETER_PATH"]
SECRETS = f"{ARN}:ssm:{REGION_ACCOUNT}:parameter{SECRETS_PATH}"
SENDER = f"{ARN}:ses:{REGION_ACCOUNT}:identity/photoshoot.example"


def index(table: str, name: str) -> str:
    return f"{table}/index/{name}"


def on(resource: str, *actions: str, **context) -> list[tuple]:
    return [(action, resource, context) for action in actions]


def listing(prefix: str) -> list[tuple]:
    """``storage.delete_prefix`` lists the prefix before it deletes (ListObjectsV2)."""
    return on(BUCKET, "s3:ListBucket", **{"s3:prefix": prefix})


def logs(function: str, own_log_group: bool) -> list[tuple]:
    """Lambda writes the function's logs with its role; a function without a LogGroup of
    the template also creates its group on the first start."""
    group = f"{ARN}:logs:{REGION_ACCOUNT}:log-group:/aws/lambda/${{{function}}}"
    needs = on(f"{group}:log-stream:2026/11/26/[$LATEST]0a1b2c", "logs:CreateLogStream",
               "logs:PutLogEvents")
    return needs if own_log_group else needs + on(group, "logs:CreateLogGroup")


# settings.stored_secrets: every function reads its secrets at cold start.
SECRETS_READ = on(SECRETS, "ssm:GetParametersByPath")
# realtime.push_to_user (sockets of the user by index), send_to_connection (post; a gone
# socket is deleted).
PUSHES = (on(index(CONNECTIONS, "user-index"), "dynamodb:Query")
          + on(CONNECTIONS, "dynamodb:DeleteItem")
          + on(SOCKET, "execute-api:ManageConnections"))
# analytics.counters.record: ADD to a day's counter, the first-touch source from the user.
FUNNEL_COUNTERS = on(STATS, "dynamodb:UpdateItem") + on(USERS, "dynamodb:GetItem")
# billing.apply_balance_change: balance (Update) + ledger entry (Put) in one transaction;
# _entry_exists / _user_exists / balance_of explain a cancelled one.
BALANCE_CHANGE = (on(USERS, "dynamodb:UpdateItem", "dynamodb:GetItem")
                  + on(LEDGER, "dynamodb:PutItem", "dynamodb:GetItem"))

# --- generation steps (generation/steps.py; the Generation item, ETAs, status pushes) -------
# records.get_generation / update_generation; eta.remaining_seconds reads the samples.
STEP_STATE = (on(GENERATIONS, "dynamodb:GetItem", "dynamodb:UpdateItem")
              + on(STATS, "dynamodb:Query") + PUSHES)
# steps._load_cutout: Analyze's cut-out, or the one the style suggestions kept beside the
# upload (analysis_cache.cutout_key).
CUTOUTS = (on(f"{BUCKET}/{WORK_PREFIX}cutout.tiff", "s3:GetObject")
           + on(f"{UPLOAD_KEY}.cutout.png", "s3:GetObject"))
# steps._image_done: results.store_result writes the image and its thumbnail; a stopped
# generation's are deleted again; the pushed thumbnails are presigned GETs (records).
IMAGE_DONE = on(f"{BUCKET}/{RESULTS_PREFIX}0.jpg", "s3:PutObject", "s3:DeleteObject",
                "s3:GetObject")
# refunds.refund_generation (Fail, Reconcile; and the bot's /cancel): the refund
# transaction moves the Generation too; the refunded results are deleted; the bot hears it
# with the styles for the same photo (generation_notifications._failed →
# photos.styles_again_keyboard: the upload and its words still there, catalogue.list_styles).
REFUND = (BALANCE_CHANGE + on(GENERATIONS, "dynamodb:UpdateItem", "dynamodb:GetItem")
          + listing(RESULTS_PREFIX) + on(f"{BUCKET}/{RESULTS_PREFIX}0.jpg", "s3:DeleteObject")
          + PUSHES)
REFUND_BOT_MESSAGE = (on(UPLOAD_KEY, "s3:GetObject") + on(f"{UPLOAD_KEY}.scene.txt", "s3:GetObject")
                      + on(STYLES, "dynamodb:Scan") + on(USERS, "dynamodb:GetItem"))

GENERATION_STEPS = {
    # steps.analyze: analysis_cache.load (HEAD/GET beside the upload), or
    # uploads.read_checked_upload + the work cut-out.
    "GenerationAnalyze": STEP_STATE + on(UPLOAD_KEY, "s3:GetObject")
    + on(f"{UPLOAD_KEY}.analysis.json", "s3:GetObject")
    + on(f"{BUCKET}/{WORK_PREFIX}cutout.tiff", "s3:PutObject"),
    # steps.build_prompt: styles.catalogue_style_dict → catalogue.get_style.
    "GenerationBuildPrompt": STEP_STATE + on(STYLES, "dynamodb:GetItem"),
    "GenerationRender": STEP_STATE + CUTOUTS + IMAGE_DONE,
    "GenerationStartRender": on(GENERATIONS, "dynamodb:GetItem") + CUTOUTS,
    "GenerationPollRender": STEP_STATE + CUTOUTS + IMAGE_DONE,
    # steps.finalize: full-size URLs in the last push and the bot's album (presigned GETs),
    # the generation_complete counter, notifications.notify_user / _bot_chat,
    # eta.record_durations (sequence ADD + sample Put), the work files deleted.
    "GenerationFinalize": on(GENERATIONS, "dynamodb:GetItem", "dynamodb:UpdateItem")
    + PUSHES + on(f"{BUCKET}/{RESULTS_PREFIX}0.jpg", "s3:GetObject") + FUNNEL_COUNTERS
    + on(STATS, "dynamodb:PutItem") + listing(WORK_PREFIX)
    + on(f"{BUCKET}/{WORK_PREFIX}cutout.tiff", "s3:DeleteObject"),
    # steps.fail → refunds.refund_generation.
    "GenerationFail": REFUND + REFUND_BOT_MESSAGE,
    # reconcile.reconcile_execution → refunds.refund_generation.
    "ReconcileGeneration": REFUND + REFUND_BOT_MESSAGE,
}

# --- payments: YooKassa webhook and the sweep (payments/settlement.py) -----------------------
SETTLEMENT = (
    # settlement.find_order (by id, or by the payment's id), flag_order / review, cancel,
    # the crediting and refund transactions (crediting.credit_order_once, _take_back),
    # count_refunded_money's guarded counter transaction.
    on(ORDERS, "dynamodb:GetItem", "dynamodb:UpdateItem")
    + on(index(ORDERS, "payment-index"), "dynamodb:Query")
    + BALANCE_CHANGE + FUNNEL_COUNTERS
    # notify.order_paid: WebSocket order.paid + balance, the bot message, the e-mail (SES).
    + PUSHES + on(SENDER, "ses:SendEmail"))

PAYMENTS = {
    "YookassaWebhook": SETTLEMENT,
    # sweep.sweep_pending_orders: pending orders by status, then settled or expired.
    "PaymentsSweep": SETTLEMENT + on(index(ORDERS, "status-index"), "dynamodb:Query"),
}

# --- the Telegram bot (telegram/updates.py routes every update) ------------------------------
TELEGRAM_WEBHOOK = (
    # updates.process_update: Powertools idempotency record per update_id.
    on(IDEMPOTENCY, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
       "dynamodb:DeleteItem")
    # commands → accounts.sign_in: the account (conditional Put, refresh Update), the
    # sign-up bonus; latest_photo / bot_formats remember the photo and the format.
    + on(USERS, "dynamodb:PutItem") + BALANCE_CHANGE + FUNNEL_COUNTERS
    # challenges.pending_challenge / confirm_link, commands._confirmed_by.
    + on(AUTH_CHALLENGES, "dynamodb:GetItem", "dynamodb:UpdateItem")
    # purchases / stars: the catalogue for /buy, a Stars order (the person's recent pending
    # one by index, else a new one), credited by crediting.credit_order_once; a mismatch is
    # flagged (review.flag_for_review).
    + on(PACKAGES, "dynamodb:GetItem", "dynamodb:Scan")
    + on(ORDERS, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
    + on(index(ORDERS, "user-orders-index"), "dynamodb:Query")
    # photos: the style keyboard (catalogue.list_styles, get_style); albums (a marker item),
    # ratelimit.hit for notes and the generation limit.
    + on(STYLES, "dynamodb:GetItem", "dynamodb:Scan")
    + on(RATE_LIMITS, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
    # generation.create: the charge transaction creates the Generation; eta for its first
    # state; workflow.start; _repeated reads it again.
    + on(GENERATIONS, "dynamodb:PutItem", "dynamodb:GetItem") + on(STATS, "dynamodb:Query")
    + on(STATE_MACHINE, "states:StartExecution")
    # /cancel: photos._running_generation (the newest of the person's generations), then
    # cancel.cancel_generation: the refund, workflow.stop.
    + on(GENERATIONS, "dynamodb:Query") + REFUND + on(EXECUTION, "states:StopExecution")
    + PUSHES
    # photos.store_photo, uploads.load_validated_upload (HEAD/GET, the clean copy, a
    # rejected one deleted), analysis_cache.store, keep_scene, cutout_preview; presigned
    # links to the photo and its cut-out.
    + on(UPLOAD_KEY, "s3:GetObject", "s3:PutObject", "s3:DeleteObject")
    + on(f"{UPLOAD_KEY}.cutout.png", "s3:GetObject", "s3:PutObject"))

WHAT_THE_CODE_DOES: dict[str, list[tuple]] = {
    **GENERATION_STEPS,
    **PAYMENTS,
    "TelegramWebhook": TELEGRAM_WEBHOOK,
    # offline_conversions: paid orders by status, buyers' client ids, the watermark item.
    "MetrikaOfflineConversions": on(index(ORDERS, "status-index"), "dynamodb:Query")
    + on(USERS, "dynamodb:BatchGetItem")
    + on(STATS, "dynamodb:GetItem", "dynamodb:UpdateItem", **{"dynamodb:LeadingKeys": ["meta"]}),
    # auth.sessions.authenticate: the token version, last_active.
    "JwtAuth": on(USERS, "dynamodb:GetItem", "dynamodb:UpdateItem"),
}
OWN_LOG_GROUP = {"YookassaWebhook", "PaymentsSweep", "TelegramWebhook",
                 "MetrikaOfflineConversions"}
NEEDS = {function: needs + SECRETS_READ + logs(function, function in OWN_LOG_GROUP)
         for function, needs in WHAT_THE_CODE_DOES.items()}
ROLES = ("GenerationStepsRole", "YookassaWebhookRole", "PaymentsSweepRole",
         "TelegramWebhookRole", "MetrikaOfflineConversionsRole", "JwtAuthRole")

# What no role of ours may reach: another app's table, bucket, sockets, workflows, secrets.
FOREIGN = ("arn:aws:dynamodb:eu-central-1:123456789012:table/another-app-users",
           "arn:aws:s3:::another-app-bucket/uploads/42/x",
           "arn:aws:execute-api:eu-central-1:123456789012:anotherapi/prod/POST/@connections/x",
           "arn:aws:states:eu-central-1:123456789012:stateMachine:another-app",
           "arn:aws:states:eu-central-1:123456789012:execution:another-app:x",
           "arn:aws:ssm:eu-central-1:123456789012:parameter/another-app/TOKEN",
           "arn:aws:lambda:eu-central-1:123456789012:function:another-app",
           "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/lambda/another-app:log-stream:x")


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> PackagedTemplate:
    return PackagedTemplate(load_packaged(package(tmp_path_factory.mktemp("iam") / "package",
                                                  layers=False)))


def _resolved(template: PackagedTemplate, function: str) -> list[tuple[str, str, dict]]:
    return [(action, template.resolve({"Fn::Sub": resource}), context)
            for action, resource, context in NEEDS[function]]


def _roles(packaged) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for function in NEEDS:
        roles.setdefault(packaged.role_of(function), []).append(function)
    return roles


def test_every_function_with_its_own_role_is_specified_here(packaged):
    own_role = {name for name, properties in packaged.functions().items()
                if properties.get("Role") != {"Fn::GetAtt": ["DefaultRole", "Arn"]}}
    assert own_role == set(NEEDS)
    assert set(_roles(packaged)) == set(ROLES)


@pytest.mark.parametrize("function", sorted(NEEDS))
def test_the_role_may_do_what_the_function_does(packaged, function):
    role = packaged.role_of(function)
    missing = [(action, resource, context) for action, resource, context
               in _resolved(packaged, function)
               if not packaged.allows(role, action, resource, context)]
    assert missing == [], f"{function} ({role}) may not {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_the_role_may_do_nothing_its_functions_do_not(packaged, role):
    functions = _roles(packaged)[role]
    needs = [need for function in functions for need in _resolved(packaged, function)]
    unused = sorted({(grant.action, grant.resource) for grant in packaged.grants(role)
                     if grant.effect == "Allow" and not any(
                         wildcard(grant.action, action, ignore_case=True)
                         and wildcard(grant.resource, resource)
                         and conditions_hold(grant.condition, context)
                         for action, resource, context in needs)})
    assert unused == [], f"{role} grants what none of {functions} does: {unused}"


@pytest.mark.parametrize("role", ROLES)
def test_the_role_reaches_nothing_of_another_stack(packaged, role):
    foreign = sorted({(grant.action, grant.resource) for grant in packaged.grants(role)
                      for arn in FOREIGN if wildcard(grant.resource, arn)})
    assert foreign == [], f"{role} reaches resources of other stacks: {foreign}"


def test_the_state_machine_may_invoke_exactly_its_states(packaged):
    machine = packaged.resources["GenerationStateMachine"]["Properties"]
    definition = json.loads((STATE_MACHINE_DIR / machine["DefinitionUri"].rsplit("/", 1)[-1])
                            .read_text(encoding="utf-8"))

    def tasks(states: dict) -> set[str]:
        found = set()
        for state in states.values():
            if state["Type"] == "Task":
                found.add(state["Resource"])
            for branch in [state.get("ItemProcessor") or state.get("Iterator")] + \
                    state.get("Branches", []):
                found |= tasks(branch["States"]) if branch else set()
        return found

    substitutions = machine["DefinitionSubstitutions"]
    invoked = {substitutions[resource[2:-1]]["Fn::GetAtt"][0]
               for resource in tasks(definition["States"])}
    policies = machine["Policies"]
    assert all(set(policy) == {"LambdaInvokePolicy"} for policy in policies)
    assert {policy["LambdaInvokePolicy"]["FunctionName"]["Ref"] for policy in policies} == invoked
    assert "Role" not in machine  # SAM builds it from these (and X-Ray for Tracing)


def test_failed_executions_reach_reconcile_and_only_it(packaged):
    resources = packaged.resources
    [rule] = [name for name, resource in resources.items()
              if resource["Type"] == "AWS::Events::Rule"
              and resource["Properties"]["EventPattern"].get("source") == ["aws.states"]]
    pattern = resources[rule]["Properties"]["EventPattern"]
    assert pattern["detail"]["stateMachineArn"] == [{"Ref": "GenerationStateMachine"}]
    [target] = resources[rule]["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["ReconcileGeneration", "Arn"]}
    permissions = [resource["Properties"] for resource in resources.values()
                   if resource["Type"] == "AWS::Lambda::Permission"
                   and resource["Properties"]["Principal"] == "events.amazonaws.com"]
    assert permissions == [{"Action": "lambda:InvokeFunction",
                            "FunctionName": {"Ref": "ReconcileGeneration"},
                            "Principal": "events.amazonaws.com",
                            "SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}]
    queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    [queue_policy] = [resource["Properties"] for resource in resources.values()
                      if resource["Type"] == "AWS::SQS::QueuePolicy"
                      and {"Ref": queue} in resource["Properties"]["Queues"]]
    [statement] = queue_policy["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn":
                                                    {"Fn::GetAtt": [rule, "Arn"]}}}


@pytest.mark.parametrize("function", ["PaymentsSweep", "MetrikaOfflineConversions"])
def test_the_scheduled_functions_are_started_by_their_schedule(packaged, function):
    events = packaged.functions()[function].get("Events", {})
    assert [event["Type"] for event in events.values()] == ["Schedule"]
