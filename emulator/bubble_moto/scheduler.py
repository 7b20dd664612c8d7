"""AWS::Scheduler::Schedule and AWS::Scheduler::ScheduleGroup, created in moto's
EventBridge Scheduler backend (GetSchedule/ListSchedules see them; moto never fires
a schedule)."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.scheduler.exceptions import ScheduleNotFound
from moto.scheduler.models import scheduler_backends

from ._common import ModelDefaults, epoch_seconds, properties


def _backend(account_id: str, region_name: str) -> Any:
    return scheduler_backends[account_id][region_name]


class SchedulerSchedule(ModelDefaults, CloudFormationModel):
    # Ref: the schedule name.
    ATTRIBUTES = ("Arn",)
    CREATE_ONLY = ("Name",)

    def __init__(self, account_id: str, region_name: str, group: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.group = group
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Scheduler::Schedule"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def attribute(self, name: str) -> Any:
        return _backend(self.account_id, self.region_name).get_schedule(self.group, self.name).arn

    @staticmethod
    def _fields(props: dict[str, Any]) -> dict[str, Any]:
        return dict(
            description=props.get("Description"),
            end_date=epoch_seconds(props.get("EndDate")),
            flexible_time_window=props.get("FlexibleTimeWindow"),
            kms_key_arn=props.get("KmsKeyArn"),
            schedule_expression=props.get("ScheduleExpression"),
            schedule_expression_timezone=props.get("ScheduleExpressionTimezone"),
            start_date=epoch_seconds(props.get("StartDate")),
            state=props.get("State") or "ENABLED",
            target=dict(props.get("Target") or {}),
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> SchedulerSchedule:
        props = properties(cloudformation_json)
        group = props.get("GroupName") or "default"
        _backend(account_id, region_name).create_schedule(
            name=resource_name,
            group_name=group,
            action_after_completion=None,
            **cls._fields(props),
        )
        model = cls(account_id, region_name, group, resource_name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: SchedulerSchedule,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SchedulerSchedule:
        props = properties(cloudformation_json)
        group = props.get("GroupName") or "default"
        if cls.needs_replacement(original_resource.props, props) or group != original_resource.group:
            # A new name is a new schedule; a new group moves it (delete, then create).
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        _backend(account_id, region_name).update_schedule(
            group_name=group, name=original_resource.name, **cls._fields(props)
        )
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(self.account_id, self.region_name)
        if self.group in backend.schedule_groups:
            try:
                backend.delete_schedule(self.group, self.name)
            except ScheduleNotFound:
                pass


class SchedulerScheduleGroup(ModelDefaults, CloudFormationModel):
    # Ref: the group name.
    ATTRIBUTES = ("Arn", "CreationDate", "LastModificationDate", "State")
    CREATE_ONLY = ("Name",)

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Scheduler::ScheduleGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def attribute(self, name: str) -> Any:
        group = _backend(self.account_id, self.region_name).get_schedule_group(self.name)
        return {
            "Arn": group.arn,
            "CreationDate": group.created_on,
            "LastModificationDate": group.last_modified,
            "State": "ACTIVE",
        }[name]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> SchedulerScheduleGroup:
        props = properties(cloudformation_json)
        _backend(account_id, region_name).create_schedule_group(
            name=resource_name, tags=props.get("Tags") or []
        )
        model = cls(account_id, region_name, resource_name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: SchedulerScheduleGroup,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SchedulerScheduleGroup:
        if cls.needs_replacement(original_resource.props, properties(cloudformation_json)):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        backend = _backend(account_id, region_name)
        group = backend.get_schedule_group(original_resource.name)
        backend.tag_resource(group.arn, properties(cloudformation_json).get("Tags") or [])
        original_resource.props = properties(cloudformation_json)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(self.account_id, self.region_name).schedule_groups.pop(self.name, None)
