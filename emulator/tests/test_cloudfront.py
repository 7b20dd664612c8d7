"""CloudFront distribution and origin access control through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def cdn_template(name: str, comment: str) -> dict:
    return template(
        {
            "Site": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}},
            "Oac": {
                "Type": "AWS::CloudFront::OriginAccessControl",
                "Properties": {"OriginAccessControlConfig": {
                    "Name": name, "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always", "SigningProtocol": "sigv4"}},
            },
            "Cdn": {
                "Type": "AWS::CloudFront::Distribution",
                "Properties": {"DistributionConfig": {
                    "Comment": comment,
                    "Enabled": True,
                    "DefaultRootObject": "index.html",
                    "IPV6Enabled": True,
                    "Origins": [{
                        "Id": "site",
                        "DomainName": {"Fn::GetAtt": ["Site", "RegionalDomainName"]},
                        "OriginAccessControlId": {"Fn::GetAtt": ["Oac", "Id"]},
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }],
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "site",
                        "ViewerProtocolPolicy": "redirect-to-https",
                        "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
                        "CachedMethods": ["GET", "HEAD"],
                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                    },
                    "CacheBehaviors": [{
                        "PathPattern": "/images/*",
                        "TargetOriginId": "site",
                        "ViewerProtocolPolicy": "https-only",
                    }],
                    "CustomErrorResponses": [{"ErrorCode": 404, "ResponseCode": 200,
                                              "ResponsePagePath": "/index.html"}],
                }},
            },
        },
        {"Id": {"Ref": "Cdn"}, "Domain": {"Fn::GetAtt": ["Cdn", "DomainName"]},
         "Oac": {"Ref": "Oac"}, "OacId": {"Fn::GetAtt": ["Oac", "Id"]}},
    )


@VIAS
def test_distribution(aws, via):
    cfn, cloudfront = aws("cloudformation"), aws("cloudfront")
    name = unique("site")
    out = outputs(deploy(cfn, name, cdn_template(name, "first"), via=via))
    distribution = cloudfront.get_distribution(Id=out["Id"])["Distribution"]
    assert distribution["DomainName"] == out["Domain"]
    config = distribution["DistributionConfig"]
    assert config["Comment"] == "first" and config["DefaultRootObject"] == "index.html"
    assert config["Origins"]["Items"][0]["DomainName"] == f"{name}.s3.us-east-1.amazonaws.com"
    assert config["DefaultCacheBehavior"]["AllowedMethods"]["Items"] == ["GET", "HEAD", "OPTIONS"]
    assert config["CacheBehaviors"]["Items"][0]["PathPattern"] == "/images/*"
    assert config["CustomErrorResponses"]["Quantity"] == 1
    oac = cloudfront.get_origin_access_control(Id=out["Oac"])["OriginAccessControl"]
    assert out["OacId"] == out["Oac"] and oac["OriginAccessControlConfig"]["Name"] == name

    out2 = outputs(deploy(cfn, name, cdn_template(name, "second"), via=via))
    assert out2 == out
    assert cloudfront.get_distribution(Id=out["Id"])["Distribution"]["DistributionConfig"]["Comment"] == "second"

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NoSuchDistribution"):
        cloudfront.get_distribution(Id=out["Id"])
    with pytest.raises(ClientError, match="NoSuchOriginAccessControl"):
        cloudfront.get_origin_access_control(Id=out["Oac"])
