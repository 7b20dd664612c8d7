"""A role's inline policies through CloudFormation, read back as IAM returns them."""

from conftest import VIAS, deploy, physical_ids, template, unique


def statement(action: str, resource: str) -> dict:
    return {"Effect": "Allow", "Action": [action], "Resource": [resource]}


def role_template(policies: dict[str, list[dict]]) -> dict:
    return template({
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"],
                                   "Principal": {"Service": "lambda.amazonaws.com"}}],
                },
                "Policies": [
                    {"PolicyName": name,
                     "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
                    for name, statements in policies.items()
                ],
            },
        }
    })


TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/t"


@VIAS
def test_inline_policies_read_back_as_json_and_follow_updates(aws, via):
    cfn, iam = aws("cloudformation"), aws("iam")
    name = unique("role")
    deploy(cfn, name, role_template({
        "data": [statement("dynamodb:GetItem", TABLE)],
        "logs": [statement("logs:PutLogEvents", "*")],
    }), via=via)
    role = physical_ids(cfn, name)["Role"]

    # boto3 decodes a JSON document into a dict; moto used to return the dict's repr.
    got = iam.get_role_policy(RoleName=role, PolicyName="data")["PolicyDocument"]
    assert got == {"Version": "2012-10-17", "Statement": [statement("dynamodb:GetItem", TABLE)]}
    assert sorted(iam.list_role_policies(RoleName=role)["PolicyNames"]) == ["data", "logs"]

    # An update changes one policy, removes one, adds one (moto used to ignore all three).
    deploy(cfn, name, role_template({
        "data": [statement("dynamodb:PutItem", TABLE)],
        "queue": [statement("sqs:SendMessage", "*")],
    }), via=via)
    assert physical_ids(cfn, name)["Role"] == role
    assert sorted(iam.list_role_policies(RoleName=role)["PolicyNames"]) == ["data", "queue"]
    got = iam.get_role_policy(RoleName=role, PolicyName="data")["PolicyDocument"]
    assert got["Statement"] == [statement("dynamodb:PutItem", TABLE)]

    cfn.delete_stack(StackName=name)
