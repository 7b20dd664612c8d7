"""moto's change-set execution and stack deletion as fixed by
bubble_moto.stack_operations: outputs and exports registered, Fn::ImportValue across
stacks, failures reported like AWS instead of an HTTP 500 with the stack stuck in
REVIEW_IN_PROGRESS (or, for DeleteStack, gone)."""

import json

import pytest
from botocore.exceptions import ClientError
from conftest import deploy, outputs, physical_ids, template, unique


def test_outputs_exports_and_import_value_through_change_sets(aws):
    cfn, ssm = aws("cloudformation"), aws("ssm")
    producer, consumer = unique("producer"), unique("consumer")
    export = f"{producer}-topic"
    body = template({"Topic": {"Type": "AWS::SNS::Topic"}})
    body["Outputs"] = {"TopicArn": {"Value": {"Ref": "Topic"}, "Export": {"Name": export}}}
    stack = deploy(cfn, producer, body, via="changeset")
    topic = outputs(stack)["TopicArn"]
    assert topic.startswith("arn:aws:sns:")
    assert {e["Name"]: e["Value"] for e in cfn.list_exports()["Exports"]}[export] == topic

    stack = deploy(cfn, consumer, template(
        {"Param": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Type": "String", "Name": f"/{consumer}", "Value": {"Fn::ImportValue": export}}}},
        {"Imported": {"Fn::ImportValue": export}},
    ), via="changeset")
    assert outputs(stack)["Imported"] == topic
    assert ssm.get_parameter(Name=f"/{consumer}")["Parameter"]["Value"] == topic

    # An UPDATE change set re-evaluates the outputs.
    body["Outputs"]["Name"] = {"Value": {"Fn::GetAtt": ["Topic", "TopicName"]}}
    stack = deploy(cfn, producer, body, via="changeset")
    assert outputs(stack)["Name"] == topic.rsplit(":", 1)[1]


def test_failed_create_rolls_back(aws):
    cfn = aws("cloudformation")
    name = unique("broken")
    # The SSM parameter fails (empty value) after the queue was created.
    body = template({
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}},
        "Param": {"Type": "AWS::SSM::Parameter", "DependsOn": "Queue",
                  "Properties": {"Type": "String", "Name": f"/{name}", "Value": ""}},
    })
    change_set = cfn.create_change_set(StackName=name, ChangeSetName="c1", ChangeSetType="CREATE",
                                       TemplateBody=json.dumps(body))
    cfn.execute_change_set(ChangeSetName=change_set["Id"])  # no HTTP 500

    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "ValidationException" in stack["StackStatusReason"]
    statuses = [e["ResourceStatus"] for e in cfn.describe_stack_events(StackName=name)["StackEvents"]]
    assert "CREATE_FAILED" in statuses and "ROLLBACK_COMPLETE" in statuses
    assert cfn.describe_change_set(ChangeSetName=change_set["Id"])["ExecutionStatus"] == "EXECUTE_FAILED"
    with pytest.raises(ClientError):  # rolled back: the queue is gone
        aws("sqs").get_queue_url(QueueName=name)
    cfn.delete_stack(StackName=name)


def test_failed_update_rolls_back_to_the_previous_template(aws):
    cfn, sqs = aws("cloudformation"), aws("sqs")
    name = unique("update")
    good = template({"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}}},
                    {"Queue": {"Ref": "Queue"}})
    deploy(cfn, name, good, via="changeset")
    bad = json.loads(json.dumps(good))
    bad["Resources"]["Extra"] = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"{name}-x"}}
    bad["Resources"]["Param"] = {"Type": "AWS::SSM::Parameter",
                                 "Properties": {"Type": "String", "Name": f"/{name}", "Value": ""}}
    stack = deploy(cfn, name, bad, via="changeset")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE", stack.get("StackStatusReason")
    assert set(physical_ids(cfn, name)) == {"Queue"}
    assert outputs(stack)["Queue"].endswith(f"/{name}")
    assert json.loads(cfn.get_template(StackName=name)["TemplateBody"]
                      if isinstance(cfn.get_template(StackName=name)["TemplateBody"], str)
                      else json.dumps(cfn.get_template(StackName=name)["TemplateBody"])) == good
    # A later good update still works from there.
    stack = deploy(cfn, name, {**good, "Description": "again"}, via="changeset")
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    sqs.get_queue_url(QueueName=name)


def test_unknown_or_used_change_set(aws):
    cfn = aws("cloudformation")
    with pytest.raises(ClientError, match="ValidationError"):
        cfn.execute_change_set(ChangeSetName="no-such-change-set", StackName="nope")
    name = unique("twice")
    change_set = cfn.create_change_set(
        StackName=name, ChangeSetName="c1", ChangeSetType="CREATE",
        TemplateBody=json.dumps(template({"Topic": {"Type": "AWS::SNS::Topic"}})))
    cfn.execute_change_set(ChangeSetName=change_set["Id"])
    with pytest.raises(ClientError, match="InvalidChangeSetStatus"):
        cfn.execute_change_set(ChangeSetName=change_set["Id"])


def test_failed_delete_keeps_the_stack(aws):
    cfn, rds = aws("cloudformation"), aws("rds")
    name = unique("protected")
    body = template({"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Delete", "Properties": {
        "DBInstanceIdentifier": name, "Engine": "postgres", "DBInstanceClass": "db.t4g.micro",
        "AllocatedStorage": "20", "MasterUsername": "app", "MasterUserPassword": "password-123",
        "DeletionProtection": True}}})
    deploy(cfn, name, body, via="changeset")
    cfn.delete_stack(StackName=name)  # accepted, as in AWS
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "DELETE_FAILED"
    assert "deletion protection" in stack["StackStatusReason"]
    assert rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]

    # As in AWS: switch protection off outside the stack, then delete again.
    rds.modify_db_instance(DBInstanceIdentifier=name, DeletionProtection=False, ApplyImmediately=True)
    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="does not exist"):
        cfn.describe_stacks(StackName=name)
    with pytest.raises(ClientError, match="DBInstanceNotFound"):
        rds.describe_db_instances(DBInstanceIdentifier=name)


def test_missing_ssm_parameter_is_named(aws):
    cfn = aws("cloudformation")
    name = unique("needs-ssm")
    body = template(
        {"Topic": {"Type": "AWS::SNS::Topic"}},
        parameters={"PoolId": {"Type": "AWS::SSM::Parameter::Value<String>",
                               "Default": f"/{name}/missing"}},
    )
    stack = deploy(cfn, name, body, via="changeset")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert f"Unable to fetch parameters [/{name}/missing]" in stack["StackStatusReason"]
