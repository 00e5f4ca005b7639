"""Deploy Photoshoot to an AWS account: the studio image, the stack, the SPA.

    PYTHONPATH=.:layers python -m infra.deploy --stack photoshoot \\
        --artifacts-bucket <bucket for packaged code> --support-contact @photoshoot_help \\
        [--domain-name photoshoot.ru --certificate-arn arn:aws:acm:us-east-1:…] \\
        [--alarm-email ops@…] [--image-uri <ECR image by digest>] [--yes]

Steps, each safe to run again (docs/deploy.md):
1. the studio image (``infra/lambda/Dockerfile``) is built for linux/amd64 and pushed to ECR
   (its repository is created when missing), then used by digest — or ``--image-uri``;
2. ``infra.package`` builds the template, deployment.zip and the two layers; they are
   uploaded to the artifacts bucket under their content hash and the template names the
   uploaded objects (what ``aws cloudformation package`` does);
3. a change set (create or update) is made with the parameters, listed, and executed once
   confirmed (``--yes``: without asking); the origin secret is read from SSM and passed as
   a NoEcho parameter, never printed;
4. the SPA is built for the site's origin (the custom domain, else the distribution's name,
   known once the stack exists): link previews, robots.txt and sitemap.xml need absolute URLs;
   it goes to the stack's SiteBucket: hashed assets first, index.html last, each with the
   Cache-Control the local front uses; files of earlier builds stay, so a page loaded before
   the deploy still finds its chunks;
5. CloudFront forgets the changed files that are not content-hashed (index.html …);
6. the bot is pointed at ``<PublicBaseUrl>/webhooks/telegram`` and given its profile (menu,
   descriptions, Mini App button) by ``python -m photoshoot.telegram.webhook_setup``, run with
   the production settings — only when PublicBaseUrl is the site's origin (else the webhook
   would be wrong), unless ``--skip-bot-setup``. Its failure makes the deploy exit 1; the
   stack and the site stay deployed (they are done by then).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

from infra import package as packaging
from infra.site_files import HASHED_ASSET_DIRS, INDEX, cache_control, content_type

ROOT = Path(__file__).resolve().parent.parent
SPA_DIR = ROOT / "static_site"
DIST_DIR = SPA_DIR / "dist"
ORIGIN_VARIABLE = "VITE_PUBLIC_ORIGIN"  # static_site/scripts/publicSite.ts
IMAGE_REPOSITORY = "photoshoot-studio"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
# Resource properties that name a local file or directory in the packaged template.
LOCAL_ARTIFACTS = {"AWS::Serverless::Function": "CodeUri",
                   "AWS::Serverless::LayerVersion": "ContentUri",
                   "AWS::Serverless::StateMachine": "DefinitionUri"}

Runner = Callable[..., subprocess.CompletedProcess]


# --- 1. the studio image -------------------------------------------------------------------
def push_studio_image(ecr, run: Runner = subprocess.run, tag: str | None = None) -> str:
    """Build and push the image; returns its URI by digest (a tag can move, a digest not)."""
    try:
        repository = ecr.describe_repositories(repositoryNames=[IMAGE_REPOSITORY])[
            "repositories"][0]
    except ecr.exceptions.RepositoryNotFoundException:
        repository = ecr.create_repository(
            repositoryName=IMAGE_REPOSITORY, imageTagMutability="IMMUTABLE",
            imageScanningConfiguration={"scanOnPush": True})["repository"]
    uri = repository["repositoryUri"]
    tag = tag or time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    auth = ecr.get_authorization_token()["authorizationData"][0]
    user, password = base64.b64decode(auth["authorizationToken"]).decode().split(":", 1)
    run(["docker", "login", "--username", user, "--password-stdin", auth["proxyEndpoint"]],
        input=password, text=True, check=True)
    run(["docker", "build", "--platform", "linux/amd64", "--provenance=false",
         "-f", str(ROOT / "infra" / "lambda" / "Dockerfile"), "-t", f"{uri}:{tag}", str(ROOT)],
        check=True)
    run(["docker", "push", f"{uri}:{tag}"], check=True)
    digest = ecr.describe_images(repositoryName=IMAGE_REPOSITORY,
                                 imageIds=[{"imageTag": tag}])["imageDetails"][0]["imageDigest"]
    return f"{uri}@{digest}"


# --- 2. the package and its artifacts --------------------------------------------------------
def _zip_directory(directory: Path) -> bytes:
    """A deterministic zip (sorted names, fixed times): unchanged content, unchanged hash,
    so an unchanged layer is not published again."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(directory).as_posix(),
                                       date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = (0o755 if path.stat().st_mode & 0o111 else 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def upload_artifacts(s3, template: dict, package_dir: Path, bucket: str,
                     prefix: str = "photoshoot") -> dict:
    """Upload every local file/directory the template names and point the template at the
    uploaded objects. Keys are content hashes: re-uploading the same bytes changes nothing."""
    uploaded: dict[str, dict] = {}
    for resource in template["Resources"].values():
        key_name = LOCAL_ARTIFACTS.get(resource.get("Type"))
        properties = resource.get("Properties") or {}
        local = properties.get(key_name) if key_name else None
        if not isinstance(local, str) or local.startswith("s3://"):
            continue
        if local not in uploaded:
            path = (package_dir / local).resolve()
            body = _zip_directory(path) if path.is_dir() else path.read_bytes()
            suffix = ".zip" if path.is_dir() else path.suffix
            key = f"{prefix}/{hashlib.sha256(body).hexdigest()}{suffix}"
            s3.put_object(Bucket=bucket, Key=key, Body=body)
            uploaded[local] = {"Bucket": bucket, "Key": key}
        properties[key_name] = dict(uploaded[local])
    return template


def build_template(bucket: str, s3, out_dir: Path) -> str:
    packaged = packaging.package(out_dir)
    template = upload_artifacts(s3, packaging.load_packaged(packaged), out_dir, bucket)
    body = json.dumps(template, ensure_ascii=False)
    key = f"photoshoot/templates/{hashlib.sha256(body.encode()).hexdigest()}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode())
    # The regional form: CloudFormation reads it whatever the bucket's region.
    return f"https://{bucket}.s3.{s3.meta.region_name}.amazonaws.com/{key}"


# --- 3. the stack --------------------------------------------------------------------------
def origin_secret(ssm, secrets_path: str) -> str:
    name = f"{secrets_path.rstrip('/')}/CLOUDFRONT_ORIGIN_SECRET"
    try:
        value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        raise SystemExit(f"{name} is missing: put a random value of 32+ characters there "
                         "(docs/deploy.md)") from None
    if len(value) < 32:
        raise SystemExit(f"{name} is shorter than 32 characters")
    return value


def stack_parameters(args: argparse.Namespace, image_uri: str, secret: str) -> list[dict]:
    public_url = args.public_base_url or (f"https://{args.domain_name}"
                                          if args.domain_name else "")
    if not public_url:
        raise SystemExit("give --domain-name (with --certificate-arn) or --public-base-url")
    values = {"StudioImageUri": image_uri, "OriginVerifySecret": secret,
              "PublicBaseUrl": public_url, "SupportContact": args.support_contact,
              "SecretsPath": args.secrets_path, "DomainName": args.domain_name or "",
              "CertificateArn": args.certificate_arn or "", "AlarmEmail": args.alarm_email or ""}
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def _stack_exists(cloudformation, stack: str) -> bool:
    try:
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except cloudformation.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return False
        raise
    if status == "ROLLBACK_COMPLETE":  # CloudFormation can only delete such a stack
        raise SystemExit(f"The first creation of {stack} failed and was rolled back: see its "
                         "events, delete it (aws cloudformation delete-stack --stack-name "
                         f"{stack}) and deploy again.")
    return status != "REVIEW_IN_PROGRESS"


def deploy_stack(cloudformation, stack: str, template_url: str, parameters: list[dict],
                 confirm: Callable[[list[dict]], bool]) -> dict[str, str]:
    """Make, show and execute a change set; returns the stack's outputs."""
    change_type = "UPDATE" if _stack_exists(cloudformation, stack) else "CREATE"
    name = f"deploy-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
    cloudformation.create_change_set(StackName=stack, ChangeSetName=name,
                                     ChangeSetType=change_type, TemplateURL=template_url,
                                     Parameters=parameters, Capabilities=CAPABILITIES)
    try:
        cloudformation.get_waiter("change_set_create_complete").wait(
            StackName=stack, ChangeSetName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 120})
    except Exception:  # noqa: BLE001 - "no changes" ends the waiter in FAILED
        described = cloudformation.describe_change_set(StackName=stack, ChangeSetName=name)
        if "didn't contain changes" in described.get("StatusReason", "") or \
                "No updates" in described.get("StatusReason", ""):
            cloudformation.delete_change_set(StackName=stack, ChangeSetName=name)
            return _outputs(cloudformation, stack)
        raise SystemExit(f"change set failed: {described.get('StatusReason')}") from None
    changes = cloudformation.describe_change_set(StackName=stack, ChangeSetName=name)["Changes"]
    if not confirm(changes):
        cloudformation.delete_change_set(StackName=stack, ChangeSetName=name)
        raise SystemExit("not deployed")
    cloudformation.execute_change_set(StackName=stack, ChangeSetName=name)
    waiter = "stack_create_complete" if change_type == "CREATE" else "stack_update_complete"
    cloudformation.get_waiter(waiter).wait(StackName=stack,
                                           WaiterConfig={"Delay": 10, "MaxAttempts": 360})
    return _outputs(cloudformation, stack)


