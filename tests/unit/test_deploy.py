"""infra/deploy.py against moto: artifacts, the stack's change set, the SPA upload, the
invalidation, the image push (Docker itself replaced by a recorder of its command lines)."""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import zipfile

import boto3
import pytest
from moto import mock_aws

from infra import deploy
from infra.site_files import cache_control

REGION = "eu-central-1"


@pytest.fixture
def aws(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<script src="/assets/index-aaa.js"></script>')
    (root / "assets" / "index-aaa.js").write_text("console.log(1)")
    (root / "assets" / "index-aaa.css").write_text("body{}")
    (root / "favicon.svg").write_text("<svg/>")
    (root / "robots.txt").write_text("User-agent: *")
    return root


def _bucket(session, name="site"):
    s3 = session.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


class RecordingS3:
    """The moto client, with the order of uploads written down."""

    def __init__(self, client):
        self.client, self.puts = client, []
        self.exceptions = client.exceptions

    def put_object(self, **kwargs):
        self.puts.append(kwargs["Key"])
        return self.client.put_object(**kwargs)

    def head_object(self, **kwargs):
        return self.client.head_object(**kwargs)


def test_the_spa_goes_up_assets_first_index_last_with_the_local_fronts_headers(aws, dist):
    s3 = RecordingS3(_bucket(aws))
    changed = deploy.upload_site(s3, "site", dist)
    assert set(changed) == {"index.html", "assets/index-aaa.js", "assets/index-aaa.css",
                            "favicon.svg", "robots.txt"}
    assert s3.puts[:2] == ["assets/index-aaa.css", "assets/index-aaa.js"]
    assert s3.puts[-1] == "index.html"
    for key, kind in (("index.html", "text/html; charset=utf-8"),
                      ("assets/index-aaa.js", "text/javascript; charset=utf-8"),
                      ("assets/index-aaa.css", "text/css; charset=utf-8"),
                      ("favicon.svg", "image/svg+xml")):
        head = s3.client.head_object(Bucket="site", Key=key)
        assert head["ContentType"] == kind
        assert head["CacheControl"] == cache_control(key)
    assert s3.client.head_object(Bucket="site", Key="index.html")["CacheControl"] == "no-cache"
    assert "immutable" in s3.client.head_object(Bucket="site",
                                                Key="assets/index-aaa.js")["CacheControl"]


def test_a_second_upload_sends_only_what_changed_and_keeps_the_old_chunks(aws, dist):
    s3 = RecordingS3(_bucket(aws))
    deploy.upload_site(s3, "site", dist)
    assert deploy.upload_site(s3, "site", dist) == []
    (dist / "assets" / "index-aaa.js").unlink()
    (dist / "assets" / "index-bbb.js").write_text("console.log(2)")
    (dist / "index.html").write_text('<script src="/assets/index-bbb.js"></script>')
    assert deploy.upload_site(s3, "site", dist) == ["assets/index-bbb.js", "index.html"]
    # a page loaded before the deploy still finds its chunk
    assert s3.client.get_object(Bucket="site", Key="assets/index-aaa.js")["Body"].read()


def test_no_upload_without_a_built_spa(aws, tmp_path):
    with pytest.raises(SystemExit, match="build the SPA first"):
        deploy.upload_site(_bucket(aws), "site", tmp_path)


def _distribution(session) -> str:
    return session.client("cloudfront").create_distribution(DistributionConfig={
        "CallerReference": "test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "site", "DomainName": "site.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site",
                                 "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}},
    )["Distribution"]["Id"]


def _invalidated_paths(session, distribution_id, invalidation_id):
    return session.client("cloudfront").get_invalidation(
        DistributionId=distribution_id, Id=invalidation_id)["Invalidation"][
        "InvalidationBatch"]["Paths"]["Items"]


def test_cloudfront_forgets_only_the_changed_files_that_keep_their_name(aws):
    cloudfront = aws.client("cloudfront")
    distribution_id = _distribution(aws)
    assert deploy.invalidate(cloudfront, distribution_id, ["assets/index-bbb.js"]) is None
    assert deploy.invalidate(cloudfront, distribution_id, []) is None
    only_robots = deploy.invalidate(cloudfront, distribution_id,
                                    ["assets/index-bbb.js", "robots.txt"])
    assert _invalidated_paths(aws, distribution_id, only_robots) == ["/robots.txt"]
    # index.html is also "/" and every client route
    with_index = deploy.invalidate(cloudfront, distribution_id, ["robots.txt", "index.html"])
    assert _invalidated_paths(aws, distribution_id, with_index) == ["/*"]


def _packaged_tree(tmp_path):
    root = tmp_path / "package"
    (root / "layers" / "deps" / "python" / "lib").mkdir(parents=True)
    (root / "layers" / "deps" / "python" / "lib" / "__init__.py").write_text("X = 1\n")
    (root / "statemachine").mkdir()
    (root / "statemachine" / "generation.asl.json").write_text('{"StartAt": "A"}')
    (root / "deployment.zip").write_bytes(b"PK-code")
    template = {"Resources": {
        "A": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "B": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "./deployment.zip"}},
        "Image": {"Type": "AWS::Serverless::Function",
                  "Properties": {"PackageType": "Image", "ImageUri": {"Ref": "StudioImageUri"}}},
        "Deps": {"Type": "AWS::Serverless::LayerVersion",
                 "Properties": {"ContentUri": "./layers/deps"}},
        "Machine": {"Type": "AWS::Serverless::StateMachine",
                    "Properties": {"DefinitionUri": "./statemachine/generation.asl.json"}}}}
    return root, template


