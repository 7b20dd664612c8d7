"""AWS::CloudFront::Distribution and AWS::CloudFront::OriginAccessControl, created in
moto's CloudFront backend (GetDistribution / GetOriginAccessControl see them).

CloudFormation writes lists where the CloudFront API wraps them as
``{"Quantity": n, "Items": [...]}``, and spells a few members differently;
``_distribution_config`` converts. CachePolicy and ResponseHeadersPolicy are not
modelled: moto 5.2.5 has no such API to create them in (see emulator/README.md)."""

from __future__ import annotations

import copy
from typing import Any

from moto.cloudfront.exceptions import NoSuchDistribution, NoSuchOriginAccessControl
from moto.cloudfront.models import cloudfront_backends
from moto.core.common_models import CloudFormationModel
from moto.utilities.utils import get_partition

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    return cloudfront_backends[account_id][get_partition(region_name)]


def _items(values: list[Any] | None) -> dict[str, Any]:
    values = list(values or [])
    return {"Quantity": len(values), "Items": values}


def _behavior(cfn: dict[str, Any]) -> dict[str, Any]:
    behavior = copy.deepcopy(cfn)
    methods = behavior.pop("AllowedMethods", None) or ["GET", "HEAD"]
    cached = behavior.pop("CachedMethods", None) or ["GET", "HEAD"]
    behavior["AllowedMethods"] = {**_items(methods), "CachedMethods": _items(cached)}
    for key in ("TrustedSigners", "TrustedKeyGroups"):
        if key in behavior:
            behavior[key] = _items(behavior[key])
    return behavior


def _origin(cfn: dict[str, Any]) -> dict[str, Any]:
    origin = copy.deepcopy(cfn)
    headers = origin.pop("OriginCustomHeaders", None)
    if headers:
        origin["CustomHeaders"] = _items(headers)
    custom = origin.get("CustomOriginConfig")
    if custom:
        custom["HTTPPort"] = custom.pop("HTTPPort", 80)
        custom["HTTPSPort"] = custom.pop("HTTPSPort", 443)
        custom["OriginSslProtocols"] = _items(custom.pop("OriginSSLProtocols", ["TLSv1.2"]))
    return origin


_VIEWER_CERTIFICATE_NAMES = {
    "AcmCertificateArn": "ACMCertificateArn",
    "IamCertificateId": "IAMCertificateId",
    "SslSupportMethod": "SSLSupportMethod",
}


def _distribution_config(cfn: dict[str, Any], caller_reference: str) -> dict[str, Any]:
    config = copy.deepcopy(cfn)
    config["CallerReference"] = caller_reference
    config.setdefault("Comment", "")
    config["Origins"] = _items([_origin(o) for o in config.get("Origins", [])])
    config["DefaultCacheBehavior"] = _behavior(config["DefaultCacheBehavior"])
    if "CacheBehaviors" in config:
        config["CacheBehaviors"] = _items([_behavior(b) for b in config["CacheBehaviors"]])
    if "CustomErrorResponses" in config:
        config["CustomErrorResponses"] = _items(config["CustomErrorResponses"])
    if "Aliases" in config:
        config["Aliases"] = _items(config["Aliases"])
    if "IPV6Enabled" in config:
        config["IsIPV6Enabled"] = config.pop("IPV6Enabled")
    geo = config.get("Restrictions", {}).get("GeoRestriction")
    if geo is not None and "Locations" in geo:
        geo["Items"] = geo.pop("Locations")
    if "ViewerCertificate" in config:
        config["ViewerCertificate"] = {
            _VIEWER_CERTIFICATE_NAMES.get(k, k): v for k, v in config["ViewerCertificate"].items()
        }
    return config


class CloudFrontDistribution(ModelDefaults, CloudFormationModel):
    # Ref: the distribution id.
    ATTRIBUTES = ("DomainName", "Id")

    def __init__(self, account_id: str, region_name: str, distribution_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.distribution_id = distribution_id

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFront::Distribution"

    @property
    def physical_resource_id(self) -> str:
        return self.distribution_id

    def attribute(self, name: str) -> Any:
        distribution, _ = _backend(self.account_id, self.region_name).get_distribution(
            self.distribution_id
        )
        return {"DomainName": distribution.domain_name, "Id": distribution.distribution_id}[name]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CloudFrontDistribution:
        props = properties(cloudformation_json)
        distribution, _, _ = _backend(account_id, region_name).create_distribution(
            _distribution_config(props["DistributionConfig"], resource_name),
            props.get("Tags") or [],
        )
        return cls(account_id, region_name, distribution.distribution_id)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CloudFrontDistribution,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CloudFrontDistribution:
        backend = _backend(account_id, region_name)
        distribution, _ = backend.get_distribution(original_resource.distribution_id)
        config = _distribution_config(
            properties(cloudformation_json)["DistributionConfig"],
            distribution.distribution_config.caller_reference,
        )
        backend.update_distribution(config, original_resource.distribution_id, if_match=True)
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_distribution(
                self.distribution_id, if_match=True
            )
        except NoSuchDistribution:
            pass


class CloudFrontOriginAccessControl(ModelDefaults, CloudFormationModel):
    # Ref: the origin access control id.
    ATTRIBUTES = ("Id",)

    def __init__(self, account_id: str, region_name: str, control_id: str):
        self.account_id = account_id
        self.region_name = region_name
        self.control_id = control_id

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFront::OriginAccessControl"

    @property
    def physical_resource_id(self) -> str:
        return self.control_id

    def attribute(self, name: str) -> Any:
        return self.control_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CloudFrontOriginAccessControl:
        config = properties(cloudformation_json)["OriginAccessControlConfig"]
        control = _backend(account_id, region_name).create_origin_access_control(config)
        return cls(account_id, region_name, control.id)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CloudFrontOriginAccessControl,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CloudFrontOriginAccessControl:
        _backend(account_id, region_name).update_origin_access_control(
            original_resource.control_id,
            properties(cloudformation_json)["OriginAccessControlConfig"],
        )
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_origin_access_control(
                self.control_id
            )
        except (KeyError, NoSuchOriginAccessControl):
            pass
