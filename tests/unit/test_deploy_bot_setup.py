"""infra/deploy.py's last step: once the stack and the site are up, the bot is pointed at the
site's webhook and given its profile, with the production settings — the secrets read from
SSM under --secrets-path by the deploy's AWS session (a moto server, so that the setup's own
process reaches it too) — against the Telegram sandbox over real HTTP. Only the image build,
the packaging, the SAM stack and `npm run build` are stood in for."""
from __future__ import annotations

import json
import socket

import boto3
import pytest
from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer

from infra import deploy
from photoshoot.settings import reset_settings_cache
from tests.unit.telegram.sandbox_server import SandboxServer
from tests.unit.test_deploy import REGION, _bucket, _distribution
from tests.unit.test_deploy_public_site import _vite

SECRETS = "/photoshoot/prod"
TOKEN = "424242:TOKEN-FROM-SSM-NOT-FOR-LOGS"
WEBHOOK_SECRET = "webhook-secret-from-ssm-not-for-logs"
ORIGIN_SECRET = "origin-secret-from-ssm-not-for-logs-0123456789"
SITE = "https://d111abc.cloudfront.net"
BOT_API_PREFIX = "/telegram-bot-api"  # not /sandbox/: production settings refuse that
# A resource moto can create standing for Chalice's WebSocket API: only its id is read.
STACK_TEMPLATE = {"Resources": {"WebsocketAPI": {"Type": "AWS::S3::Bucket",
                                                 "Properties": {"BucketName": "wsapi42"}}}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def aws(monkeypatch):
    """A moto server, named by AWS_ENDPOINT_URL for the deploy and the setup it starts."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    try:
        yield boto3.Session(region_name=REGION)
    finally:
        server.stop()
        moto_api_backend.reset()  # the server's backends are moto's global ones


class BotApiServer(SandboxServer):
    """The sandbox where a Bot API of one's own would be (no "/sandbox/" in the URL)."""

    def __init__(self) -> None:
        super().__init__()
        self.api_base = f"{self.base_url}{BOT_API_PREFIX}"

    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(BOT_API_PREFIX):
            return super()._app(environ, start_response)
        environ = {**environ, "SCRIPT_NAME": BOT_API_PREFIX,
                   "PATH_INFO": path[len(BOT_API_PREFIX):] or "/"}
        return self.sandbox(environ, start_response)


@pytest.fixture
def telegram(monkeypatch):
    """The sandbox knows the bot by TOKEN (this process's settings); the setup gets it only
    from SSM — its environment is the deploy's own, not this shell's."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    reset_settings_cache()
    served = BotApiServer()
    monkeypatch.setattr(deploy, "TELEGRAM_API_BASE", served.api_base)
    yield served
    served.server.shutdown()
    reset_settings_cache()


def _put_secrets(session, token: str = TOKEN) -> None:
    ssm = session.client("ssm")
    for name, value in (("JWT_SECRET", "j" * 40), ("TELEGRAM_BOT_TOKEN", token),
                        ("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
                        ("YOOKASSA_SHOP_ID", "100500"), ("YOOKASSA_SECRET_KEY", "live_key_x"),
                        ("CLOUDFRONT_ORIGIN_SECRET", ORIGIN_SECRET)):
        ssm.put_parameter(Name=f"{SECRETS}/{name}", Value=value, Type="SecureString")


@pytest.fixture
def deployable(aws, monkeypatch):
    """Everything before the bot, on moto: the site's bucket and distribution, a stack."""
    _bucket(aws, "site")
    distribution_id = _distribution(aws)
    published = []

    def deploy_stack(cloudformation, stack, template_url, parameters, confirm):
        cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps(STACK_TEMPLATE))
        return {"SiteBucketName": "site", "DistributionId": distribution_id,
                "DistributionDomainName": SITE.removeprefix("https://")}

    monkeypatch.setattr(deploy, "build_template", lambda bucket, s3, out_dir: "https://t")
    monkeypatch.setattr(deploy, "deploy_stack", deploy_stack)
    build_site, vite = deploy.build_site, _vite(published)
    monkeypatch.setattr(deploy, "build_site",
                        lambda origin, out_dir, run: build_site(origin, out_dir, vite))
    return published


def _deploy(*extra: str) -> int:
    return deploy.main(["--region", REGION, "--artifacts-bucket", "artifacts",
                        "--support-contact", "@photoshoot_help", "--secrets-path", SECRETS,
                        "--image-uri", "studio@sha256:abc", "--yes", *extra])


def _site_is_published(session) -> bool:
    index = session.client("s3").get_object(Bucket="site", Key="index.html")["Body"].read()
    return f'content="{SITE}/"'.encode() in index


def _no_secret_in(text: str) -> None:
    for secret in (TOKEN, WEBHOOK_SECRET, ORIGIN_SECRET, "NOT-FOR-LOGS", "not-for-logs"):
        assert secret not in text