def test_the_template_names_uploaded_objects_keyed_by_their_content(aws, tmp_path):
    s3 = _bucket(aws, "artifacts")
    root, template = _packaged_tree(tmp_path)
    deploy.upload_artifacts(s3, template, root, "artifacts")
    resources = template["Resources"]
    code = resources["A"]["Properties"]["CodeUri"]
    assert code == resources["B"]["Properties"]["CodeUri"]  # one upload for both
    assert code["Key"] == f"photoshoot/{hashlib.sha256(b'PK-code').hexdigest()}.zip"
    assert s3.get_object(Bucket="artifacts", Key=code["Key"])["Body"].read() == b"PK-code"
    layer = resources["Deps"]["Properties"]["ContentUri"]
    with zipfile.ZipFile(io.BytesIO(s3.get_object(**layer)["Body"].read())) as archive:
        assert archive.namelist() == ["python/lib/__init__.py"]  # Lambda's layer layout
    machine = resources["Machine"]["Properties"]["DefinitionUri"]
    assert s3.get_object(**machine)["Body"].read() == b'{"StartAt": "A"}'
    assert "CodeUri" not in resources["Image"]["Properties"]
    # the same content again: the same keys (an unchanged layer is not a new version)
    _, again = _packaged_tree(tmp_path / "again")
    deploy.upload_artifacts(s3, again, root, "artifacts")
    assert again["Resources"]["Deps"]["Properties"]["ContentUri"] == layer


def test_the_template_is_uploaded_and_named_by_its_regional_url(aws, tmp_path, monkeypatch):
    s3 = _bucket(aws, "artifacts")
    root, template = _packaged_tree(tmp_path)
    monkeypatch.setattr(deploy.packaging, "package", lambda out_dir: out_dir / "sam.yaml")
    monkeypatch.setattr(deploy.packaging, "load_packaged", lambda path: template)
    url = deploy.build_template("artifacts", s3, root)
    prefix = f"https://artifacts.s3.{REGION}.amazonaws.com/"
    assert url.startswith(prefix)
    stored = json.loads(s3.get_object(Bucket="artifacts", Key=url[len(prefix):])["Body"].read())
    assert stored["Resources"]["A"]["Properties"]["CodeUri"]["Bucket"] == "artifacts"


def test_the_origin_secret_comes_from_ssm_and_must_be_long(aws):
    ssm = aws.client("ssm")
    with pytest.raises(SystemExit, match="CLOUDFRONT_ORIGIN_SECRET is missing"):
        deploy.origin_secret(ssm, "/photoshoot/prod")
    ssm.put_parameter(Name="/photoshoot/prod/CLOUDFRONT_ORIGIN_SECRET", Value="short",
                      Type="SecureString")
    with pytest.raises(SystemExit, match="shorter than 32"):
        deploy.origin_secret(ssm, "/photoshoot/prod/")
    ssm.put_parameter(Name="/photoshoot/prod/CLOUDFRONT_ORIGIN_SECRET", Value="s" * 40,
                      Type="SecureString", Overwrite=True)
    assert deploy.origin_secret(ssm, "/photoshoot/prod") == "s" * 40


def _args(**overrides):
    values = {"public_base_url": None, "domain_name": "photoshoot.example.ru",
              "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x",
              "support_contact": "@help", "secrets_path": "/photoshoot/prod",
              "alarm_email": None}
    return argparse.Namespace(**{**values, **overrides})


def test_the_public_url_follows_the_domain_or_must_be_given():
    parameters = {item["ParameterKey"]: item["ParameterValue"]
                  for item in deploy.stack_parameters(_args(), "img", "s" * 40)}
    assert parameters["PublicBaseUrl"] == "https://photoshoot.example.ru"
    assert parameters["OriginVerifySecret"] == "s" * 40
    assert parameters["StudioImageUri"] == "img"
    with pytest.raises(SystemExit, match="--domain-name"):
        deploy.stack_parameters(_args(domain_name=None), "img", "s" * 40)


