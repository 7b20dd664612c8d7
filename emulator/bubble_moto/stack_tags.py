"""Stack tags reach the resources, as CloudFormation does it (applied by ``register()``).

moto 5.2.5 keeps the tags given to CreateStack / CreateChangeSet on the stack (DescribeStacks
shows them) but copies them only onto EC2 resources. AWS copies stack tags onto every
resource whose type takes tags. Here: right before moto creates a resource of a type in
``TAG_PROPERTY`` (types whose moto model reads its tags from the template), the stack's
tags are merged into the resource's tag property; a tag the template sets keeps its value.

Not modelled: the ``aws:cloudformation:*`` tags AWS adds too (moto's S3 refuses ``aws:``
keys), tags changed by a later update (AWS re-tags; here they stay as created), and types
not in the table (they get no stack tags, as before).
"""

from __future__ import annotations

import copy
from typing import Any

from moto.cloudformation import parsing

# Type -> tag property, for the types whose moto model stores ``Tags`` given as a list of
# {"Key", "Value"} (DynamoDB's ListTagsOfResource, S3's GetBucketTagging and SQS's
# ListQueueTags read it back; moto's SNS topic model ignores its Tags).
TAG_PROPERTY = {
    "AWS::DynamoDB::Table": "Tags",
    "AWS::S3::Bucket": "Tags",
    "AWS::SQS::Queue": "Tags",
}

_original_create = parsing.parse_and_create_resource


def _with_stack_tags(resource_json: dict[str, Any], resources_map: Any) -> dict[str, Any]:
    prop = TAG_PROPERTY.get(resource_json.get("Type", ""))
    stack_tags = {
        k: v
        for k, v in (getattr(resources_map, "tags", None) or {}).items()
        if not k.lower().startswith("aws:")
    }
    if prop is None or not stack_tags:
        return resource_json
    resource_json = copy.deepcopy(resource_json)
    props = resource_json.setdefault("Properties", {})
    own = props.get(prop) or []
    keys = {t.get("Key") for t in own if isinstance(t, dict)}
    props[prop] = list(own) + [
        {"Key": k, "Value": v} for k, v in sorted(stack_tags.items()) if k not in keys
    ]
    return resource_json


def parse_and_create_resource(
    logical_id: str,
    resource_json: dict[str, Any],
    resources_map: Any,
    account_id: str,
    region_name: str,
) -> Any:
    return _original_create(
        logical_id,
        _with_stack_tags(resource_json, resources_map),
        resources_map,
        account_id,
        region_name,
    )


def patch() -> None:
    # ResourceMap looks the function up in the module at call time.
    parsing.parse_and_create_resource = parse_and_create_resource
