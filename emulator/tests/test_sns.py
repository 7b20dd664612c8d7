"""SNS subscription and topic policy through CloudFormation."""

import json

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def topic_template(name: str, filter_policy: dict, publishers: str) -> dict:
    return template(
        {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": name}},
            "Subscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    "TopicArn": {"Ref": "Topic"},
                    "Protocol": "sqs",
                    "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]},
                    "RawMessageDelivery": True,
                    "FilterPolicy": filter_policy,
                },
            },
            "Email": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "email",
                               "Endpoint": "ops@example.com"},
            },
            "TopicPolicy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "Topics": [{"Ref": "Topic"}],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{"Sid": "Publishers", "Effect": "Allow",
                                       "Principal": {"Service": publishers},
                                       "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}],
                    },
                },
            },
        },
        {"Topic": {"Ref": "Topic"}, "Subscription": {"Ref": "Subscription"},
         "SubscriptionArn": {"Fn::GetAtt": ["Subscription", "Arn"]},
         "Policy": {"Ref": "TopicPolicy"}},
    )


@VIAS
def test_subscription_and_topic_policy(aws, via):
    cfn, sns, sqs = aws("cloudformation"), aws("sns"), aws("sqs")
    name = unique("alerts")
    out = outputs(deploy(cfn, name, topic_template(name, {"level": ["error"]}, "cloudwatch.amazonaws.com"), via=via))
    topic = out["Topic"]
    assert out["Subscription"] == out["SubscriptionArn"] and out["Policy"]

    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert {(s["Protocol"], s["Endpoint"].split(":")[-1]) for s in subscriptions} == {
        ("sqs", name), ("email", "ops@example.com")}
    attributes = sns.get_subscription_attributes(SubscriptionArn=out["Subscription"])["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert json.loads(attributes["FilterPolicy"]) == {"level": ["error"]}
    policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "cloudwatch.amazonaws.com"}

    # The subscription delivers: the filter lets "error" through, raw.
    queue_url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    sns.publish(TopicArn=topic, Message="boom",
                MessageAttributes={"level": {"DataType": "String", "StringValue": "error"}})
    sns.publish(TopicArn=topic, Message="fine",
                MessageAttributes={"level": {"DataType": "String", "StringValue": "info"}})
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in messages] == ["boom"]

    out2 = outputs(deploy(cfn, name, topic_template(name, {"level": ["warn"]}, "budgets.amazonaws.com"), via=via))
    assert out2["Subscription"] == out["Subscription"] and out2["Policy"] == out["Policy"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=out["Subscription"])["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"level": ["warn"]}
    policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "budgets.amazonaws.com"}

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        sns.get_subscription_attributes(SubscriptionArn=out["Subscription"])
