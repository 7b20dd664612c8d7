"""CloudTrail trail through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import ACCOUNT, REGION, VIAS, deploy, outputs, template, unique


def trail_template(bucket: str, trail: str | None, logging: bool, prefix: str | None) -> dict:
    properties = {
        "S3BucketName": {"Ref": "Logs"},
        "IsLogging": logging,
        "EnableLogFileValidation": True,
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "Tags": [{"Key": "purpose", "Value": "audit"}],
        **({"TrailName": trail} if trail else {}),
        **({"S3KeyPrefix": prefix} if prefix else {}),
    }
    return template(
        {
            "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bucket}},
            "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": properties},
        },
        {"Name": {"Ref": "Trail"}, "Arn": {"Fn::GetAtt": ["Trail", "Arn"]}},
    )


@VIAS
def test_trail(aws, via):
    cfn, cloudtrail = aws("cloudformation"), aws("cloudtrail")
    name = unique("trail")
    out = outputs(deploy(cfn, name, trail_template(name, name, True, "audit"), via=via))
    assert out == {"Name": name, "Arn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{name}"}
    trail = cloudtrail.get_trail(Name=name)["Trail"]
    assert (trail["S3BucketName"], trail["S3KeyPrefix"]) == (name, "audit")
    assert trail["IsMultiRegionTrail"] and trail["IncludeGlobalServiceEvents"]
    assert trail["LogFileValidationEnabled"]
    assert cloudtrail.get_trail_status(Name=name)["IsLogging"]
    tags = cloudtrail.list_tags(ResourceIdList=[out["Arn"]])["ResourceTagList"][0]["TagsList"]
    assert tags == [{"Key": "purpose", "Value": "audit"}]

    # IsLogging false and no key prefix: in place, logging stops, the prefix is gone.
    assert outputs(deploy(cfn, name, trail_template(name, name, False, None), via=via)) == out
    assert not cloudtrail.get_trail_status(Name=name)["IsLogging"]
    assert "S3KeyPrefix" not in cloudtrail.get_trail(Name=name)["Trail"]

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="TrailNotFound"):
        cloudtrail.get_trail(Name=name)


def test_trail_without_name_gets_one(aws):
    cfn, cloudtrail = aws("cloudformation"), aws("cloudtrail")
    name = unique("trail")
    out = outputs(deploy(cfn, name, trail_template(name, None, True, None)))
    assert out["Name"].startswith(f"{name}-Trail")
    assert cloudtrail.get_trail(Name=out["Name"])["Trail"]["TrailARN"] == out["Arn"]
    cfn.delete_stack(StackName=name)


def test_trail_needs_its_bucket(aws):
    cfn = aws("cloudformation")
    name = unique("trail")
    body = trail_template(name, name, True, None)
    body["Resources"]["Trail"]["Properties"]["S3BucketName"] = f"{name}-missing"
    stack = deploy(cfn, name, body, via="changeset")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "does not exist" in stack["StackStatusReason"]
    cfn.delete_stack(StackName=name)
