"""EventBridge Scheduler schedule and group through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique

TARGET = "arn:aws:lambda:us-east-1:123456789012:function:worker"
ROLE = "arn:aws:iam::123456789012:role/scheduler"


def schedule_template(name: str, expression: str) -> dict:
    return template(
        {
            "Group": {"Type": "AWS::Scheduler::ScheduleGroup", "Properties": {"Name": f"{name}-group"}},
            "Schedule": {
                "Type": "AWS::Scheduler::Schedule",
                "Properties": {
                    "Name": name,
                    "GroupName": {"Ref": "Group"},
                    "Description": "runs the worker",
                    "ScheduleExpression": expression,
                    "FlexibleTimeWindow": {"Mode": "OFF"},
                    "State": "ENABLED",
                    "Target": {
                        "Arn": TARGET,
                        "RoleArn": ROLE,
                        "RetryPolicy": {"MaximumEventAgeInSeconds": 300, "MaximumRetryAttempts": 2},
                    },
                },
            },
            # No Name: CloudFormation generates one, and keeps it across updates.
            "Unnamed": {
                "Type": "AWS::Scheduler::Schedule",
                "Properties": {
                    "ScheduleExpression": expression,
                    "FlexibleTimeWindow": {"Mode": "OFF"},
                    "Target": {"Arn": TARGET, "RoleArn": ROLE},
                },
            },
        },
        {
            "Name": {"Ref": "Schedule"},
            "Arn": {"Fn::GetAtt": ["Schedule", "Arn"]},
            "Group": {"Ref": "Group"},
            "GroupArn": {"Fn::GetAtt": ["Group", "Arn"]},
            "Unnamed": {"Ref": "Unnamed"},
        },
    )


@VIAS
def test_schedule(aws, via):
    cfn, scheduler = aws("cloudformation"), aws("scheduler")
    name = unique("every")
    stack = deploy(cfn, name, schedule_template(name, "rate(5 minutes)"), via=via)
    out = outputs(stack)
    assert out["Name"] == name and out["Group"] == f"{name}-group"

    schedule = scheduler.get_schedule(Name=name, GroupName=out["Group"])
    assert schedule["Arn"] == out["Arn"]
    assert schedule["ScheduleExpression"] == "rate(5 minutes)"
    assert schedule["Target"]["Arn"] == TARGET
    assert schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert scheduler.get_schedule_group(Name=out["Group"])["Arn"] == out["GroupArn"]
    assert scheduler.get_schedule(Name=out["Unnamed"])["ScheduleExpression"] == "rate(5 minutes)"

    stack = deploy(cfn, name, schedule_template(name, "rate(1 hour)"), via=via)
    assert outputs(stack) == out  # same names: updated in place
    assert scheduler.get_schedule(Name=name, GroupName=out["Group"])["ScheduleExpression"] == "rate(1 hour)"
    assert scheduler.get_schedule(Name=out["Unnamed"])["ScheduleExpression"] == "rate(1 hour)"

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        scheduler.get_schedule(Name=out["Unnamed"])
    with pytest.raises(ClientError, match="NotFound"):
        scheduler.get_schedule_group(Name=out["Group"])
