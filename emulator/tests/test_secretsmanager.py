"""Secrets Manager secret through CloudFormation."""

import json

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def secret_template(name: str, description: str, given: str = "s3cr3t") -> dict:
    return template(
        {
            "Generated": {
                "Type": "AWS::SecretsManager::Secret",
                "Properties": {
                    "Name": name,
                    "Description": description,
                    "GenerateSecretString": {
                        "SecretStringTemplate": json.dumps({"username": "app"}),
                        "GenerateStringKey": "password",
                        "PasswordLength": 40,
                        "ExcludePunctuation": True,
                    },
                },
            },
            "Given": {
                "Type": "AWS::SecretsManager::Secret",
                "Properties": {"SecretString": given},
            },
        },
        {"Arn": {"Ref": "Generated"}, "Id": {"Fn::GetAtt": ["Generated", "Id"]},
         "Given": {"Ref": "Given"}},
    )


@VIAS
def test_secret(aws, via):
    cfn, secrets = aws("cloudformation"), aws("secretsmanager")
    name = unique("app/db")
    out = outputs(deploy(cfn, name.replace("/", "-"), secret_template(name, "first"), via=via))
    described = secrets.describe_secret(SecretId=name)
    assert out["Arn"] == out["Id"] == described["ARN"]
    value = json.loads(secrets.get_secret_value(SecretId=name)["SecretString"])
    assert value["username"] == "app" and len(value["password"]) == 40
    assert value["password"].isalnum()
    assert secrets.get_secret_value(SecretId=out["Given"])["SecretString"] == "s3cr3t"

    # A new description does not rotate the generated password; a new SecretString
    # is a new value of the same secret.
    out2 = outputs(deploy(cfn, name.replace("/", "-"), secret_template(name, "second", "n3w"), via=via))
    assert secrets.get_secret_value(SecretId=out["Given"])["SecretString"] == "n3w"
    assert out2 == out
    assert secrets.describe_secret(SecretId=name)["Description"] == "second"
    assert json.loads(secrets.get_secret_value(SecretId=name)["SecretString"]) == value

    cfn.delete_stack(StackName=name.replace("/", "-"))
    with pytest.raises(ClientError, match="ResourceNotFound"):
        secrets.describe_secret(SecretId=name)
