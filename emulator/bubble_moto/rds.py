"""AWS::RDS::DBInstance, DBParameterGroup and DBSubnetGroup, replacing moto's models,
which cannot be combined the way templates combine them: moto's parameter and subnet
groups have no physical id (Ref yields the Python object), its DBInstance expects an
object for DBSubnetGroupName and a string for DBParameterGroupName, ignores
DBInstanceIdentifier, VPCSecurityGroups and ManageMasterUserPassword, defaults every
engine to port 3306, and has no Fn::GetAtt MasterUserSecret.SecretArn. These models
create the same backend objects (DescribeDBInstances & co. see them), with Refs that
are names, as in CloudFormation. They take over the types because they are defined
after moto's."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.models import ec2_backends
from moto.rds.exceptions import (
    DBInstanceNotFoundError,
    DBParameterGroupNotFoundError,
    DBSubnetGroupNotFoundError,
)
from moto.rds.models import DBInstance, rds_backends

from ._common import ModelDefaults, as_bool, as_int, properties


def _backend(account_id: str, region_name: str) -> Any:
    return rds_backends[account_id][region_name]


class RDSDBSubnetGroup(ModelDefaults, CloudFormationModel):
    # Ref: the group name (lower case, as RDS stores it).
    ATTRIBUTES = ("DBSubnetGroupArn",)
    CREATE_ONLY = ("DBSubnetGroupName",)

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::RDS::DBSubnetGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBSubnetGroupName"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def group(self) -> Any:
        return _backend(self.account_id, self.region_name).subnet_groups[self.name]

    def attribute(self, name: str) -> Any:
        return self.group().arn

    @staticmethod
    def _subnets(props: dict[str, Any], account_id: str, region_name: str) -> list[Any]:
        ec2 = ec2_backends[account_id][region_name]
        return [ec2.get_subnet(subnet_id) for subnet_id in props["SubnetIds"]]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> RDSDBSubnetGroup:
        props = properties(cloudformation_json)
        group = _backend(account_id, region_name).create_subnet_group(
            resource_name.lower(),
            props["DBSubnetGroupDescription"],
            cls._subnets(props, account_id, region_name),
            props.get("Tags") or [],
        )
        model = cls(account_id, region_name, group.name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: RDSDBSubnetGroup,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> RDSDBSubnetGroup:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        group = original_resource.group()
        group.description = props["DBSubnetGroupDescription"]
        group.subnets = cls._subnets(props, account_id, region_name)
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_subnet_group(self.name)
        except DBSubnetGroupNotFoundError:
            pass


class RDSDBParameterGroup(ModelDefaults, CloudFormationModel):
    # Ref: the group name (lower case).
    ATTRIBUTES = ("DBParameterGroupArn",)
    CREATE_ONLY = ("DBParameterGroupName", "Description", "Family")

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::RDS::DBParameterGroup"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBParameterGroupName"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def group(self) -> Any:
        return _backend(self.account_id, self.region_name).db_parameter_groups[self.name]

    def attribute(self, name: str) -> Any:
        return self.group().arn

    @staticmethod
    def _parameters(props: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"ParameterName": name, "ParameterValue": str(value)}
            for name, value in (props.get("Parameters") or {}).items()
        ]

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> RDSDBParameterGroup:
        props = properties(cloudformation_json)
        group = _backend(account_id, region_name).create_db_parameter_group(
            {
                "db_parameter_group_name": resource_name.lower(),
                "db_parameter_group_family": props["Family"],
                "description": props["Description"],
                "tags": props.get("Tags") or [],
            }
        )
        group.update_parameters(cls._parameters(props))
        model = cls(account_id, region_name, group.name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: RDSDBParameterGroup,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> RDSDBParameterGroup:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        group = original_resource.group()
        group.parameters.clear()
        group.update_parameters(cls._parameters(props))
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_db_parameter_group(self.name)
        except DBParameterGroupNotFoundError:
            pass


# DBInstance properties that change in place (ModifyDBInstance) -> moto attribute.
_MODIFIABLE = {
    "AllocatedStorage": ("allocated_storage", as_int),
    "MaxAllocatedStorage": ("max_allocated_storage", as_int),
    "DBInstanceClass": ("db_instance_class", str),
    "EngineVersion": ("engine_version", str),
    "BackupRetentionPeriod": ("backup_retention_period", as_int),
    "MultiAZ": ("multi_az", as_bool),
    "DeletionProtection": ("deletion_protection", as_bool),
    "DBParameterGroupName": ("db_parameter_group_name", str),
    "PubliclyAccessible": ("publicly_accessible", as_bool),
    "AutoMinorVersionUpgrade": ("auto_minor_version_upgrade", as_bool),
    "CopyTagsToSnapshot": ("copy_tags_to_snapshot", as_bool),
    "StorageType": ("storage_type", str),
}


class RDSDBInstance(ModelDefaults, CloudFormationModel):
    # Ref: the DB instance identifier.
    ATTRIBUTES = (
        "Endpoint.Address",
        "Endpoint.Port",
        "DBInstanceArn",
        "DbiResourceId",
        "MasterUserSecret.SecretArn",
    )
    CREATE_ONLY = (
        "CharacterSetName",
        "DBClusterIdentifier",
        "DBInstanceIdentifier",
        "DBName",
        "DBSubnetGroupName",
        "KmsKeyId",
        "MasterUsername",
        "StorageEncrypted",
        "Engine",
    )

    def __init__(self, account_id: str, region_name: str, identifier: str):
        self.account_id = account_id
        self.region_name = region_name
        self.identifier = identifier
        self.props: dict[str, Any] = {}
        self.deletion_policy: str | None = None

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::RDS::DBInstance"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "DBInstanceIdentifier"

    @property
    def physical_resource_id(self) -> str:
        return self.identifier

    def database(self) -> Any:
        return _backend(self.account_id, self.region_name).databases[self.identifier]

    def attribute(self, name: str) -> Any:
        db = self.database()
        if name == "MasterUserSecret.SecretArn":
            return db.master_user_secret.secret.arn if db.manage_master_user_password else None
        return {
            "Endpoint.Address": db.address,
            "Endpoint.Port": str(db.port),  # a string in CloudFormation
            "DBInstanceArn": db.db_instance_arn,
            "DbiResourceId": db.dbi_resource_id,
        }[name]

    @staticmethod
    def _kwargs(identifier: str, props: dict[str, Any]) -> dict[str, Any]:
        engine = props.get("Engine")
        return {
            "db_instance_identifier": identifier,
            "db_instance_class": props.get("DBInstanceClass"),
            "engine": engine,
            "engine_version": props.get("EngineVersion"),
            "port": as_int(props.get("Port")) or DBInstance.default_port(engine),
            "allocated_storage": as_int(props.get("AllocatedStorage")),
            "max_allocated_storage": as_int(props.get("MaxAllocatedStorage")),
            "backup_retention_period": as_int(props.get("BackupRetentionPeriod", 1)),
            "auto_minor_version_upgrade": as_bool(props.get("AutoMinorVersionUpgrade"), True),
            "availability_zone": props.get("AvailabilityZone"),
            "db_name": props.get("DBName"),
            "db_subnet_group_name": props.get("DBSubnetGroupName"),
            "db_parameter_group_name": props.get("DBParameterGroupName"),
            "copy_tags_to_snapshot": as_bool(props.get("CopyTagsToSnapshot"), False),
            "iops": props.get("Iops"),
            "kms_key_id": props.get("KmsKeyId"),
            "master_username": props.get("MasterUsername"),
            "master_user_password": props.get("MasterUserPassword"),
            "manage_master_user_password": as_bool(props.get("ManageMasterUserPassword"), False),
            "master_user_secret_kms_key_id": props.get("MasterUserSecret", {}).get("KmsKeyId"),
            "multi_az": as_bool(props.get("MultiAZ"), False),
            "publicly_accessible": as_bool(props.get("PubliclyAccessible")),
            "storage_type": props.get("StorageType"),
            "storage_encrypted": as_bool(props.get("StorageEncrypted"), False),
            "deletion_protection": as_bool(props.get("DeletionProtection"), False),
            "vpc_security_group_ids": props.get("VPCSecurityGroups") or [],
            "tags": props.get("Tags") or [],
        }

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> RDSDBInstance:
        props = properties(cloudformation_json)
        identifier = resource_name.lower().replace("_", "-")
        _backend(account_id, region_name).create_db_instance(cls._kwargs(identifier, props))
        model = cls(account_id, region_name, identifier)
        model.props = props
        model.deletion_policy = cloudformation_json.get("DeletionPolicy")
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: RDSDBInstance,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> RDSDBInstance:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        db = original_resource.database()
        for prop, (attribute, convert) in _MODIFIABLE.items():
            if prop in props:
                setattr(db, attribute, convert(props[prop]))
        if "VPCSecurityGroups" in props:
            db.vpc_security_group_ids = props["VPCSecurityGroups"]
        original_resource.props = props
        original_resource.deletion_policy = cloudformation_json.get("DeletionPolicy")
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        # DeletionPolicy Snapshot (the default for DB instances): a final snapshot.
        # DeletionProtection: refused, as in AWS (the stack deletion fails).
        snapshot = self.deletion_policy in (None, "Snapshot")
        try:
            _backend(self.account_id, self.region_name).delete_db_instance(
                self.identifier,
                final_db_snapshot_identifier=f"{self.identifier}-final" if snapshot else None,
                skip_final_snapshot=not snapshot,
            )
        except DBInstanceNotFoundError:
            pass