# A plain template moto can create (it cannot run the SAM transform): the change-set flow is
# the same for any template.
PLAIN_TEMPLATE = {"Parameters": {"Name": {"Type": "String"}},
                  "Resources": {"Site": {"Type": "AWS::S3::Bucket",
                                         "Properties": {"BucketName": {"Ref": "Name"}}}},
                  "Outputs": {"SiteBucketName": {"Value": {"Ref": "Site"}}}}


def _template_url(session) -> str:
    s3 = _bucket(session, "artifacts")
    s3.put_object(Bucket="artifacts", Key="t.json", Body=json.dumps(PLAIN_TEMPLATE).encode())
    return "https://artifacts.s3.amazonaws.com/t.json"


def _buckets(session) -> set[str]:
    return {bucket["Name"] for bucket in session.client("s3").list_buckets()["Buckets"]}


def test_a_stack_is_created_then_updated_through_change_sets(aws):
    # moto applies executed change sets but leaves Outputs empty: the buckets tell instead.
    cloudformation = aws.client("cloudformation")
    url = _template_url(aws)
    seen = []
    deploy.deploy_stack(cloudformation, "photoshoot", url,
                        [{"ParameterKey": "Name", "ParameterValue": "site-one"}],
                        lambda changes: seen.append(changes) or True)
    assert "site-one" in _buckets(aws)
    assert seen and seen[0][0]["ResourceChange"]["Action"] == "Add"
    deploy.deploy_stack(cloudformation, "photoshoot", url,
                        [{"ParameterKey": "Name", "ParameterValue": "site-two"}],
                        lambda changes: True)
    assert "site-two" in _buckets(aws)
    stack = cloudformation.describe_stacks(StackName="photoshoot")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"


def test_a_refused_change_set_changes_nothing(aws):
    cloudformation = aws.client("cloudformation")
    url = _template_url(aws)
    deploy.deploy_stack(cloudformation, "photoshoot", url,
                        [{"ParameterKey": "Name", "ParameterValue": "site-one"}], lambda _: True)
    with pytest.raises(SystemExit, match="not deployed"):
        deploy.deploy_stack(cloudformation, "photoshoot", url,
                            [{"ParameterKey": "Name", "ParameterValue": "site-two"}],
                            lambda _: False)
    assert "site-two" not in _buckets(aws)
    # the refused change set is deleted, not left to be executed by someone later
    assert [summary for summary in cloudformation.list_change_sets(
        StackName="photoshoot")["Summaries"] if summary["ExecutionStatus"] == "AVAILABLE"] == []


def test_a_stack_whose_first_creation_rolled_back_is_named_not_updated(aws):
    class RolledBack:
        exceptions = aws.client("cloudformation").exceptions

        def describe_stacks(self, StackName):  # noqa: N803 - boto3's name
            return {"Stacks": [{"StackStatus": "ROLLBACK_COMPLETE"}]}

    with pytest.raises(SystemExit, match="delete-stack --stack-name photoshoot"):
        deploy.deploy_stack(RolledBack(), "photoshoot", "https://x", [], lambda _: True)


def test_the_studio_image_is_built_for_lambdas_platform_and_used_by_digest(aws):
    ecr = aws.client("ecr")
    commands = []

    def docker(argv, **kwargs):
        commands.append((argv, kwargs))
        if argv[:2] == ["docker", "push"]:  # what a push leaves in the registry
            ecr.put_image(repositoryName=deploy.IMAGE_REPOSITORY,
                          imageManifest=json.dumps({
                              "schemaVersion": 2, "layers": [],
                              "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}),
                          imageTag=argv[2].rsplit(":", 1)[1])

    uri = deploy.push_studio_image(ecr, run=docker, tag="v1")
    repository = ecr.describe_repositories()["repositories"][0]
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert uri.startswith(repository["repositoryUri"] + "@sha256:")
    login, build, push = commands
    assert login[0][:2] == ["docker", "login"] and login[1]["input"]  # password on stdin
    assert login[1]["input"] not in " ".join(login[0])
    assert build[0][:4] == ["docker", "build", "--platform", "linux/amd64"]
    assert str(deploy.ROOT / "infra" / "lambda" / "Dockerfile") in build[0]
    assert build[0][-1] == str(deploy.ROOT)  # the context the .dockerignore narrows
    assert push[0] == ["docker", "push", f"{repository['repositoryUri']}:v1"]
    # a second deploy reuses the repository
    deploy.push_studio_image(ecr, run=docker, tag="v2")
    assert len(ecr.describe_repositories()["repositories"]) == 1