def _outputs(cloudformation, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"]
            for output in described.get("Outputs", [])}


# --- 4. and 5. the SPA ---------------------------------------------------------------------
def site_origin(domain_name: str | None, outputs: dict[str, str]) -> str:
    """Where visitors open the site: the custom domain, else the distribution's own name,
    which exists only once the stack does (so the SPA is built after the stack)."""
    host = domain_name or outputs.get("DistributionDomainName")
    if not host:
        raise SystemExit("the stack has no DistributionDomainName output: cannot tell the "
                         "site's origin")
    return f"https://{host.lower().rstrip('.')}"


def build_site(origin: str, out_dir: Path, run: Runner = subprocess.run) -> Path:
    """Build the SPA for ``origin`` into ``out_dir`` (not static_site/dist, which the local
    front serves with the local origin)."""
    run(["npm", "--prefix", str(SPA_DIR), "run", "build", "--",
         "--outDir", str(out_dir), "--emptyOutDir"],
        check=True, env={**os.environ, ORIGIN_VARIABLE: origin})
    if not (out_dir / INDEX).is_file():
        raise SystemExit(f"the SPA build left no {out_dir / INDEX}")
    return out_dir


def _md5_etag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def upload_site(s3, bucket: str, dist_dir: Path = DIST_DIR) -> list[str]:
    """Upload the built SPA; returns the paths whose content changed. Hashed assets go
    first and index.html last: a visitor never gets an index naming a file not there yet."""
    if not (dist_dir / INDEX).is_file():
        raise SystemExit(f"{dist_dir / INDEX} is missing: build the SPA first (make spa)")
    files = sorted((path.relative_to(dist_dir).as_posix() for path in dist_dir.rglob("*")
                    if path.is_file()),
                   key=lambda relative: (relative == INDEX,
                                         not relative.startswith(HASHED_ASSET_DIRS), relative))
    changed = []
    for relative in files:
        body = (dist_dir / relative).read_bytes()
        try:
            if s3.head_object(Bucket=bucket, Key=relative)["ETag"] == _md5_etag(body):
                continue
        except s3.exceptions.ClientError as error:
            if error.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
                raise
        s3.put_object(Bucket=bucket, Key=relative, Body=body,
                      ContentType=content_type(relative),
                      CacheControl=cache_control(relative))
        changed.append(relative)
    return changed


