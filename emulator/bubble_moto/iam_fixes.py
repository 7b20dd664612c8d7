"""Fixes to moto 5.2.5's AWS::IAM::Role model (monkeypatch), applied by ``register()``.

1. A role's inline ``Policies`` from a template were stored as Python dicts, so
   GetRolePolicy answered with their ``repr`` (``{'Statement': ...}``), not JSON. ->
   Stored as JSON, as PutRolePolicy stores them (and as AWS returns them, URL-encoded).
2. An update of the stack never applied a changed ``Policies`` list (moto's update only
   changes the description and session duration). -> The role's inline policies become
   the template's: changed ones replaced, removed ones deleted, new ones added.

A deploy that reads a role back to check it (the engine's permission verification)
needs both. Upstream, these belong in ``Role.put_policy`` and
``Role.update_from_cloudformation_json``.
"""

from __future__ import annotations

import json
from typing import Any

from moto.iam import models as iam

_original_update = iam.Role.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]


def _as_json(document: Any) -> str:
    if isinstance(document, str):
        return document
    # Templates parsed from YAML may carry the policy Version as a date.
    return json.dumps(document, default=iam._serialize_version_datetime)


def put_policy(self: iam.Role, policy_name: str, policy_json: Any) -> None:
    self.policies[policy_name] = _as_json(policy_json)


def update_from_cloudformation_json(
    cls: type,
    original_resource: iam.Role,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> iam.Role:
    role = _original_update(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    )
    wanted = {
        p["PolicyName"]: _as_json(p["PolicyDocument"])
        for p in cloudformation_json.get("Properties", {}).get("Policies", [])
    }
    for name in list(role.policies):
        if name not in wanted:
            role.delete_policy(name)
    for name, document in wanted.items():
        role.put_policy(name, document)
    return role


def patch() -> None:
    iam.Role.put_policy = put_policy  # type: ignore[method-assign]
    iam.Role.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)  # type: ignore[method-assign,assignment]
