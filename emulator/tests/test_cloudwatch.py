"""CloudWatch alarm through CloudFormation."""

from conftest import VIAS, deploy, outputs, template, unique


def alarm_template(name: str, threshold: int) -> dict:
    return template(
        {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}},
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "AlarmName": name,
                    "AlarmDescription": "too many errors",
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Dimensions": [{"Name": "FunctionName", "Value": "worker"}],
                    "Statistic": "Sum",
                    "Period": 300,
                    "EvaluationPeriods": 1,
                    "Threshold": threshold,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "TreatMissingData": "notBreaching",
                    "AlarmActions": [{"Ref": "Topic"}],
                    "OKActions": [{"Ref": "Topic"}],
                },
            },
            "P99": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "Namespace": "AWS/ApiGateway",
                    "MetricName": "Latency",
                    "ExtendedStatistic": "p99",
                    "Period": 60,
                    "EvaluationPeriods": 5,
                    "Threshold": "1500",
                    "ComparisonOperator": "GreaterThanThreshold",
                },
            },
        },
        {"Name": {"Ref": "Alarm"}, "Arn": {"Fn::GetAtt": ["Alarm", "Arn"]},
         "P99": {"Ref": "P99"}, "Topic": {"Ref": "Topic"}},
    )


@VIAS
def test_alarm(aws, via):
    cfn, cloudwatch = aws("cloudformation"), aws("cloudwatch")
    name = unique("errors")
    out = outputs(deploy(cfn, name, alarm_template(name, 1), via=via))
    assert out["Name"] == name

    alarm = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    assert alarm["AlarmArn"] == out["Arn"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/Lambda", "Errors", "Sum")
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": "worker"}]
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"]) == (300, 1, 1.0)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["AlarmActions"] == [out["Topic"]] and alarm["OKActions"] == [out["Topic"]]
    assert alarm["TreatMissingData"] == "notBreaching"
    p99 = cloudwatch.describe_alarms(AlarmNames=[out["P99"]])["MetricAlarms"][0]
    assert p99["ExtendedStatistic"] == "p99" and p99["Threshold"] == 1500.0

    out2 = outputs(deploy(cfn, name, alarm_template(name, 5), via=via))
    assert out2 == out  # names kept, also the generated one
    assert cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["Threshold"] == 5.0

    cfn.delete_stack(StackName=name)
    assert cloudwatch.describe_alarms(AlarmNames=[name, out["P99"]])["MetricAlarms"] == []
