"""CloudWatch over Smithy RPC v2 CBOR, the only protocol of the AWS SDK for Rust's
CloudWatch client since 1.100 (see bubble_moto/rpcv2_cbor.py). A boto3 client forced to
that protocol stands in for it: same wire format, botocore's own CBOR codecs."""

from __future__ import annotations

import datetime
from typing import Any, Iterator

import botocore.model
import pytest
from botocore.exceptions import ClientError
from conftest import REGION, Emulator, unique

from bubble_moto.rpcv2_cbor import operation_name


@pytest.fixture(scope="module")
def cbor(emulator: Emulator) -> Iterator[Any]:
    """A CloudWatch client that speaks RPC v2 CBOR (botocore would pick JSON 1.0)."""
    preferred = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",)
    try:
        client = emulator.client("cloudwatch")
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = preferred
    assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    yield client


def put_alarm(client: Any, name: str) -> None:
    client.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Dimensions=[{"Name": "FunctionName", "Value": "worker"}],
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.5,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )


def test_alarms_round_trip_with_typed_values(cbor):
    name = unique("cbor-alarm")
    put_alarm(cbor, name)
    alarm = cbor.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    assert alarm["AlarmName"] == name
    assert alarm["Threshold"] == 1.5
    assert alarm["Period"] == 60
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": "worker"}]
    # A timestamp arrives as CBOR tag 1 and is read back as a datetime.
    assert isinstance(alarm["StateUpdatedTimestamp"], datetime.datetime)
    assert alarm["AlarmArn"].startswith(f"arn:aws:cloudwatch:{REGION}:")


def test_set_alarm_state_is_seen_by_both_protocols(cbor, aws):
    name = unique("cbor-state")
    put_alarm(cbor, name)
    # An operation without output: an empty CBOR answer.
    cbor.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="forced by a test")
    via_cbor = cbor.describe_alarms(AlarmNames=[name], StateValue="ALARM")["MetricAlarms"]
    via_json = aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert [a["StateValue"] for a in via_cbor + via_json] == ["ALARM", "ALARM"]
    assert via_cbor[0]["StateReason"] == "forced by a test"


def test_metric_data_with_timestamps_in_and_out(cbor):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    namespace = unique("Cbor")
    cbor.put_metric_data(
        Namespace=namespace,
        MetricData=[{"MetricName": "Hits", "Value": 3.0, "Timestamp": now, "Unit": "Count"}],
    )
    out = cbor.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "hits",
                "MetricStat": {
                    "Metric": {"Namespace": namespace, "MetricName": "Hits"},
                    "Period": 60,
                    "Stat": "Sum",
                },
            }
        ],
        StartTime=now - datetime.timedelta(minutes=5),
        EndTime=now + datetime.timedelta(minutes=5),
    )
    result = out["MetricDataResults"][0]
    assert result["Id"] == "hits"
    assert result["Values"] == [3.0]


def test_errors_keep_their_code_and_message(cbor):
    with pytest.raises(ClientError) as e:
        cbor.delete_dashboards(DashboardNames=[unique("missing")])
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_only_operation_paths_are_translated():
    assert operation_name("/service/GraniteServiceVersion20100801/operation/DescribeAlarms") == (
        "DescribeAlarms"
    )
    assert operation_name("/") is None
    assert operation_name("/service/X/other/DescribeAlarms") is None
