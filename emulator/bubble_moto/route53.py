"""Fix to moto's AWS::Route53::RecordSet model (moto models the type itself), and
fixed hosted zone ids for domains.

moto updates a record set by deleting *every* record of its name and creating the
new one, so changing the A alias of ``api.example.com`` also deleted the AAAA alias
of the same name (as the alias pair of a custom domain has). ``patch()`` makes an
update remove only the record being updated: same name, type and set identifier.

A template that places records in an existing zone takes the zone's id as a parameter
whose default is the real zone's id (e.g. ``Z0BUBBLEBATCHCOMZONE``); moto draws zone ids
at random. ``BUBBLE_MOTO_HOSTED_ZONE_IDS="example.com=Z0EXAMPLE,..."`` makes
CreateHostedZone for that domain return that id (moto's own custom-id mechanism), so the
unmodified template deploys.
"""

from __future__ import annotations

from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.route53.models import HostedZoneIdentifier, RecordSet, route53_backends
from moto.utilities.id_generator import moto_id_manager
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


HOSTED_ZONE_IDS_ENV = "BUBBLE_MOTO_HOSTED_ZONE_IDS"


def preset_zone_ids(spec: str, account_id: str = DEFAULT_ACCOUNT_ID) -> dict[str, str]:
    """Reads ``domain=ID,domain=ID`` and registers each id for the domain's next
    CreateHostedZone (public zone, default delegation set). Returns what it registered;
    a malformed entry is an error, not ignored."""
    registered: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        domain, sep, zone_id = entry.partition("=")
        domain, zone_id = domain.strip().rstrip("."), zone_id.strip()
        if not sep or not domain or not zone_id:
            raise ValueError(f"{HOSTED_ZONE_IDS_ENV}: expected domain=ZONEID, got {entry!r}")
        # CreateHostedZone names the zone with a trailing dot.
        identifier = HostedZoneIdentifier(account_id, f"{domain}.", None)
        moto_id_manager.set_custom_id(identifier, zone_id)
        registered[domain] = zone_id
    return registered
