"""RDS instance, parameter and subnet groups, and security group rules through
CloudFormation (the shape of the mvp-checklist example's database)."""

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def database_template(name: str, storage: int, port: int) -> dict:
    subnet = lambda cidr, az: {  # noqa: E731
        "Type": "AWS::EC2::Subnet",
        "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": cidr, "AvailabilityZone": az},
    }
    group = lambda description: {  # noqa: E731
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": description, "VpcId": {"Ref": "Vpc"}},
    }
    return template(
        {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "SubnetA": subnet("10.0.1.0/24", "us-east-1a"),
            "SubnetB": subnet("10.0.2.0/24", "us-east-1b"),
            "AppGroup": group("app"),
            "DbGroup": group("db"),
            "AppToDb": {
                "Type": "AWS::EC2::SecurityGroupEgress",
                "Properties": {"GroupId": {"Fn::GetAtt": ["AppGroup", "GroupId"]}, "IpProtocol": "tcp",
                               "FromPort": port, "ToPort": port,
                               "DestinationSecurityGroupId": {"Fn::GetAtt": ["DbGroup", "GroupId"]}},
            },
            "DbFromApp": {
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {"GroupId": {"Fn::GetAtt": ["DbGroup", "GroupId"]}, "IpProtocol": "tcp",
                               "FromPort": port, "ToPort": port,
                               "SourceSecurityGroupId": {"Fn::GetAtt": ["AppGroup", "GroupId"]}},
            },
            "Parameters": {
                "Type": "AWS::RDS::DBParameterGroup",
                "Properties": {"Description": "tls", "Family": "postgres17",
                               "Parameters": {"rds.force_ssl": "1"}},
            },
            "Subnets": {
                "Type": "AWS::RDS::DBSubnetGroup",
                "Properties": {"DBSubnetGroupDescription": "private",
                               "SubnetIds": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}]},
            },
            "Database": {
                "Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Delete",
                "Properties": {
                    "DBInstanceIdentifier": name,
                    "Engine": "postgres",
                    "EngineVersion": "17.6",
                    "DBInstanceClass": "db.t4g.micro",
                    "AllocatedStorage": str(storage),
                    "DBName": "app",
                    "MasterUsername": "app_admin",
                    "ManageMasterUserPassword": True,
                    "DBParameterGroupName": {"Ref": "Parameters"},
                    "DBSubnetGroupName": {"Ref": "Subnets"},
                    "VPCSecurityGroups": [{"Fn::GetAtt": ["DbGroup", "GroupId"]}],
                },
            },
        },
        {
            "Database": {"Ref": "Database"},
            "Address": {"Fn::GetAtt": ["Database", "Endpoint.Address"]},
            "Port": {"Fn::GetAtt": ["Database", "Endpoint.Port"]},
            # As the example passes it to its function: a dotted attribute in Fn::Sub.
            "Secret": {"Fn::Sub": "${Database.MasterUserSecret.SecretArn}"},
            "Parameters": {"Ref": "Parameters"},
            "Subnets": {"Ref": "Subnets"},
            "Egress": {"Ref": "AppToDb"},
            "Ingress": {"Ref": "DbFromApp"},
            "DbGroup": {"Fn::GetAtt": ["DbGroup", "GroupId"]},
        },
    )


@VIAS
def test_database_and_rules(aws, via):
    cfn, rds, ec2 = aws("cloudformation"), aws("rds"), aws("ec2")
    name = unique("db")
    out = outputs(deploy(cfn, name, database_template(name, 20, 5432), via=via))
    assert out["Database"] == name and out["Port"] == "5432"

    db = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    assert db["Endpoint"]["Address"] == out["Address"]
    assert db["DBParameterGroups"][0]["DBParameterGroupName"] == out["Parameters"]
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == out["Subnets"]
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [out["DbGroup"]]
    assert db["MasterUserSecret"]["SecretArn"] == out["Secret"]
    assert aws("secretsmanager").describe_secret(SecretId=out["Secret"])
    parameters = rds.describe_db_parameters(DBParameterGroupName=out["Parameters"])["Parameters"]
    assert {"rds.force_ssl": "1"}.items() <= {p["ParameterName"]: p.get("ParameterValue") for p in parameters}.items()

    rules = ec2.describe_security_group_rules(SecurityGroupRuleIds=[out["Egress"], out["Ingress"]])
    rules = {r["SecurityGroupRuleId"]: r for r in rules["SecurityGroupRules"]}
    assert rules[out["Egress"]]["IsEgress"] and rules[out["Egress"]]["FromPort"] == 5432
    assert not rules[out["Ingress"]]["IsEgress"] and rules[out["Ingress"]]["ToPort"] == 5432

    # More storage: in place. Another port on the rules: new rules.
    out2 = outputs(deploy(cfn, name, database_template(name, 30, 6432), via=via))
    assert out2["Database"] == name
    assert rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["AllocatedStorage"] == 30
    assert out2["Egress"] != out["Egress"]
    with pytest.raises(ClientError):
        ec2.describe_security_group_rules(SecurityGroupRuleIds=[out["Egress"]])["SecurityGroupRules"][0]

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="DBInstanceNotFound"):
        rds.describe_db_instances(DBInstanceIdentifier=name)
