"""Fix to moto's AWS::Route53::RecordSet model (moto models the type itself).

moto updates a record set by deleting *every* record of its name and creating the
new one, so changing the A alias of ``api.example.com`` also deleted the AAAA alias
of the same name (as the alias pair of a custom domain has). ``patch()`` makes an
update remove only the record being updated: same name, type and set identifier.
"""

from __future__ import annotations

from typing import Any

from moto.route53.models import RecordSet, route53_backends
from moto.utilities.utils import get_partition


def _remove(record: RecordSet, account_id: str, region_name: str) -> None:
    backend = route53_backends[account_id][get_partition(region_name)]
    zone = backend.get_hosted_zone_by_name(record.hosted_zone_name) if record.hosted_zone_name else None
    if zone is None:
        zone = backend.get_hosted_zone(record.hosted_zone_id)
    zone.rrsets = [
        r for r in zone.rrsets
        if (r.name, r.type, r.set_identifier)
        != (record.name, record.type, record.set_identifier)
    ]


@classmethod  # type: ignore[misc]
def update_from_cloudformation_json(
    cls: type[RecordSet],
    original_resource: RecordSet,
    new_resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> RecordSet:
    _remove(original_resource, account_id, region_name)
    return cls.create_from_cloudformation_json(
        new_resource_name, cloudformation_json, account_id, region_name
    )


def patch() -> None:
    RecordSet.update_from_cloudformation_json = update_from_cloudformation_json  # type: ignore[method-assign]
