"""AWS::ApiGatewayV2::Api, Stage, Route, Integration, Authorizer, DomainName and
ApiMapping, created in moto's apigatewayv2 backend (GetApi, GetRoutes, GetIntegrations,
GetStage, GetAuthorizer, GetDomainName, GetApiMappings see them).

moto's apigatewayv2 backend keeps the REST-JSON request members (camelCase) as they
came; CloudFormation spells them in PascalCase, so ``_request`` converts, descending
only into members whose keys are field names, never into maps keyed by user data
(Tags, RequestParameters, StageVariables, ...).
"""

from __future__ import annotations

from typing import Any

from moto.apigatewayv2.exceptions import (
    ApiMappingNotFound,
    ApiNotFound,
    AuthorizerNotFound,
    DomainNameNotFound,
    IntegrationNotFound,
    RouteNotFound,
)
from moto.apigatewayv2.models import Stage, apigatewayv2_backends
from moto.core.common_models import CloudFormationModel
from moto.moto_api._internal import mock_random

from ._common import ModelDefaults, as_bool, as_int, camel_keys, properties


def _backend(account_id: str, region_name: str) -> Any:
    return apigatewayv2_backends[account_id][region_name]


def _request(props: dict[str, Any], structured: tuple[str, ...] = ()) -> dict[str, Any]:
    """CloudFormation properties -> the API's camelCase request body."""
    body = {}
    for key, value in props.items():
        body[key[:1].lower() + key[1:]] = camel_keys(value) if key in structured else value
    return body