def invalidate(cloudfront, distribution_id: str, changed: list[str]) -> str | None:
    """Ask CloudFront to forget the changed files it may hold; hashed assets are new names.
    index.html is also served for "/" and every client route, hence "/*" when it changed."""
    paths = sorted({"/*" if relative == INDEX else f"/{relative}" for relative in changed
                    if not relative.startswith(HASHED_ASSET_DIRS)})
    if "/*" in paths:
        paths = ["/*"]
    if not paths:
        return None
    answer = cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
        "Paths": {"Quantity": len(paths), "Items": paths},
        "CallerReference": f"deploy-{time.time_ns()}"})
    return answer["Invalidation"]["Id"]


def publish_site(s3, cloudfront, outputs: dict[str, str], domain_name: str | None,
                 out_dir: Path, run: Runner = subprocess.run) -> dict:
    """Steps 4 and 5, once the stack exists: build for its origin, upload, invalidate."""
    origin = site_origin(domain_name, outputs)
    changed = upload_site(s3, outputs["SiteBucketName"], build_site(origin, out_dir, run))
    invalidation = invalidate(cloudfront, outputs["DistributionId"], changed)
    return {"origin": origin, "site_files_changed": len(changed), "invalidation": invalidation}


# --- 6. the bot ------------------------------------------------------------------------------
BOT_SETUP_MODULE = "photoshoot.telegram.webhook_setup"
BOT_SETUP_TIMEOUT_S = 300
# Where the functions reach Telegram (settings' default outside the local stage).
TELEGRAM_API_BASE = "https://api.telegram.org"
# What the setup may take from this shell besides what it is given: how this machine reaches
# AWS and Telegram. Nothing else — a local .env loaded in the shell must not make the
# production bot's settings the local ones.
BOT_SETUP_INHERITED = ("PATH", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy",
                       "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "AWS_ENDPOINT_URL",
                       "AWS_ENDPOINT_URL_SSM")


