"""Lambda version, alias and permission through CloudFormation."""

import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


@pytest.fixture(scope="module")
def code(aws) -> dict:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bootstrap", "#!/bin/sh\n")
    bucket = unique("code")
    aws("s3").create_bucket(Bucket=bucket)
    aws("s3").put_object(Bucket=bucket, Key="fn.zip", Body=buffer.getvalue(),
                         ContentType="application/zip")
    return {"S3Bucket": bucket, "S3Key": "fn.zip"}


def function_template(name: str, code: dict, description: str, weight: float) -> dict:
    return template(
        {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]}},
            },
            "Function": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"FunctionName": name, "Runtime": "provided.al2023",
                               "Handler": "bootstrap", "Code": code,
                               "Role": {"Fn::GetAtt": ["Role", "Arn"]}},
            },
            "Version": {
                "Type": "AWS::Lambda::Version",
                "Properties": {"FunctionName": {"Ref": "Function"}, "Description": description},
            },
            "Live": {
                "Type": "AWS::Lambda::Alias",
                "Properties": {
                    "FunctionName": {"Ref": "Function"},
                    "FunctionVersion": {"Fn::GetAtt": ["Version", "Version"]},
                    "Name": "live",
                    "RoutingConfig": {"AdditionalVersionWeights": [
                        {"FunctionVersion": "$LATEST", "FunctionWeight": weight}]},
                },
            },
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Function", "Arn"]},
                    "Principal": "apigateway.amazonaws.com",
                    "SourceArn": "arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/x",
                },
            },
        },
        {
            "VersionArn": {"Ref": "Version"},
            "VersionNumber": {"Fn::GetAtt": ["Version", "Version"]},
            "VersionFunctionArn": {"Fn::GetAtt": ["Version", "FunctionArn"]},
            "Alias": {"Ref": "Live"},
            "AliasArn": {"Fn::GetAtt": ["Live", "AliasArn"]},
            "Permission": {"Ref": "Permission"},
        },
    )


@VIAS
def test_version_alias_permission(aws, code, via):
    cfn, lam = aws("cloudformation"), aws("lambda")
    name = unique("fn")
    out = outputs(deploy(cfn, name, function_template(name, code, "v1", 0.1), via=via))
    assert out["VersionNumber"] == "1"
    assert out["VersionArn"] == out["VersionFunctionArn"] and out["VersionArn"].endswith(f":function:{name}:1")

    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]]
    assert "1" in versions
    alias = lam.get_alias(FunctionName=name, Name="live")
    assert out["Alias"] == out["AliasArn"] == alias["AliasArn"]
    assert alias["FunctionVersion"] == "1"
    assert alias["RoutingConfig"]["AdditionalVersionWeights"] == {"$LATEST": 0.1}
    policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
    statement = {s["Sid"]: s for s in policy["Statement"]}[out["Permission"]]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}

    # Update: the alias changes in place; a new description publishes a new version
    # (Description is create-only), which the alias then points at.
    aws("lambda").update_function_configuration(FunctionName=name, MemorySize=256)
    out2 = outputs(deploy(cfn, name, function_template(name, code, "v2", 0.2), via=via))
    assert out2["Alias"] == out["Alias"] and out2["Permission"] == out["Permission"]
    assert out2["VersionNumber"] == "2"
    alias = lam.get_alias(FunctionName=name, Name="live")
    assert alias["FunctionVersion"] == "2"
    assert alias["RoutingConfig"]["AdditionalVersionWeights"] == {"$LATEST": 0.2}

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        lam.get_function(FunctionName=name)


def invoke_config_template(name: str, code: dict, retries: int) -> dict:
    base = function_template(name, code, "v1", 0.1)
    base["Resources"]["InvokeConfig"] = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"FunctionName": {"Ref": "Function"}, "Qualifier": "$LATEST",
                       "MaximumRetryAttempts": retries, "MaximumEventAgeInSeconds": 300},
    }
    base["Outputs"]["InvokeConfig"] = {"Value": {"Ref": "InvokeConfig"}}
    return base


@VIAS
def test_event_invoke_config(aws, code, via):
    cfn, lam = aws("cloudformation"), aws("lambda")
    name = unique("fn")
    out = outputs(deploy(cfn, name, invoke_config_template(name, code, 1), via=via))
    assert out["InvokeConfig"] == f"{name}:$LATEST"
    config = lam.get_function_event_invoke_config(FunctionName=name)
    assert config["MaximumRetryAttempts"] == 1
    assert config["MaximumEventAgeInSeconds"] == 300

    # Retries change in place.
    deploy(cfn, name, invoke_config_template(name, code, 0), via=via)
    assert lam.get_function_event_invoke_config(FunctionName=name)["MaximumRetryAttempts"] == 0

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        lam.get_function(FunctionName=name)
