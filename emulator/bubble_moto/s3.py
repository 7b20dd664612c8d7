"""AWS::S3::BucketPolicy, stored on the bucket in moto's S3 backend (GetBucketPolicy
returns it), plus a fix to how moto enforces bucket policies, applied by ``register()``.

Why the fix: moto evaluates a bucket policy on every object request, but ignores the
Condition block of a statement (it only knows StringEquals, and gives it no request
values). The common statement "Deny s3:* when aws:SecureTransport is false" then
denies *every* object request, so a stack with that policy would make its bucket
unusable in the emulator. IAM's rule is that a condition on a key the request does
not carry is false (except for the ...IfExists and Null operators). moto's S3 requests
carry no condition keys, so ``bucket_permission`` below drops statements whose
conditions cannot hold without keys, and evaluates the rest as moto does.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    return s3_backends[account_id][get_partition(region_name)]


def _policy_text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)


class S3BucketPolicy(ModelDefaults, CloudFormationModel):
    # Ref: the bucket name (the type's primary identifier). No Fn::GetAtt attributes.
    CREATE_ONLY = ("Bucket",)

    def __init__(self, account_id: str, region_name: str, bucket: str):
        self.account_id = account_id
        self.region_name = region_name
        self.bucket = bucket
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @property
    def physical_resource_id(self) -> str:
        return self.bucket

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> S3BucketPolicy:
        props = properties(cloudformation_json)
        _backend(account_id, region_name).put_bucket_policy(
            props["Bucket"], _policy_text(props["PolicyDocument"]).encode()
        )
        model = cls(account_id, region_name, props["Bucket"])
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: S3BucketPolicy,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> S3BucketPolicy:
        if cls.needs_replacement(original_resource.props, properties(cloudformation_json)):
            original_resource.delete(account_id, region_name)
        # PutBucketPolicy replaces the policy: also the update in place.
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_bucket_policy(self.bucket)
        except MissingBucket:
            pass  # the bucket went first


def _holds_without_keys(operator: str, keys: dict[str, Any]) -> bool:
    """Whether a condition operator is true for a request that carries none of its keys."""
    if operator.endswith("IfExists"):
        return True
    if operator == "Null":  # {"Null": {"key": "true"}} means "key is absent"
        return all(str(v).lower() == "true" for v in keys.values())
    return False


def bucket_permission(self: FakeBucket, action: str, resource: str) -> Any:
    """Replacement for ``FakeBucket.get_permission`` (see the module docstring)."""
    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(self.policy.decode())
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    applicable = []
    for statement in statements:
        conditions = statement.get("Condition") or {}
        if all(_holds_without_keys(op, keys) for op, keys in conditions.items()):
            applicable.append({k: v for k, v in statement.items() if k != "Condition"})
    if not applicable:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**policy, "Statement": applicable})).is_action_permitted(
        action, resource
    )


def patch() -> None:
    FakeBucket.get_permission = bucket_permission  # type: ignore[method-assign]
