"""Cognito user pool, client and domain through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import REGION, VIAS, deploy, outputs, template, unique


def pool_template(name: str, client_flows: list[str], domain: str) -> dict:
    return template(
        {
            "Pool": {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {
                    "UserPoolName": name,
                    "UsernameAttributes": ["email"],
                    "AutoVerifiedAttributes": ["email"],
                    "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
                    "MfaConfiguration": "OFF",
                },
            },
            "Client": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {
                    "UserPoolId": {"Ref": "Pool"},
                    "ClientName": f"{name}-app",
                    "ExplicitAuthFlows": client_flows,
                    "AccessTokenValidity": 1,
                    "RefreshTokenValidity": 30,
                    "TokenValidityUnits": {"AccessToken": "hours", "RefreshToken": "days"},
                    "GenerateSecret": False,
                },
            },
            "Domain": {
                "Type": "AWS::Cognito::UserPoolDomain",
                "Properties": {"UserPoolId": {"Ref": "Pool"}, "Domain": domain},
            },
            # What the BubbleBatch Auth stack does with the pool id.
            "PoolIdParameter": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": f"/{name}/pool-id", "Type": "String",
                               "Value": {"Ref": "Pool"}},
            },
        },
        {
            "PoolId": {"Ref": "Pool"},
            "PoolArn": {"Fn::GetAtt": ["Pool", "Arn"]},
            "ProviderName": {"Fn::GetAtt": ["Pool", "ProviderName"]},
            "ProviderURL": {"Fn::GetAtt": ["Pool", "ProviderURL"]},
            "ClientId": {"Ref": "Client"},
            "ClientName": {"Fn::GetAtt": ["Client", "Name"]},
            "Domain": {"Ref": "Domain"},
            "DomainTarget": {"Fn::GetAtt": ["Domain", "CloudFrontDistribution"]},
        },
    )


@VIAS
def test_user_pool_client_and_domain(aws, via):
    cfn, idp = aws("cloudformation"), aws("cognito-idp")
    name, domain = unique("pool"), unique("auth")
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    stack = deploy(cfn, name, pool_template(name, flows, domain), via=via)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = outputs(stack)

    pool = idp.describe_user_pool(UserPoolId=out["PoolId"])["UserPool"]
    assert pool["Name"] == name
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert out["PoolArn"] == pool["Arn"]
    assert out["ProviderName"] == f"cognito-idp.{REGION}.amazonaws.com/{out['PoolId']}"
    assert out["ProviderURL"] == f"https://{out['ProviderName']}"

    client = idp.describe_user_pool_client(UserPoolId=out["PoolId"], ClientId=out["ClientId"])
    client = client["UserPoolClient"]
    assert client["ExplicitAuthFlows"] == flows
    assert client["AccessTokenValidity"] == 1
    assert client["TokenValidityUnits"]["AccessToken"] == "hours"
    assert out["ClientName"] == f"{name}-app"

    described = idp.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    assert described["UserPoolId"] == out["PoolId"]
    assert out["Domain"] == domain and out["DomainTarget"] == described["CloudFrontDistribution"]

    # The Ref reached other resources: the SSM parameter holds the real pool id.
    value = aws("ssm").get_parameter(Name=f"/{name}/pool-id")["Parameter"]["Value"]
    assert value == out["PoolId"]

    # The client signs users in (moto issues tokens for the pool).
    idp.admin_create_user(UserPoolId=out["PoolId"], Username="a@example.com",
                          TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=out["PoolId"], Username="a@example.com",
                                Password="Real-Passw0rd!x", Permanent=True)
    tokens = idp.initiate_auth(ClientId=out["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "a@example.com",
                                               "PASSWORD": "Real-Passw0rd!x"})
    assert tokens["AuthenticationResult"]["AccessToken"]

    # Update: the pool and client keep their ids (users survive), settings change.
    flows2 = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    updated = pool_template(name, flows2, domain)
    updated["Resources"]["Pool"]["Properties"]["Policies"]["PasswordPolicy"]["MinimumLength"] = 10
    stack = deploy(cfn, name, updated, via=via)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(stack)["PoolId"] == out["PoolId"]
    assert outputs(stack)["ClientId"] == out["ClientId"]
    pool = idp.describe_user_pool(UserPoolId=out["PoolId"])["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    client = idp.describe_user_pool_client(UserPoolId=out["PoolId"], ClientId=out["ClientId"])
    assert client["UserPoolClient"]["ExplicitAuthFlows"] == flows2
    assert idp.admin_get_user(UserPoolId=out["PoolId"], Username="a@example.com")

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="ResourceNotFound"):
        idp.describe_user_pool(UserPoolId=out["PoolId"])
    assert "DomainDescription" not in idp.describe_user_pool_domain(Domain=domain) or \
        not idp.describe_user_pool_domain(Domain=domain)["DomainDescription"]
