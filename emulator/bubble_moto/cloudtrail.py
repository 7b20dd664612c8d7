"""AWS::CloudTrail::Trail, created in moto's cloudtrail backend (GetTrail,
DescribeTrails, GetTrailStatus, GetEventSelectors see it).

moto checks what CreateTrail checks: the name, that the S3 bucket (and SNS topic)
exist, and that a multi-region trail includes global service events. It delivers no
log files; ``IsLogging`` is the trail's status (StartLogging/StopLogging).
"""

from __future__ import annotations

from typing import Any

from moto.cloudtrail.exceptions import (
    InvalidParameterCombinationException,
    TrailNotFoundException,
)
from moto.cloudtrail.models import cloudtrail_backends
from moto.core.common_models import CloudFormationModel

from ._common import ModelDefaults, as_bool, properties


def _backend(account_id: str, region_name: str) -> Any:
    return cloudtrail_backends[account_id][region_name]


def _fields(props: dict[str, Any]) -> dict[str, Any]:
    """The trail's settings, with CreateTrail's defaults for what the template omits
    (so removing a property from the template restores the default)."""
    fields = dict(
        bucket_name=props["S3BucketName"],
        s3_key_prefix=props.get("S3KeyPrefix"),
        sns_topic_name=props.get("SnsTopicName"),
        include_global_service_events=as_bool(props.get("IncludeGlobalServiceEvents"), True),
        is_multi_region=as_bool(props.get("IsMultiRegionTrail"), False),
        log_validation=as_bool(props.get("EnableLogFileValidation"), False),
        is_org_trail=as_bool(props.get("IsOrganizationTrail"), False),
        cw_log_group_arn=props.get("CloudWatchLogsLogGroupArn"),
        cw_role_arn=props.get("CloudWatchLogsRoleArn"),
        kms_key_id=props.get("KMSKeyId"),
    )
    if fields["is_multi_region"] and not fields["include_global_service_events"]:
        raise InvalidParameterCombinationException(
            "Multi-Region trail must include global service events."
        )
    return fields


class CloudTrailTrail(ModelDefaults, CloudFormationModel):
    # Ref: the trail name.
    ATTRIBUTES = ("Arn", "SnsTopicArn")
    CREATE_ONLY = ("TrailName",)

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudTrail::Trail"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "TrailName"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def trail(self) -> Any:
        return _backend(self.account_id, self.region_name).get_trail(self.name)

    def attribute(self, name: str) -> Any:
        trail = self.trail()
        return trail.arn if name == "Arn" else trail.topic_arn

    def _apply_selectors_and_logging(self, props: dict[str, Any]) -> None:
        trail = self.trail()
        trail.event_selectors = props.get("EventSelectors") or []
        trail.advanced_event_selectors = props.get("AdvancedEventSelectors") or []
        trail.insight_selectors = props.get("InsightSelectors") or []
        logging = as_bool(props.get("IsLogging"), False)
        if logging and not trail.status.is_logging:
            trail.start_logging()
        elif not logging and trail.status.is_logging:
            trail.stop_logging()

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CloudTrailTrail:
        props = properties(cloudformation_json)
        fields = _fields(props)
        trail = _backend(account_id, region_name).create_trail(
            name=props.get("TrailName") or resource_name,
            bucket_name=fields["bucket_name"],
            s3_key_prefix=fields["s3_key_prefix"],
            sns_topic_name=fields["sns_topic_name"],
            is_global=fields["include_global_service_events"],
            is_multi_region=fields["is_multi_region"],
            log_validation=fields["log_validation"],
            is_org_trail=fields["is_org_trail"],
            cw_log_group_arn=fields["cw_log_group_arn"],
            cw_role_arn=fields["cw_role_arn"],
            kms_key_id=fields["kms_key_id"],
            tags_list=props.get("Tags") or [],
        )
        model = cls(account_id, region_name, trail.trail_name)
        model.props = props
        model._apply_selectors_and_logging(props)
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CloudTrailTrail,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CloudTrailTrail:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        trail = original_resource.trail()
        # Set every field: moto's UpdateTrail ignores empty values, so it could not
        # clear e.g. a key prefix the template no longer names.
        for field, value in _fields(props).items():
            setattr(trail, field, value)
        trail.check_bucket_exists()
        trail.check_topic_exists()
        backend = _backend(account_id, region_name)
        arn = trail.arn
        backend.tagging_service.delete_all_tags_for_resource(arn)
        backend.tagging_service.tag_resource(arn, props.get("Tags") or [])
        original_resource._apply_selectors_and_logging(props)
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_trail(self.name)
        except TrailNotFoundException:
            pass
