"""The request log: who (access key) asked which service for what (operation and the
parameters that name the resource), for a policy evaluator outside the emulator."""

import json
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config
import pytest

from bubble_moto.request_log import credential, describe, s3_location, s3_operation
from conftest import ACCOUNT, REGION, Emulator, unique


def environ(method="GET", path="/", query="", headers=None, body=b""):
    import io

    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
           "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE",) else f"HTTP_{key}"] = value
    return env


SIGNED = ("AWS4-HMAC-SHA256 Credential=ASIAFUNCTION1/20261130/us-east-1/dynamodb/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=abc")


def test_credentials_come_from_the_header_or_a_presigned_query():
    assert credential(environ(headers={"Authorization": SIGNED})) == {
        "access_key": "ASIAFUNCTION1", "region": "us-east-1", "service": "dynamodb",
        "presigned": False}
    presigned = environ(query="X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                              "ASIAKEY%2F20261130%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x")
    assert credential(presigned) == {"access_key": "ASIAKEY", "region": "us-east-1",
                                     "service": "s3", "presigned": True}
    legacy = environ(query="AWSAccessKeyId=AKIAOLD&Signature=s&Expires=1")
    assert credential(legacy) == {"access_key": "AKIAOLD", "region": None, "service": "s3",
                                  "presigned": True}
    assert credential(environ()) is None
    assert describe(environ(path="/moto-api/")) is None, "unsigned requests are not logged"


def test_json_protocol_operations_keep_only_the_resource_parameters():
    body = json.dumps({"TableName": "t", "IndexName": "GSI1",
                       "ExpressionAttributeValues": {":pk": {"S": "secret@example.com"}}}).encode()
    env = environ("POST", headers={"Authorization": SIGNED,
                                   "X-Amz-Target": "DynamoDB_20120810.Query",
                                   "Content-Type": "application/x-amz-json-1.0"}, body=body)
    record = describe(env)
    assert (record["service"], record["operation"]) == ("dynamodb", "Query")
    assert record["params"] == {"TableName": "t", "IndexName": "GSI1"}
    assert "secret" not in json.dumps(record)
    assert env["wsgi.input"].read() == body, "the wrapped app still gets the body"


def test_s3_rest_requests_are_named_like_the_api():
    assert s3_location(environ(path="/b/users/u1/p.jpg", headers={"Host": "127.0.0.1:5000"})) == (
        "b", "users/u1/p.jpg")
    assert s3_location(environ(path="/k", headers={"Host": "b.localhost:5000"})) == ("b", "k")
    assert s3_operation("PUT", "b", "k", {}) == "PutObject"
    assert s3_operation("HEAD", "b", "k", {}) == "HeadObject"
    assert s3_operation("GET", "b", None, {"list-type": ["2"]}) == "ListObjectsV2"
    assert s3_operation("POST", "b", None, {"delete": [""]}) == "DeleteObjects"
    assert s3_operation("POST", "b", "k", {"uploads": [""]}) == "CreateMultipartUpload"


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    log = tmp_path_factory.mktemp("requests") / "requests.jsonl"
    server = Emulator({"BUBBLE_MOTO_REQUEST_LOG": str(log)})
    yield server, log
    server.stop()


def records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_calls_with_assumed_role_credentials_are_attributed_to_the_role(logged):
    server, log = logged
    iam = server.client("iam")
    role = iam.create_role(RoleName=unique("fn"), AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))
    table, bucket = unique("table"), unique("bucket")
    server.client("dynamodb").create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}])
    server.client("s3").create_bucket(Bucket=bucket)
    creds = server.client("sts").assume_role(
        RoleArn=role["Role"]["Arn"], RoleSessionName="dev")["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"], region_name=REGION)
    as_role = lambda service: session.client(service, endpoint_url=server.endpoint)  # noqa: E731
    as_role("dynamodb").put_item(TableName=table, Item={"PK": {"S": "me@example.com"}})
    # SigV4, as the AWS SDK for Rust presigns (boto3 would use SigV2 by default).
    s3 = session.client("s3", endpoint_url=server.endpoint,
                        config=Config(signature_version="s3v4"))
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "users/u1/p.jpg",
                                                          "ContentType": "image/jpeg"})
    # The upload is made by someone else (a phone) with the URL the function signed.
    request = urllib.request.Request(url, data=b"jpeg", method="PUT",
                                     headers={"Content-Type": "image/jpeg"})
    assert urllib.request.urlopen(request, timeout=10).status == 200

    mine = [r for r in records(log) if r["access_key"] == creds["AccessKeyId"]]
    assert [(r["service"], r["operation"], r["presigned"], r["params"]) for r in mine] == [
        ("dynamodb", "PutItem", False, {"TableName": table}),
        ("s3", "PutObject", True, {"Bucket": bucket, "Key": "users/u1/p.jpg"}),
    ]
    assert all(r["region"] == REGION for r in mine)
    # The deployer's own calls carry its key and are told apart by it.
    setup = [(r["service"], r["operation"]) for r in records(log) if r["access_key"] == "test"]
    assert ("sts", "AssumeRole") in setup and ("dynamodb", "CreateTable") in setup
    assert ("s3", "CreateBucket") in setup
    # moto ties the key to the role (what a reader can check with GetCallerIdentity).
    who = as_role("sts").get_caller_identity()
    assert who["Arn"].startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/{role['Role']['RoleName']}/")


def test_an_authorizer_turns_denied_requests_into_access_denied(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from botocore.exceptions import ClientError

    asked = []

    class Authorizer(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            record = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            asked.append(record)
            deny = record["access_key"] != "test" and record["operation"] in ("PutItem", "PutObject")
            body = json.dumps({"allow": not deny, "message": f"no {record['operation']}"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    authorizer = ThreadingHTTPServer(("127.0.0.1", 0), Authorizer)
    threading.Thread(target=authorizer.serve_forever, daemon=True).start()
    log = tmp_path / "requests.jsonl"
    server = Emulator({"BUBBLE_MOTO_REQUEST_LOG": str(log),
                       "BUBBLE_MOTO_AUTHORIZER": f"http://127.0.0.1:{authorizer.server_port}/"})
    try:
        table, bucket = unique("table"), unique("bucket")
        server.client("dynamodb").create_table(
            TableName=table, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}])
        server.client("s3").create_bucket(Bucket=bucket)
        session = boto3.session.Session(aws_access_key_id="ASIAFUNCTION", aws_secret_access_key="x",
                                        region_name=REGION)
        ddb = session.client("dynamodb", endpoint_url=server.endpoint)
        with pytest.raises(ClientError) as denied:
            ddb.put_item(TableName=table, Item={"PK": {"S": "a"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        assert denied.value.response["Error"]["Message"] == "no PutItem"
        assert ddb.get_item(TableName=table, Key={"PK": {"S": "a"}}).get("Item") is None, \
            "the denied write did not happen"
        s3 = session.client("s3", endpoint_url=server.endpoint,
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
        with pytest.raises(ClientError) as denied:
            s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentType="text/plain")
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
        assert {r["operation"] for r in asked} >= {"CreateTable", "PutItem", "GetItem", "PutObject"}
    finally:
        server.stop()
        authorizer.shutdown()
