"""AWS::EC2::SecurityGroupEgress (moto has no model) and AWS::EC2::SecurityGroupIngress
(replacing moto's, which has no physical id, update or delete), created in moto's EC2
backend (DescribeSecurityGroups / DescribeSecurityGroupRules see the rules).
The Ingress model takes over the type because it is defined after moto's."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import InvalidPermissionNotFoundError, InvalidSecurityGroupNotFoundError
from moto.ec2.models import ec2_backends

from ._common import ModelDefaults, as_int, properties


def _backend(account_id: str, region_name: str) -> Any:
    return ec2_backends[account_id][region_name]


class _SecurityGroupRule(ModelDefaults):
    """One rule of a security group. Ref: the rule id (sgr-...). Every property is
    create-only: a change replaces the rule."""

    ATTRIBUTES = ("Id",)
    DIRECTION = ""  # "ingress" | "egress"
    PEER = ""  # property naming the other security group
    PREFIX_LIST = ""  # property naming a prefix list

    def __init__(self, account_id: str, region_name: str, rule_id: str, rule: dict[str, Any]):
        self.account_id = account_id
        self.region_name = region_name
        self.rule_id = rule_id
        self.rule = rule  # the arguments that created it, to revoke it
        self.props: dict[str, Any] = {}

    @property
    def physical_resource_id(self) -> str:
        return self.rule_id

    def attribute(self, name: str) -> Any:
        return self.rule_id

    @classmethod
    def needs_replacement(cls, old: dict[str, Any], new: dict[str, Any]) -> bool:
        return old != new

    @classmethod
    def _rule(cls, props: dict[str, Any]) -> dict[str, Any]:
        description = props.get("Description")
        ip_ranges = []
        if props.get("CidrIp"):
            ip_ranges.append({"CidrIp": props["CidrIp"], "Description": description})
        if props.get("CidrIpv6"):
            ip_ranges.append({"CidrIpv6": props["CidrIpv6"], "Description": description})
        peers = [{"GroupId": props[cls.PEER], "Description": description}] if props.get(cls.PEER) else []
        if props.get("SourceSecurityGroupName"):  # ingress only, default VPC
            peers.append({"GroupName": props["SourceSecurityGroupName"]})
        prefix_lists = (
            [{"PrefixListId": props[cls.PREFIX_LIST], "Description": description}]
            if props.get(cls.PREFIX_LIST)
            else []
        )
        return dict(
            group_name_or_id=props.get("GroupId") or props.get("GroupName"),
            ip_protocol=str(props["IpProtocol"]),
            from_port=as_int(props.get("FromPort")),
            to_port=as_int(props.get("ToPort")),
            ip_ranges=ip_ranges,
            source_groups=peers,
            prefix_list_ids=prefix_lists,
        )

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        props = properties(cloudformation_json)
        rule = cls._rule(props)
        authorize = getattr(
            _backend(account_id, region_name), f"authorize_security_group_{cls.DIRECTION}"
        )
        added, _ = authorize(**rule)
        model = cls(account_id, region_name, added[0].id, rule)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        if not cls.needs_replacement(original_resource.props, properties(cloudformation_json)):
            return original_resource
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        revoke = getattr(
            _backend(self.account_id, self.region_name),
            f"revoke_security_group_{self.DIRECTION}",
        )
        try:
            revoke(**self.rule)
        except (InvalidPermissionNotFoundError, InvalidSecurityGroupNotFoundError):
            pass  # went with its group


class EC2SecurityGroupEgress(_SecurityGroupRule, CloudFormationModel):
    DIRECTION = "egress"
    PEER = "DestinationSecurityGroupId"
    PREFIX_LIST = "DestinationPrefixListId"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupEgress"


class EC2SecurityGroupIngress(_SecurityGroupRule, CloudFormationModel):
    DIRECTION = "ingress"
    PEER = "SourceSecurityGroupId"
    PREFIX_LIST = "SourcePrefixListId"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupIngress"