def bot_setup_skipped(public_url: str, origin: str, skip: bool) -> str | None:
    """Why the bot must not be set up now, or None."""
    if skip:
        return f"--skip-bot-setup: run python -m {BOT_SETUP_MODULE} later (docs/deploy.md)"
    if public_url.rstrip("/") != origin:
        return (f"the webhook would be {public_url.rstrip('/')}/webhooks/telegram, not on the "
                f"site {origin}")
    return None


def websocket_endpoints(cloudformation, stack: str, region: str) -> tuple[str, str]:
    """The functions' WS_MANAGEMENT_ENDPOINT and WS_PUBLIC_URL (template.yaml's Globals):
    the setup loads the functions' settings, which refuse to load without them."""
    api = cloudformation.describe_stack_resource(
        StackName=stack, LogicalResourceId="WebsocketAPI")["StackResourceDetail"][
        "PhysicalResourceId"]
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    host = f"{api}.execute-api.{region}.{suffix}"
    return f"https://{host}/api", f"wss://{host}/api"


def bot_setup_environment(session, *, public_url: str, secrets_path: str,
                          support_contact: str, websocket: tuple[str, str]) -> dict[str, str]:
    """The settings the bot function runs with, for a process of its own: the settings module
    reads only its environment and SSM (through the default AWS session), so the deploy's
    session goes in as its credentials. The secrets stay in SSM: the setup reads them."""
    credentials = session.get_credentials()
    if credentials is None:
        raise RuntimeError("the deploy's AWS session has no credentials to pass on")
    frozen = credentials.get_frozen_credentials()
    env = {name: os.environ[name] for name in BOT_SETUP_INHERITED if name in os.environ}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers")]),
        "PYTHONUTF8": "1",
        "STAGE": packaging.STAGE,
        "AWS_REGION": session.region_name, "AWS_DEFAULT_REGION": session.region_name,
        "AWS_ACCESS_KEY_ID": frozen.access_key, "AWS_SECRET_ACCESS_KEY": frozen.secret_key,
        "SECRETS_PARAMETER_PATH": secrets_path,
        "PUBLIC_BASE_URL": public_url.rstrip("/"),
        "SUPPORT_CONTACT": support_contact,
        "WS_MANAGEMENT_ENDPOINT": websocket[0], "WS_PUBLIC_URL": websocket[1],
        "TELEGRAM_API_BASE": TELEGRAM_API_BASE,
    })
    if frozen.token:
        env["AWS_SESSION_TOKEN"] = frozen.token
    return env