def test_the_deploy_ends_by_pointing_the_bot_at_the_site_with_the_token_from_ssm(
        aws, telegram, deployable, capfd):
    _put_secrets(aws)
    assert _deploy("--public-base-url", SITE) == 0
    out, err = capfd.readouterr()
    [webhook] = telegram.calls("setWebhook")
    assert webhook["params"]["url"] == f"{SITE}/webhooks/telegram"
    assert webhook["params"]["secret_token"] == WEBHOOK_SECRET
    profile = telegram.profile()
    assert profile["menu_button"] == {"type": "web_app", "text": "Открыть сайт",
                                      "web_app": {"url": SITE}}
    assert [entry["language_code"] for entry in profile["commands"]] == ["", "ru"]
    assert profile["descriptions"]["ru"] and profile["short_descriptions"]["ru"]
    # the setup's own line comes after the deploy's summary: the stack and site were done
    lines = out.strip().splitlines()
    assert json.loads(lines[-2])["origin"] == SITE
    setup = json.loads(lines[-1])
    assert setup["webhook"]["url"] == f"{SITE}/webhooks/telegram"
    assert setup["profile"]["menu_button"] == "updated"
    _no_secret_in(out + err)


def test_no_bot_setup_while_the_public_url_is_not_the_site(aws, telegram, deployable, capfd):
    _put_secrets(aws)
    assert _deploy("--public-base-url", "https://placeholder.example") == 0
    out, err = capfd.readouterr()
    assert "bot setup skipped: the webhook would be https://placeholder.example/webhooks/" \
        f"telegram, not on the site {SITE}" in out
    assert telegram.calls() == []
    assert _site_is_published(aws)
    _no_secret_in(out + err)


def test_no_bot_setup_when_asked(aws, telegram, deployable, capfd):
    _put_secrets(aws)
    assert _deploy("--public-base-url", SITE, "--skip-bot-setup") == 0
    out, _ = capfd.readouterr()
    assert "bot setup skipped: --skip-bot-setup" in out
    assert telegram.calls() == []


def test_a_refused_set_webhook_fails_the_deploy_after_the_site_is_published(
        aws, telegram, deployable, capfd):
    wrong = "987654:WRONG-TOKEN-NOT-FOR-LOGS"
    _put_secrets(aws, token=wrong)  # this shell's right token must not reach the setup
    assert _deploy("--public-base-url", SITE) == 1
    out, err = capfd.readouterr()
    assert "setWebhook failed: setWebhook: 401 Unauthorized" in err
    assert "the stack and the site are deployed, but the bot's webhook or profile is not " \
        "set" in err
    assert _site_is_published(aws)
    assert json.loads(out.strip().splitlines()[-2])["invalidation"]
    assert telegram.profile()["menu_button"] == {"type": "commands"}  # nothing was set
    _no_secret_in(out + err)
    assert wrong not in out + err and "WRONG-TOKEN" not in out + err


def test_settings_the_bot_cannot_run_with_fail_the_deploy_by_name(
        aws, telegram, deployable, capfd):
    _put_secrets(aws)
    aws.client("ssm").delete_parameter(Name=f"{SECRETS}/TELEGRAM_WEBHOOK_SECRET")
    assert _deploy("--public-base-url", SITE) == 1
    out, err = capfd.readouterr()
    assert "settings: refusing to start: TELEGRAM_WEBHOOK_SECRET is not set" in err
    assert "Traceback" not in err
    assert telegram.calls() == [] and _site_is_published(aws)
    _no_secret_in(out + err)


def test_the_setup_gets_the_functions_settings_and_the_deploys_session_not_this_shell(
        aws, monkeypatch):
    cloudformation = aws.client("cloudformation")
    cloudformation.create_stack(StackName="photoshoot", TemplateBody=json.dumps(STACK_TEMPLATE))
    websocket = deploy.websocket_endpoints(cloudformation, "photoshoot", REGION)
    assert websocket == (f"https://wsapi42.execute-api.{REGION}.amazonaws.com/api",
                         f"wss://wsapi42.execute-api.{REGION}.amazonaws.com/api")
    session = boto3.Session(aws_access_key_id="AKIADEPLOY", aws_secret_access_key="deploy-key",
                            region_name=REGION)
    for name, value in (("STAGE", "local"), ("TELEGRAM_BOT_TOKEN", TOKEN),
                        ("TELEGRAM_API_BASE", "http://localhost:8000/sandbox/telegram"),
                        ("TELEGRAM_LOGIN_SANDBOX", "true"), ("AWS_PROFILE", "someone-else")):
        monkeypatch.setenv(name, value)  # a local .env loaded in the deploying shell
    env = deploy.bot_setup_environment(session, public_url=f"{SITE}/", secrets_path=SECRETS,
                                       support_contact="@help", websocket=websocket)
    assert env["STAGE"] == "prod" and env["SECRETS_PARAMETER_PATH"] == SECRETS
    assert env["PUBLIC_BASE_URL"] == SITE and env["AWS_DEFAULT_REGION"] == REGION
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("AKIADEPLOY",
                                                                        "deploy-key")
    assert env["TELEGRAM_API_BASE"] == "https://api.telegram.org"
    assert env["AWS_ENDPOINT_URL"]  # how this machine reaches AWS is kept
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_LOGIN_SANDBOX", "AWS_PROFILE",
                 "AWS_SESSION_TOKEN"):
        assert name not in env
