"""The local stack's in-process AWS transport: botocore requests for the moto server's URL are
answered by the same moto application without HTTP, with the same answers and errors."""
from __future__ import annotations

import socket

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer

from infra.local import aws_inprocess

REGION = "eu-central-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def moto_server(monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                        ("AWS_DEFAULT_REGION", REGION)):
        monkeypatch.setenv(name, value)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    transport = aws_inprocess.install(url, server._server.app)
    try:
        yield url, server, transport
    finally:
        aws_inprocess.uninstall()
        server.stop()
        moto_api_backend.reset()  # the server's backends are moto's global ones


def _clients(url: str):
    dynamodb = boto3.session.Session().client("dynamodb", endpoint_url=url, region_name=REGION)
    s3 = boto3.session.Session().client("s3", endpoint_url=url, region_name=REGION,
                                        config=Config(s3={"addressing_style": "path"}))
    return dynamodb, s3


def test_calls_are_answered_without_the_http_server(moto_server):
    url, server, transport = moto_server
    dynamodb, s3 = _clients(url)
    server.stop()  # nothing listens any more: only the in-process path can answer

    dynamodb.create_table(TableName="things", BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.put_item(TableName="things", Item={"id": {"S": "a"}, "n": {"N": "1"},
                                                "blob": {"B": b"\x00\xffbytes"}})
    item = dynamodb.get_item(TableName="things", Key={"id": {"S": "a"}},
                             ConsistentRead=True)["Item"]
    assert item == {"id": {"S": "a"}, "n": {"N": "1"}, "blob": {"B": b"\x00\xffbytes"}}

    s3.create_bucket(Bucket="images", CreateBucketConfiguration={
        "LocationConstraint": REGION})
    photo = bytes(range(256)) * 4096  # 1 MiB of every byte value
    s3.put_object(Bucket="images", Key="u/1/p.jpg", Body=photo, ContentType="image/jpeg")
    answer = s3.get_object(Bucket="images", Key="u/1/p.jpg")
    assert answer["Body"].read() == photo
    assert answer["ContentType"] == "image/jpeg"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="images", Prefix="u/1/")[
        "Contents"]] == ["u/1/p.jpg"]


def test_service_errors_arrive_as_botocore_errors(moto_server):
    url, _server, _transport = moto_server
    dynamodb, s3 = _clients(url)
    dynamodb.create_table(TableName="balances", BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.put_item(TableName="balances", Item={"id": {"S": "u"}, "balance": {"N": "0"}})
    with pytest.raises(ClientError) as refused:
        dynamodb.update_item(TableName="balances", Key={"id": {"S": "u"}},
                             UpdateExpression="SET balance = balance - :one",
                             ConditionExpression="balance >= :one",
                             ExpressionAttributeValues={":one": {"N": "1"}})
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert dynamodb.get_item(TableName="balances", Key={"id": {"S": "u"}})["Item"][
        "balance"] == {"N": "0"}
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket="no-such-bucket", Key="x")
    assert missing.value.response["Error"]["Code"] == "NoSuchBucket"


def test_localhost_spelling_of_the_same_server_is_served_too(moto_server):
    url, server, _transport = moto_server
    twin = url.replace("127.0.0.1", "localhost")
    dynamodb, _s3 = _clients(twin)
    server.stop()
    assert dynamodb.list_tables()["TableNames"] == []


def test_other_endpoints_are_left_to_botocore(moto_server):
    _url, _server, _transport = moto_server
    elsewhere = f"http://127.0.0.1:{_free_port()}"
    client = boto3.session.Session().client(
        "dynamodb", endpoint_url=elsewhere, region_name=REGION,
        config=Config(retries={"max_attempts": 1}, connect_timeout=1))
    with pytest.raises(EndpointConnectionError):
        client.list_tables()


def test_uninstall_returns_to_http(moto_server):
    url, server, _transport = moto_server
    aws_inprocess.uninstall()
    dynamodb, _s3 = _clients(url)
    assert dynamodb.list_tables()["TableNames"] == []  # over HTTP: the server still runs
    server.stop()
    with pytest.raises(EndpointConnectionError):
        boto3.session.Session().client(
            "dynamodb", endpoint_url=url, region_name=REGION,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1)).list_tables()


def test_keys_that_need_escaping_round_trip(moto_server):
    url, server, _transport = moto_server
    dynamodb, s3 = _clients(url)
    server.stop()
    s3.create_bucket(Bucket="images", CreateBucketConfiguration={
        "LocationConstraint": REGION})
    keys = ["a b/c+d.jpg", "фото/товар 1.jpg", "x%20y.jpg", "q?x=1&y=2.jpg", "t~/s*.jpg"]
    for key in keys:
        s3.put_object(Bucket="images", Key=key, Body=key.encode())
        assert s3.get_object(Bucket="images", Key=key)["Body"].read() == key.encode()
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket="images")["Contents"]) == \
        sorted(keys)
    dynamodb.create_table(TableName="names", BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.put_item(TableName="names", Item={"id": {"S": "ключ ✓"}, "v": {"S": "значение"}})
    assert dynamodb.get_item(TableName="names", Key={"id": {"S": "ключ ✓"}})["Item"][
        "v"] == {"S": "значение"}
