"""AWS::Lambda::Alias and AWS::Lambda::EventInvokeConfig (moto has no model), and AWS::Lambda::Version and
AWS::Lambda::Permission (replacing moto's, which have no physical id / Ref value, no
Fn::GetAtt, no update and no delete), created in moto's Lambda backend (GetAlias,
ListVersionsByFunction, GetPolicy see them).

The Version and Permission models take over their types because moto builds its
type -> model map from the list of subclasses in definition order, and these are
defined after moto's."""

from __future__ import annotations

from typing import Any

import json

from moto.awslambda.exceptions import (
    UnknownEventConfig,
    UnknownFunctionException,
    UnknownPolicyException,
)
from moto.awslambda.utils import get_backend
from moto.core.common_models import CloudFormationModel

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    # Not lambda_backends: with {"lambda": {"use_docker": false}} moto keeps the
    # functions in another backend (awslambda_simple), which get_backend picks.
    return get_backend(account_id, region_name)


def _routing_config(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """CloudFormation lists {FunctionVersion, FunctionWeight}; the API takes a map."""
    if not config:
        return None
    return {
        "AdditionalVersionWeights": {
            w["FunctionVersion"]: float(w["FunctionWeight"])
            for w in config.get("AdditionalVersionWeights", [])
        }
    }


class LambdaAlias(ModelDefaults, CloudFormationModel):
    # Ref: the alias ARN.
    ATTRIBUTES = ("AliasArn",)
    CREATE_ONLY = ("Name", "FunctionName")

    def __init__(self, account_id: str, region_name: str, function: str, name: str, arn: str):
        self.account_id = account_id
        self.region_name = region_name
        self.function = function
        self.name = name
        self.arn = arn
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Alias"

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    def attribute(self, name: str) -> Any:
        return self.arn

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> LambdaAlias:
        props = properties(cloudformation_json)
        alias = _backend(account_id, region_name).create_alias(
            name=props["Name"],
            function_name=props["FunctionName"],
            function_version=str(props["FunctionVersion"]),
            description=props.get("Description") or "",
            routing_config=_routing_config(props.get("RoutingConfig")),
        )
        model = cls(account_id, region_name, props["FunctionName"], props["Name"], alias.arn)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: LambdaAlias,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LambdaAlias:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        alias = _backend(account_id, region_name).get_alias(
            original_resource.name, original_resource.function
        )
        # Set every field: moto's update_alias keeps a field given as None.
        alias.function_version = str(props["FunctionVersion"])
        alias.description = props.get("Description") or ""
        alias.routing_config = _routing_config(props.get("RoutingConfig"))
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_alias(self.name, self.function)
        except UnknownFunctionException:
            pass  # deleted with its function


class LambdaVersion(ModelDefaults, CloudFormationModel):
    # Ref: the version's ARN (function ARN + ":<version>").
    ATTRIBUTES = ("FunctionArn", "Version")
    CREATE_ONLY = (
        "FunctionName",
        "Description",
        "CodeSha256",
        "ProvisionedConcurrencyConfig",
        "RuntimePolicy",
    )

    def __init__(self, account_id: str, region_name: str, function: str, version: str, arn: str):
        self.account_id = account_id
        self.region_name = region_name
        self.function = function
        self.version = version
        self.arn = arn
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Version"

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    def attribute(self, name: str) -> Any:
        return {"FunctionArn": self.arn, "Version": self.version}[name]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> LambdaVersion:
        props = properties(cloudformation_json)
        # Like PublishVersion: nothing changed since the last version -> that version.
        published = _backend(account_id, region_name).publish_version(
            props["FunctionName"], props.get("Description") or ""
        )
        model = cls(
            account_id,
            region_name,
            published.function_name,
            str(published.version),
            published.function_arn,
        )
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: LambdaVersion,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LambdaVersion:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            # A version is immutable: publish a new one. The old one goes in the
            # clean-up phase in AWS; moto has none, so right away.
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            if new.arn != original_resource.arn:
                original_resource.delete(account_id, region_name)
            return new
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_function(
                self.function, self.version
            )
        except UnknownFunctionException:
            pass  # deleted with its function


class LambdaPermission(ModelDefaults, CloudFormationModel):
    # Ref: the statement id (CloudFormation generates one per resource).
    # Every property is create-only: any change replaces the statement.
    CREATE_ONLY = (
        "Action",
        "EventSourceToken",
        "FunctionName",
        "FunctionUrlAuthType",
        "Principal",
        "PrincipalOrgID",
        "SourceAccount",
        "SourceArn",
    )

    def __init__(self, account_id: str, region_name: str, function: str, sid: str):
        self.account_id = account_id
        self.region_name = region_name
        self.function = function
        self.sid = sid
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Permission"

    @property
    def physical_resource_id(self) -> str:
        return self.sid

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> LambdaPermission:
        props = properties(cloudformation_json)
        # The AddPermission request: FunctionName is in the URL, not the body.
        statement = {k: v for k, v in props.items() if k != "FunctionName"}
        statement["StatementId"] = resource_name
        _backend(account_id, region_name).add_permission(
            props["FunctionName"], None, json.dumps(statement)
        )
        model = cls(account_id, region_name, props["FunctionName"], resource_name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: LambdaPermission,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LambdaPermission:
        if not cls.needs_replacement(original_resource.props, properties(cloudformation_json)):
            return original_resource
        new = cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )
        original_resource.delete(account_id, region_name)
        return new

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).remove_permission(
                self.function, self.sid
            )
        except (UnknownFunctionException, UnknownPolicyException):
            pass  # deleted with its function


class LambdaEventInvokeConfig(ModelDefaults, CloudFormationModel):
    """A function's asynchronous-invocation settings (retries, maximum event age,
    destinations): PutFunctionEventInvokeConfig; GetFunctionEventInvokeConfig sees it."""

    CREATE_ONLY = ("FunctionName", "Qualifier")
    SETTINGS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")

    def __init__(self, account_id: str, region_name: str, function: str, qualifier: str):
        self.account_id = account_id
        self.region_name = region_name
        self.function = function
        self.qualifier = qualifier
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::EventInvokeConfig"

    @property
    def physical_resource_id(self) -> str:
        return f"{self.function}:{self.qualifier}"

    @classmethod
    def _put(cls, props: dict[str, Any], account_id: str, region_name: str) -> None:
        config = {k: props[k] for k in cls.SETTINGS if k in props}
        for key in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds"):
            if key in config:
                config[key] = int(config[key])
        _backend(account_id, region_name).put_function_event_invoke_config(
            props["FunctionName"], config
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> LambdaEventInvokeConfig:
        props = properties(cloudformation_json)
        cls._put(props, account_id, region_name)
        model = cls(account_id, region_name, props["FunctionName"], props["Qualifier"])
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: LambdaEventInvokeConfig,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LambdaEventInvokeConfig:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        # moto's put replaces the settings (one config per function).
        original_resource.delete(account_id, region_name)
        cls._put(props, account_id, region_name)
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_function_event_invoke_config(
                self.function
            )
        except (UnknownFunctionException, UnknownEventConfig):
            pass  # deleted with its function
