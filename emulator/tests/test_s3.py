"""Bucket policy through CloudFormation, and how moto enforces it."""

import json

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def secure_transport_policy(statement_extra: list) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["s3:*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                "Resource": [
                    {"Fn::GetAtt": ["Bucket", "Arn"]},
                    {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]},
                ],
            },
            *statement_extra,
        ],
    }


def bucket_template(name: str, statement_extra: list) -> dict:
    return template(
        {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}},
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "Bucket"},
                               "PolicyDocument": secure_transport_policy(statement_extra)},
            },
        },
        {"Policy": {"Ref": "Policy"}},
    )


@VIAS
def test_bucket_policy(aws, via):
    cfn, s3 = aws("cloudformation"), aws("s3")
    name = unique("bucket")
    out = outputs(deploy(cfn, name, bucket_template(name, []), via=via))
    assert out["Policy"] == name  # Ref: the bucket

    policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    assert policy["Statement"][0]["Sid"] == "DenyInsecureTransport"
    assert policy["Statement"][0]["Resource"] == [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]
    # The conditional deny does not lock the bucket (see bubble_moto/s3.py) ...
    s3.put_object(Bucket=name, Key="a.txt", Body=b"hi", ContentType="text/plain")
    assert s3.get_object(Bucket=name, Key="a.txt")["Body"].read() == b"hi"

    # ... while an unconditional deny is still enforced, and updates replace the policy.
    deny_put = {"Sid": "NoPut", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}}
    deploy(cfn, name, bucket_template(name, [deny_put]), via=via)
    assert len(json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]) == 2
    with pytest.raises(ClientError, match="403|AccessDenied"):
        s3.put_object(Bucket=name, Key="b.txt", Body=b"no", ContentType="text/plain")

    # Dropping the policy resource deletes the policy, the bucket stays.
    no_policy = bucket_template(name, [])
    del no_policy["Resources"]["Policy"]
    del no_policy["Outputs"]
    deploy(cfn, name, no_policy, via=via)
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=name)

    s3.delete_object(Bucket=name, Key="a.txt")
    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NoSuchBucket|404"):
        s3.head_bucket(Bucket=name)