class _ApiChild(ModelDefaults):
    """Shared by the models that live inside one API (ApiId is create-only for all)."""

    CREATE_ONLY = ("ApiId",)

    def __init__(self, account_id: str, region_name: str, api_id: str, child_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.api_id = api_id
        self.child_id = child_id
        self.props: dict[str, Any] = {}

    @property
    def physical_resource_id(self) -> str:
        return self.child_id

    def api(self) -> Any:
        return _backend(self.account_id, self.region_name).get_api(self.api_id)

    @classmethod
    def _replace_or_update(
        cls, original: Any, name: str, cfn_json: dict[str, Any], account_id: str, region_name: str
    ) -> Any:
        props = properties(cfn_json)
        if cls.needs_replacement(original.props, props):
            new = cls.create_from_cloudformation_json(name, cfn_json, account_id, region_name)
            original.delete(account_id, region_name)
            return new
        original.update_in_place(props)
        original.props = props
        return original


class ApiGatewayV2Api(ModelDefaults, CloudFormationModel):
    # Ref: the API id.
    ATTRIBUTES = ("ApiEndpoint", "ApiId")
    CREATE_ONLY = ("ProtocolType",)

    def __init__(self, account_id: str, region_name: str, api_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.api_id = api_id
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Api"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @property
    def physical_resource_id(self) -> str:
        return self.api_id

    def attribute(self, name: str) -> Any:
        api = _backend(self.account_id, self.region_name).get_api(self.api_id)
        return {"ApiEndpoint": api.api_endpoint, "ApiId": api.api_id}[name]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2Api:
        props = properties(cloudformation_json)
        body = _request(props, structured=("CorsConfiguration",))
        api = _backend(account_id, region_name).create_api(
            api_key_selection_expression=body.get("apiKeySelectionExpression"),
            cors_configuration=body.get("corsConfiguration"),
            description=body.get("description"),
            disable_schema_validation=as_bool(body.get("disableSchemaValidation")),
            disable_execute_api_endpoint=as_bool(body.get("disableExecuteApiEndpoint")),
            name=resource_name,
            protocol_type=body.get("protocolType"),
            route_selection_expression=body.get("routeSelectionExpression"),
            tags=body.get("tags") or {},
            version=body.get("version"),
        )
        model = cls(account_id, region_name, api.api_id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2Api,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2Api:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        body = _request(props, structured=("CorsConfiguration",))
        api = _backend(account_id, region_name).update_api(
            original_resource.api_id,
            api_key_selection_expression=body.get("apiKeySelectionExpression"),
            cors_configuration=body.get("corsConfiguration"),
            description=body.get("description"),
            disable_schema_validation=as_bool(body.get("disableSchemaValidation")),
            disable_execute_api_endpoint=as_bool(body.get("disableExecuteApiEndpoint")),
            name=props.get("Name"),  # None keeps the (generated) name
            route_selection_expression=body.get("routeSelectionExpression"),
            version=body.get("version"),
        )
        if "corsConfiguration" not in body:
            api.cors_configuration = None  # removed from the template
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(self.account_id, self.region_name).delete_api(self.api_id)


class ApiGatewayV2Stage(_ApiChild, CloudFormationModel):
    # Ref: the stage name. No Fn::GetAtt attributes.
    CREATE_ONLY = ("ApiId", "StageName")
    _STRUCTURED = ("AccessLogSettings", "DefaultRouteSettings")

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Stage"

    @classmethod
    def _config(cls, props: dict[str, Any]) -> dict[str, Any]:
        config = _request(props, structured=cls._STRUCTURED)
        # RouteSettings is keyed by route key: convert the settings, not the keys.
        config["routeSettings"] = {
            route: camel_keys(settings)
            for route, settings in (props.get("RouteSettings") or {}).items()
        }
        config.pop("apiId", None)
        return config

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2Stage:
        props = properties(cloudformation_json)
        stage = _backend(account_id, region_name).create_stage(
            props["ApiId"], cls._config(props)
        )
        model = cls(account_id, region_name, props["ApiId"], stage.name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2Stage,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2Stage:
        return cls._replace_or_update(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )

    def update_in_place(self, props: dict[str, Any]) -> None:
        api = self.api()
        created = api.stages[self.child_id].created
        stage = Stage(api=api, config=self._config(props))
        stage.created = created
        api.stages[self.child_id] = stage

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            self.api().delete_stage(self.child_id)
        except ApiNotFound:
            pass  # deleted with its API


class ApiGatewayV2Route(_ApiChild, CloudFormationModel):
    # Ref: the route id.
    ATTRIBUTES = ("RouteId",)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Route"

    @staticmethod
    def _fields(props: dict[str, Any]) -> dict[str, Any]:
        body = _request(props)
        return dict(
            api_key_required=as_bool(body.get("apiKeyRequired"), False),
            authorization_scopes=body.get("authorizationScopes"),
            authorization_type=body.get("authorizationType", "NONE"),
            authorizer_id=body.get("authorizerId"),
            model_selection_expression=body.get("modelSelectionExpression"),
            operation_name=body.get("operationName"),
            request_models=body.get("requestModels"),
            # {"route.request.header.x": {"Required": true}} -> {..: {"required": true}}
            request_parameters={
                k: camel_keys(v) for k, v in (props.get("RequestParameters") or {}).items()
            }
            or None,
            route_key=body.get("routeKey"),
            route_response_selection_expression=body.get(
                "routeResponseSelectionExpression"
            ),
            target=body.get("target"),
        )

    def attribute(self, name: str) -> Any:
        return self.child_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2Route:
        props = properties(cloudformation_json)
        route = _backend(account_id, region_name).create_route(
            api_id=props["ApiId"], **cls._fields(props)
        )
        model = cls(account_id, region_name, props["ApiId"], route.route_id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2Route,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2Route:
        return cls._replace_or_update(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )

    def update_in_place(self, props: dict[str, Any]) -> None:
        # Set every field: moto's update_route ignores empty values, so it could not
        # clear e.g. an authorizer that the template no longer names.
        route = self.api().get_route(self.child_id)
        for field, value in self._fields(props).items():
            setattr(route, field, value)

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            self.api().delete_route(self.child_id)
        except (ApiNotFound, RouteNotFound):
            pass


# Integration fields moto fills with a default when the request leaves them out.
_INTEGRATION_DEFAULTED = ("integration_method", "passthrough_behavior", "timeout_in_millis")


class ApiGatewayV2Integration(_ApiChild, CloudFormationModel):
    # Ref: the integration id.
    ATTRIBUTES = ("IntegrationId",)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Integration"

    @staticmethod
    def _fields(props: dict[str, Any]) -> dict[str, Any]:
        body = _request(props, structured=("TlsConfig",))
        # CloudFormation: {"200": {"ResponseParameters": [{"Destination", "Source"}]}};
        # the API: {"200": {destination: source}}.
        response_parameters = {
            status: {p["Destination"]: p["Source"] for p in entry.get("ResponseParameters", [])}
            for status, entry in (props.get("ResponseParameters") or {}).items()
        }
        return dict(
            connection_id=body.get("connectionId"),
            connection_type=body.get("connectionType"),
            content_handling_strategy=body.get("contentHandlingStrategy"),
            credentials_arn=body.get("credentialsArn"),
            description=body.get("description"),
            integration_method=body.get("integrationMethod"),
            integration_subtype=body.get("integrationSubtype"),
            integration_type=body.get("integrationType"),
            integration_uri=body.get("integrationUri"),
            passthrough_behavior=body.get("passthroughBehavior"),
            payload_format_version=body.get("payloadFormatVersion"),
            request_parameters=body.get("requestParameters"),
            request_templates=body.get("requestTemplates"),
            response_parameters=response_parameters or None,
            template_selection_expression=body.get("templateSelectionExpression"),
            timeout_in_millis=body.get("timeoutInMillis"),
            tls_config=body.get("tlsConfig"),
        )

    def attribute(self, name: str) -> Any:
        return self.child_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2Integration:
        props = properties(cloudformation_json)
        integration = _backend(account_id, region_name).create_integration(
            api_id=props["ApiId"], **cls._fields(props)
        )
        model = cls(account_id, region_name, props["ApiId"], integration.id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2Integration,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2Integration:
        return cls._replace_or_update(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )

    def update_in_place(self, props: dict[str, Any]) -> None:
        integration = self.api().get_integration(self.child_id)
        for field, value in self._fields(props).items():
            if field == "timeout_in_millis":
                value = as_int(value)
            if value is None and field in _INTEGRATION_DEFAULTED:
                continue  # keep the default moto chose at creation
            setattr(integration, field, value)

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            self.api().delete_integration(self.child_id)
        except (ApiNotFound, IntegrationNotFound):
            pass


class ApiGatewayV2Authorizer(_ApiChild, CloudFormationModel):
    # Ref: the authorizer id.
    ATTRIBUTES = ("AuthorizerId",)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::Authorizer"

    @staticmethod
    def _fields(props: dict[str, Any]) -> dict[str, Any]:
        body = _request(props, structured=("JwtConfiguration",))
        return dict(
            auth_creds_arn=body.get("authorizerCredentialsArn"),
            auth_payload_format_version=body.get("authorizerPayloadFormatVersion"),
            auth_result_ttl=as_int(body.get("authorizerResultTtlInSeconds")),
            authorizer_type=body.get("authorizerType"),
            authorizer_uri=body.get("authorizerUri"),
            enable_simple_response=as_bool(body.get("enableSimpleResponses")),
            identity_source=body.get("identitySource"),
            identity_validation_expr=body.get("identityValidationExpression"),
            jwt_config=body.get("jwtConfiguration"),
            name=body.get("name"),
        )

    def attribute(self, name: str) -> Any:
        return self.child_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2Authorizer:
        props = properties(cloudformation_json)
        authorizer = _backend(account_id, region_name).create_authorizer(
            props["ApiId"], **cls._fields(props)
        )
        model = cls(account_id, region_name, props["ApiId"], authorizer.id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2Authorizer,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2Authorizer:
        return cls._replace_or_update(
            original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )

    def update_in_place(self, props: dict[str, Any]) -> None:
        authorizer = self.api().get_authorizer(self.child_id)
        for field, value in self._fields(props).items():
            setattr(authorizer, field, value)

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            self.api().delete_authorizer(self.child_id)
        except (ApiNotFound, AuthorizerNotFound):
            pass


# Route 53 hosted zone of API Gateway's regional endpoints (execute-api) per region,
# https://docs.aws.amazon.com/general/latest/gr/apigateway.html. A custom domain's
# alias records point into this zone.
REGIONAL_HOSTED_ZONE_IDS = {
    "us-east-1": "Z1UJRXOUMOOFQ8",
    "us-east-2": "ZOJJZC49E0EPZ",
    "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC",
    "af-south-1": "Z2DHW2332DAMTN",
    "ap-east-1": "Z3FD1VL90ND7K5",
    "ap-south-1": "Z3VO1THU9YC4UR",
    "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-northeast-2": "Z20JF4UZKIW1U8",
    "ap-northeast-3": "Z22ILHG95FLSZ2",
    "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
    "ca-central-1": "Z19DQILCV0OWEC",
    "eu-central-1": "Z1U9ULNL0V5AJ3",
    "eu-west-1": "ZLY8HYME6SFDD",
    "eu-west-2": "ZJ5UAJN8Y3Z2Q",
    "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-north-1": "Z3UWIKFBOOGXPP",
    "eu-south-1": "Z3BT4WSQ9TDYZV",
    "me-south-1": "Z20ZBPC0SS8806",
    "sa-east-1": "ZCMLWB8V5SYIT",
}


class ApiGatewayV2DomainName(ModelDefaults, CloudFormationModel):
    """A custom domain. Each configuration gets what API Gateway adds to it: the
    regional endpoint's target ``d-<10 chars>.execute-api.<region>.amazonaws.com``,
    the region's hosted zone id and status ``AVAILABLE`` (moto stores the request's
    configurations as they came)."""

    # Ref: the domain name.
    ATTRIBUTES = ("DomainNameArn", "RegionalDomainName", "RegionalHostedZoneId")
    CREATE_ONLY = ("DomainName",)

    def __init__(self, account_id: str, region_name: str, domain_name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.domain_name = domain_name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::DomainName"

    @property
    def physical_resource_id(self) -> str:
        return self.domain_name

    def domain(self) -> Any:
        return _backend(self.account_id, self.region_name).get_domain_name(self.domain_name)

    def attribute(self, name: str) -> Any:
        domain = self.domain()
        if name == "DomainNameArn":
            return domain.domain_name_arn
        config = (domain.domain_name_configurations or [{}])[0]
        key = "apiGatewayDomainName" if name == "RegionalDomainName" else "hostedZoneId"
        return config.get(key)

    @classmethod
    def _configurations(
        cls, props: dict[str, Any], region_name: str, targets: list[str]
    ) -> list[dict[str, Any]]:
        """The configurations as GetDomainName returns them; ``targets`` keeps the
        endpoint names an update must not change."""
        configurations = []
        for index, entry in enumerate(props.get("DomainNameConfigurations") or [{}]):
            config = camel_keys(entry)
            config.setdefault("endpointType", "REGIONAL")
            target = (
                targets[index]
                if index < len(targets)
                else f"d-{mock_random.get_random_string(10, lower_case=True)}"
                f".execute-api.{region_name}.amazonaws.com"
            )
            config.update(
                apiGatewayDomainName=target,
                hostedZoneId=REGIONAL_HOSTED_ZONE_IDS.get(region_name, "Z1UJRXOUMOOFQ8"),
                domainNameStatus="AVAILABLE",
            )
            configurations.append(config)
        return configurations

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2DomainName:
        props = properties(cloudformation_json)
        domain = _backend(account_id, region_name).create_domain_name(
            domain_name=props["DomainName"],
            domain_name_configurations=cls._configurations(props, region_name, []),
            mutual_tls_authentication=camel_keys(props.get("MutualTlsAuthentication")),
            tags=props.get("Tags") or {},
        )
        model = cls(account_id, region_name, domain.domain_name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2DomainName,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2DomainName:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        domain = original_resource.domain()
        targets = [c.get("apiGatewayDomainName") for c in domain.domain_name_configurations or []]
        domain.domain_name_configurations = cls._configurations(props, region_name, targets)
        domain.mutual_tls_authentication = camel_keys(props.get("MutualTlsAuthentication"))
        domain.tags = props.get("Tags") or {}
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(self.account_id, self.region_name)
        # moto's DeleteDomainName removes the domain's mappings while iterating over
        # them (RuntimeError with more than one): remove them first.
        for mapping_id, mapping in list(backend.api_mappings.items()):
            if mapping.domain_name == self.domain_name:
                del backend.api_mappings[mapping_id]
        try:
            backend.delete_domain_name(self.domain_name)
        except DomainNameNotFound:
            pass


class ApiGatewayV2ApiMapping(ModelDefaults, CloudFormationModel):
    # Ref: the API mapping id.
    ATTRIBUTES = ("ApiMappingId",)
    CREATE_ONLY = ("DomainName",)

    def __init__(self, account_id: str, region_name: str, domain_name: str, mapping_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.domain_name = domain_name
        self.mapping_id = mapping_id
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGatewayV2::ApiMapping"

    @property
    def physical_resource_id(self) -> str:
        return self.mapping_id

    def attribute(self, name: str) -> Any:
        return self.mapping_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> ApiGatewayV2ApiMapping:
        props = properties(cloudformation_json)
        mapping = _backend(account_id, region_name).create_api_mapping(
            api_id=props["ApiId"],
            api_mapping_key=props.get("ApiMappingKey") or "",
            domain_name=props["DomainName"],
            stage=props["Stage"],
        )
        model = cls(account_id, region_name, props["DomainName"], mapping.api_mapping_id)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: ApiGatewayV2ApiMapping,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> ApiGatewayV2ApiMapping:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        # UpdateApiMapping keeps the id (moto has no such call: set the fields).
        backend = _backend(account_id, region_name)
        if props["ApiId"] not in backend.apis:
            raise ApiNotFound("The resource specified in the request was not found.")
        mapping = backend.get_api_mapping(
            original_resource.mapping_id, original_resource.domain_name
        )
        mapping.api_id = props["ApiId"]
        mapping.api_mapping_key = props.get("ApiMappingKey") or ""
        mapping.stage = props["Stage"]
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_api_mapping(
                self.mapping_id, self.domain_name
            )
        except (ApiMappingNotFound, DomainNameNotFound):
            pass  # deleted with its domain
