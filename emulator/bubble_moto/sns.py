"""AWS::SNS::Subscription and AWS::SNS::TopicPolicy, created in moto's SNS backend
(ListSubscriptions / GetSubscriptionAttributes / GetTopicAttributes see them).
moto models AWS::SNS::Topic (and its inline Subscription property) itself."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.sns.exceptions import TopicNotFound
from moto.sns.models import sns_backends

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    return sns_backends[account_id][region_name]


# Subscription properties that are SetSubscriptionAttributes attributes. The two
# policies are JSON objects in templates and JSON strings in the API.
_SUBSCRIPTION_ATTRIBUTES = (
    "FilterPolicyScope",  # before FilterPolicy: moto validates the policy by scope
    "FilterPolicy",
    "RawMessageDelivery",
    "DeliveryPolicy",
    "RedrivePolicy",
    "SubscriptionRoleArn",
)


def _attribute_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class SNSSubscription(ModelDefaults, CloudFormationModel):
    # Ref: the subscription ARN.
    ATTRIBUTES = ("Arn",)
    CREATE_ONLY = ("Endpoint", "Protocol", "TopicArn")

    def __init__(self, account_id: str, region_name: str, arn: str):
        self.account_id = account_id
        self.region_name = region_name
        self.arn = arn
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    def attribute(self, name: str) -> Any:
        return self.arn

    def _set_attributes(self, props: dict[str, Any]) -> None:
        backend = _backend(self.account_id, self.region_name)
        for name in _SUBSCRIPTION_ATTRIBUTES:
            if name in props:
                backend.set_subscription_attributes(
                    self.arn, name, _attribute_value(props[name])
                )
            elif name in self.props:  # removed from the template
                backend.set_subscription_attributes(
                    self.arn, name, "false" if name == "RawMessageDelivery" else ""
                )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> SNSSubscription:
        props = properties(cloudformation_json)
        subscription = _backend(account_id, region_name).subscribe(
            props["TopicArn"], props.get("Endpoint"), props["Protocol"]
        )
        model = cls(account_id, region_name, subscription.arn)
        model._set_attributes(props)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: SNSSubscription,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SNSSubscription:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        original_resource._set_attributes(props)
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(self.account_id, self.region_name).unsubscribe(self.arn)


class SNSTopicPolicy(ModelDefaults, CloudFormationModel):
    # Ref: a generated policy id (as CloudFormation's, it names nothing in SNS).
    ATTRIBUTES = ("Id",)

    def __init__(self, account_id: str, region_name: str, policy_id: str, topics: list[str]):
        self.account_id = account_id
        self.region_name = region_name
        self.policy_id = policy_id
        self.topics = topics

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::TopicPolicy"

    @property
    def physical_resource_id(self) -> str:
        return self.policy_id

    def attribute(self, name: str) -> Any:
        return self.policy_id

    @staticmethod
    def _apply(account_id: str, region_name: str, topics: list[str], document: Any) -> None:
        backend = _backend(account_id, region_name)
        for arn in topics:
            backend.set_topic_attribute(arn, "policy", _attribute_value(document))

    @staticmethod
    def _reset(account_id: str, region_name: str, topics: list[str]) -> None:
        """Back to the policy a new topic has (what AWS does on delete)."""
        backend = _backend(account_id, region_name)
        for arn in topics:
            try:
                topic = backend.get_topic(arn)
            except TopicNotFound:
                continue  # deleted with the stack first
            topic._policy_json = topic._create_default_topic_policy(
                region_name, account_id, topic.name
            )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> SNSTopicPolicy:
        props = properties(cloudformation_json)
        topics = list(props["Topics"])
        cls._apply(account_id, region_name, topics, props["PolicyDocument"])
        return cls(account_id, region_name, resource_name, topics)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: SNSTopicPolicy,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SNSTopicPolicy:
        # In place; the id stays. Topics that left the list get the default policy.
        props = properties(cloudformation_json)
        topics = list(props["Topics"])
        cls._reset(account_id, region_name, [t for t in original_resource.topics if t not in topics])
        cls._apply(account_id, region_name, topics, props["PolicyDocument"])
        original_resource.topics = topics
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        self._reset(self.account_id, self.region_name, self.topics)
