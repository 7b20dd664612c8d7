"""AWS::SecretsManager::Secret, created in moto's Secrets Manager backend
(DescribeSecret / GetSecretValue see it, including a generated password)."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.secretsmanager.models import secretsmanager_backends

from ._common import ModelDefaults, as_bool, as_int, properties


def _backend(account_id: str, region_name: str) -> Any:
    return secretsmanager_backends[account_id][region_name]


def _secret_string(backend: Any, props: dict[str, Any]) -> str | None:
    """SecretString, or one made as GenerateSecretString says (GetRandomPassword,
    placed under GenerateStringKey of SecretStringTemplate when both are given)."""
    spec = props.get("GenerateSecretString")
    if not spec:
        return props.get("SecretString")
    password = backend.get_random_password(
        password_length=as_int(spec.get("PasswordLength")) or 32,
        exclude_characters=spec.get("ExcludeCharacters") or "",
        exclude_numbers=as_bool(spec.get("ExcludeNumbers"), False),
        exclude_punctuation=as_bool(spec.get("ExcludePunctuation"), False),
        exclude_uppercase=as_bool(spec.get("ExcludeUppercase"), False),
        exclude_lowercase=as_bool(spec.get("ExcludeLowercase"), False),
        include_space=as_bool(spec.get("IncludeSpace"), False),
        require_each_included_type=as_bool(spec.get("RequireEachIncludedType"), True),
    )
    password = json.loads(password)["RandomPassword"] if password.startswith("{") else password
    if spec.get("SecretStringTemplate") and spec.get("GenerateStringKey"):
        document = json.loads(spec["SecretStringTemplate"])
        document[spec["GenerateStringKey"]] = password
        return json.dumps(document)
    return password


class SecretsManagerSecret(ModelDefaults, CloudFormationModel):
    # Ref: the secret ARN.
    ATTRIBUTES = ("Id",)
    CREATE_ONLY = ("Name",)

    def __init__(self, account_id: str, region_name: str, name: str, arn: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.arn = arn
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SecretsManager::Secret"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

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
    ) -> SecretsManagerSecret:
        props = properties(cloudformation_json)
        backend = _backend(account_id, region_name)
        backend.create_secret(
            name=resource_name,
            secret_string=_secret_string(backend, props),
            secret_binary=None,
            description=props.get("Description"),
            tags=props.get("Tags"),
            kms_key_id=props.get("KmsKeyId"),
            client_request_token=None,
            replica_regions=props.get("ReplicaRegions") or [],
            force_overwrite=False,
        )
        secret = backend.describe_secret(resource_name)
        model = cls(account_id, region_name, resource_name, secret.arn)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: SecretsManagerSecret,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SecretsManagerSecret:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        backend = _backend(account_id, region_name)
        old = original_resource.props
        # A new value only when the value's definition changed (as CloudFormation:
        # an unchanged GenerateSecretString does not rotate the password).
        changed_value = old.get("SecretString") != props.get("SecretString") or old.get(
            "GenerateSecretString"
        ) != props.get("GenerateSecretString")
        if changed_value:
            backend.put_secret_value(
                original_resource.name,
                secret_string=_secret_string(backend, props),
                secret_binary=None,
                client_request_token=None,
                version_stages=["AWSCURRENT"],
            )
        # Metadata in place (moto's update_secret would always add a version).
        secret = backend.describe_secret(original_resource.name)
        secret.description = props.get("Description")
        if props.get("KmsKeyId"):
            secret.kms_key_id = props["KmsKeyId"]
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(self.account_id, self.region_name).delete_secret(
            self.name, recovery_window_in_days=None, force_delete_without_recovery=True
        )
