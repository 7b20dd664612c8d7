"""AWS::Cognito::UserPool, UserPoolClient and UserPoolDomain, created in moto's
cognito-idp backend (so DescribeUserPool, sign-in and JWKS see them)."""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.cognitoidp.models import cognitoidp_backends
from moto.core.common_models import CloudFormationModel

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    return cognitoidp_backends[account_id][region_name]


# CloudFormation-only properties of AWS::Cognito::UserPool; the rest are CreateUserPool
# request members under the same names, which moto keeps as the pool's "extended config".
_POOL_CFN_ONLY = ("UserPoolName", "EnabledMfas")


class CognitoUserPool(ModelDefaults, CloudFormationModel):
    # Ref: the pool id (us-east-1_AbC...). Nothing is create-only in the registry schema.
    ATTRIBUTES = ("Arn", "ProviderName", "ProviderURL", "UserPoolId")

    def __init__(self, account_id: str, region_name: str, pool_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.pool_id = pool_id

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Cognito::UserPool"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "UserPoolName"

    @property
    def physical_resource_id(self) -> str:
        return self.pool_id

    def pool(self) -> Any:
        return _backend(self.account_id, self.region_name).describe_user_pool(
            self.pool_id
        )

    def attribute(self, name: str) -> Any:
        provider = f"cognito-idp.{self.region_name}.amazonaws.com/{self.pool_id}"
        return {
            "Arn": lambda: self.pool().arn,
            "ProviderName": lambda: provider,
            "ProviderURL": lambda: f"https://{provider}",
            "UserPoolId": lambda: self.pool_id,
        }[name]()

    @staticmethod
    def _config(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in _POOL_CFN_ONLY}

    @staticmethod
    def _apply_mfa(pool: Any, props: dict[str, Any]) -> None:
        # EnabledMfas is CloudFormation's shorthand for SetUserPoolMfaConfig.
        enabled = props.get("EnabledMfas") or []
        pool.mfa_config = props.get("MfaConfiguration") or "OFF"
        pool.token_mfa_config = (
            {"Enabled": True} if "SOFTWARE_TOKEN_MFA" in enabled else None
        )
        if "SMS_MFA" in enabled:
            pool.sms_mfa_config = {"SmsConfiguration": props.get("SmsConfiguration")}

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CognitoUserPool:
        props = properties(cloudformation_json)
        pool = _backend(account_id, region_name).create_user_pool(
            resource_name, cls._config(props)
        )
        cls._apply_mfa(pool, props)
        return cls(account_id, region_name, pool.id)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CognitoUserPool,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CognitoUserPool:
        # In place, like UpdateUserPool: the pool id (and every user) survives.
        props = properties(cloudformation_json)
        pool = original_resource.pool()
        pool.name = props.get("UserPoolName") or pool.name  # a generated name is kept
        pool.update_extended_config(cls._config(props))
        cls._apply_mfa(pool, props)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(self.account_id, self.region_name)
        if self.pool_id not in backend.user_pools:
            return
        # AWS refuses; moto's DeleteUserPool does not look at the setting.
        if self.pool().extended_config.get("DeletionProtection") == "ACTIVE":
            raise InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated."
            )
        # A domain must go before its pool in AWS; moto would keep it dangling.
        for domain, entry in list(backend.user_pool_domains.items()):
            if entry.user_pool_id == self.pool_id:
                del backend.user_pool_domains[domain]
        backend.delete_user_pool(self.pool_id)


# Members of AWS::Cognito::UserPoolClient that are not CreateUserPoolClient settings.
_CLIENT_CFN_ONLY = ("UserPoolId", "GenerateSecret")


class CognitoUserPoolClient(ModelDefaults, CloudFormationModel):
    # Ref: the client id.
    ATTRIBUTES = ("ClientId", "ClientSecret", "Name")
    CREATE_ONLY = ("GenerateSecret", "UserPoolId")

    def __init__(self, account_id: str, region_name: str, pool_id: str, client_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.pool_id = pool_id
        self.client_id = client_id
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Cognito::UserPoolClient"

    @property
    def physical_resource_id(self) -> str:
        return self.client_id

    def client(self) -> Any:
        return _backend(self.account_id, self.region_name).describe_user_pool_client(
            self.pool_id, self.client_id
        )

    def attribute(self, name: str) -> Any:
        client = self.client()
        return {
            "ClientId": client.id,
            "ClientSecret": client.secret if client.generate_secret else None,
            "Name": client.extended_config.get("ClientName"),
        }[name]

    @staticmethod
    def _config(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in _CLIENT_CFN_ONLY}

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CognitoUserPoolClient:
        props = properties(cloudformation_json)
        client = _backend(account_id, region_name).create_user_pool_client(
            props["UserPoolId"], bool(props.get("GenerateSecret")), cls._config(props)
        )
        model = cls(account_id, region_name, props["UserPoolId"], client.id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CognitoUserPoolClient,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CognitoUserPoolClient:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        # UpdateUserPoolClient replaces the whole configuration: a setting dropped
        # from the template goes back to moto's default (or to unset).
        config = original_resource.client().extended_config
        for key in cls._config(original_resource.props):
            if key not in props:
                config.pop(key, None)
        config.update(cls._config(props))
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_user_pool_client(
                self.pool_id, self.client_id
            )
        except ResourceNotFoundError:
            pass  # deleted with its pool


class CognitoUserPoolDomain(ModelDefaults, CloudFormationModel):
    # Ref: the domain (prefix or custom domain name).
    ATTRIBUTES = ("CloudFrontDistribution",)
    CREATE_ONLY = ("UserPoolId", "Domain")

    def __init__(self, account_id: str, region_name: str, domain: str):
        self.account_id = account_id
        self.region_name = region_name
        self.domain = domain
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Cognito::UserPoolDomain"

    @property
    def physical_resource_id(self) -> str:
        return self.domain

    def attribute(self, name: str) -> Any:
        entry = _backend(self.account_id, self.region_name).describe_user_pool_domain(
            self.domain
        )
        return entry._distribution_name()

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CognitoUserPoolDomain:
        props = properties(cloudformation_json)
        _backend(account_id, region_name).create_user_pool_domain(
            props["UserPoolId"], props["Domain"], props.get("CustomDomainConfig")
        )
        model = cls(account_id, region_name, props["Domain"])
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CognitoUserPoolDomain,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CognitoUserPoolDomain:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        _backend(account_id, region_name).update_user_pool_domain(
            original_resource.domain, props.get("CustomDomainConfig") or {}
        )
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(self.account_id, self.region_name)
        backend.user_pool_domains.pop(self.domain, None)