def set_up_bot(session, stack: str, *, public_url: str, secrets_path: str,
               support_contact: str, run: Runner = subprocess.run) -> bool:
    """Step 6: the webhook and the profile; True when both are set. The setup prints its own
    JSON line and Telegram's refusals, never the token or the secret."""
    try:
        websocket = websocket_endpoints(session.client("cloudformation"), stack,
                                        session.region_name)
        env = bot_setup_environment(session, public_url=public_url, secrets_path=secrets_path,
                                    support_contact=support_contact, websocket=websocket)
    except Exception as error:  # noqa: BLE001 - reported as the step's failure below
        print(f"bot setup: cannot prepare its settings: {type(error).__name__}: {error}",
              file=sys.stderr)
        return False
    sys.stdout.flush()  # our lines before the setup's, which shares the terminal
    try:
        done = run([sys.executable, "-m", BOT_SETUP_MODULE], cwd=str(ROOT), env=env,
                   timeout=BOT_SETUP_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        print(f"bot setup: no answer in {BOT_SETUP_TIMEOUT_S} s", file=sys.stderr)
        return False
    return done.returncode == 0


# --- the command -----------------------------------------------------------------------------
def _confirm_interactively(changes: list[dict]) -> bool:
    for change in changes:
        resource = change.get("ResourceChange", {})
        print(f"  {resource.get('Action', '?'):8} {resource.get('LogicalResourceId')} "
              f"({resource.get('ResourceType')})"
              + (" REPLACEMENT" if resource.get("Replacement") == "True" else ""))
    return input("Execute this change set? [y/N] ").strip().lower() == "y"


def main(argv: list[str] | None = None) -> int:
    import boto3  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="photoshoot")
    parser.add_argument("--region", default="eu-central-1")
    parser.add_argument("--artifacts-bucket", required=True)
    parser.add_argument("--support-contact", required=True)
    parser.add_argument("--secrets-path", default="/photoshoot/prod")
    parser.add_argument("--domain-name")
    parser.add_argument("--certificate-arn")
    parser.add_argument("--public-base-url")
    parser.add_argument("--alarm-email")
    parser.add_argument("--image-uri", help="a studio image already in ECR (skips the build)")
    parser.add_argument("--yes", action="store_true", help="execute the change set unasked")
    parser.add_argument("--skip-bot-setup", action="store_true",
                        help="leave the bot's webhook and profile as they are")
    args = parser.parse_args(argv)
    if args.domain_name and not args.certificate_arn:
        parser.error("--domain-name needs --certificate-arn (ACM, us-east-1)")
    session = boto3.Session(region_name=args.region)
    s3 = session.client("s3")
    image_uri = args.image_uri or push_studio_image(session.client("ecr"))
    print(f"studio image: {image_uri}")
    parameters = stack_parameters(args, image_uri,
                                  origin_secret(session.client("ssm"), args.secrets_path))
    out_dir = ROOT / "build" / "deploy"
    template_url = build_template(args.artifacts_bucket, s3, out_dir)
    outputs = deploy_stack(session.client("cloudformation"), args.stack, template_url,
                           parameters, (lambda _: True) if args.yes else _confirm_interactively)
    site = publish_site(s3, session.client("cloudfront"), outputs, args.domain_name,
                        out_dir / "site")
    public_url = next(p["ParameterValue"] for p in parameters
                      if p["ParameterKey"] == "PublicBaseUrl")
    if public_url.rstrip("/") != site["origin"]:  # the first run without a domain
        print(f"note: PublicBaseUrl is {public_url} but the site is {site['origin']}: deploy "
              f"again with --public-base-url {site['origin']} (the API's CORS and the bot's "
              "links use it)")
    print(json.dumps({"stack": args.stack, **site,
                      "distribution": outputs.get("DistributionDomainName")}))
    shutil.rmtree(out_dir, ignore_errors=True)
    skipped = bot_setup_skipped(public_url, site["origin"], args.skip_bot_setup)
    if skipped:
        print(f"bot setup skipped: {skipped}")
        return 0
    if not set_up_bot(session, args.stack, public_url=public_url,
                      secrets_path=args.secrets_path, support_contact=args.support_contact):
        print(f"error: the stack and the site are deployed, but the bot's webhook or profile "
              f"is not set (see above). Fix it, then deploy again or run python -m "
              f"{BOT_SETUP_MODULE} with the production settings (docs/deploy.md).",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
