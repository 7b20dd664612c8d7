"""AWS::CloudWatch::Alarm, created in moto's CloudWatch backend (DescribeAlarms sees it).
moto models AWS::CloudWatch::Dashboard itself."""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import (
    Dimension,
    Metric,
    MetricDataQuery,
    MetricStat,
    cloudwatch_backends,
)
from moto.core.common_models import CloudFormationModel

from ._common import ModelDefaults, as_bool, as_float, as_int, properties


def _backend(account_id: str, region_name: str) -> Any:
    return cloudwatch_backends[account_id][region_name]


def _metric_queries(metrics: list[dict[str, Any]] | None) -> list[MetricDataQuery] | None:
    """The Metrics property (metric math alarms) -> moto's objects, as its
    PutMetricAlarm handler builds them."""
    if not metrics:
        return None
    queries = []
    for query in metrics:
        stat = query.get("MetricStat")
        metric_stat = None
        if stat:
            metric = stat.get("Metric", {})
            metric_stat = MetricStat(
                metric=Metric(
                    metric_name=metric.get("MetricName"),
                    namespace=metric.get("Namespace"),
                    dimensions=[
                        Dimension(d.get("Name"), d.get("Value"))
                        for d in metric.get("Dimensions", [])
                    ],
                ),
                period=stat.get("Period"),
                stat=stat.get("Stat"),
                unit=stat.get("Unit"),
            )
        queries.append(
            MetricDataQuery(
                query_id=query.get("Id"),
                label=query.get("Label"),
                period=query.get("Period"),
                return_data=query.get("ReturnData"),
                expression=query.get("Expression"),
                metric_stat=metric_stat,
            )
        )
    return queries


class CloudWatchAlarm(ModelDefaults, CloudFormationModel):
    # Ref: the alarm name.
    ATTRIBUTES = ("Arn",)
    CREATE_ONLY = ("AlarmName",)

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def attribute(self, name: str) -> Any:
        return _backend(self.account_id, self.region_name).alarms[self.name].alarm_arn

    @staticmethod
    def _put(name: str, props: dict[str, Any], account_id: str, region_name: str) -> None:
        # PutMetricAlarm creates or replaces the alarm of that name.
        _backend(account_id, region_name).put_metric_alarm(
            name=name,
            namespace=props.get("Namespace"),
            metric_name=props.get("MetricName"),
            metric_data_queries=_metric_queries(props.get("Metrics")),
            comparison_operator=props.get("ComparisonOperator"),
            evaluation_periods=as_int(props.get("EvaluationPeriods")),
            datapoints_to_alarm=as_int(props.get("DatapointsToAlarm")),
            period=as_int(props.get("Period")),
            threshold=as_float(props.get("Threshold")),
            statistic=props.get("Statistic"),
            extended_statistic=props.get("ExtendedStatistic"),
            description=props.get("AlarmDescription"),
            dimensions=props.get("Dimensions") or [],
            alarm_actions=props.get("AlarmActions") or [],
            ok_actions=props.get("OKActions") or [],
            insufficient_data_actions=props.get("InsufficientDataActions") or [],
            unit=props.get("Unit"),
            actions_enabled=as_bool(props.get("ActionsEnabled"), True),
            treat_missing_data=props.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=props.get(
                "EvaluateLowSampleCountPercentile"
            ),
            threshold_metric_id=props.get("ThresholdMetricId"),
            tags=props.get("Tags"),
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CloudWatchAlarm:
        props = properties(cloudformation_json)
        cls._put(resource_name, props, account_id, region_name)
        model = cls(account_id, region_name, resource_name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CloudWatchAlarm,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CloudWatchAlarm:
        props = properties(cloudformation_json)
        # A generated name (no AlarmName) is kept, as CloudFormation does.
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        cls._put(original_resource.name, props, account_id, region_name)
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(self.account_id, self.region_name).delete_alarms([self.name])
