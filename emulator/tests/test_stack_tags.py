"""Stack tags given to CreateChangeSet reach the stack's table, bucket and queue;
a tag the template sets wins; ``aws:`` tags are not copied."""

import json

from conftest import template, unique

TAGS = [
    {"Key": "app", "Value": "shop"},
    {"Key": "stage", "Value": "dev"},
    {"Key": "cost-center", "Value": "web"},
]


def test_stack_tags_reach_the_resources(aws):
    cfn = aws("cloudformation")
    name = unique("tags")
    body = template(
        {
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "TableName": name,
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "Tags": [{"Key": "stage", "Value": "own"}],
                },
            },
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}},
        },
        {"TableArn": {"Fn::GetAtt": ["Table", "Arn"]}, "QueueUrl": {"Ref": "Queue"}},
    )
    change_set = cfn.create_change_set(
        StackName=name,
        ChangeSetName=unique("cs"),
        ChangeSetType="CREATE",
        TemplateBody=json.dumps(body),
        Tags=TAGS,
    )
    cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=name)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack
    assert {t["Key"]: t["Value"] for t in stack["Tags"]} == {
        "app": "shop", "stage": "dev", "cost-center": "web"}
    out = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}

    table = aws("dynamodb").list_tags_of_resource(ResourceArn=out["TableArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in table} == {
        "app": "shop", "stage": "own", "cost-center": "web"}, "the template's tag wins"
    bucket = aws("s3").get_bucket_tagging(Bucket=name)["TagSet"]
    assert {t["Key"]: t["Value"] for t in bucket}["cost-center"] == "web"
    queue = aws("sqs").list_queue_tags(QueueUrl=out["QueueUrl"])["Tags"]
    assert queue["app"] == "shop"
    assert not any(k.startswith("aws:") for k in {t["Key"] for t in table})


def test_a_stack_without_tags_tags_nothing(aws):
    cfn = aws("cloudformation")
    name = unique("untagged")
    body = template({"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}}},
                    {"QueueUrl": {"Ref": "Queue"}})
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(body))
    url = {o["OutputKey"]: o["OutputValue"]
           for o in cfn.describe_stacks(StackName=name)["Stacks"][0]["Outputs"]}["QueueUrl"]
    assert aws("sqs").list_queue_tags(QueueUrl=url).get("Tags", {}) == {}
