"""AWS::CertificateManager::Certificate, requested in moto's acm backend
(DescribeCertificate, ListCertificates see it).

DNS validation. moto's RequestCertificate makes an AMAZON_ISSUED certificate in
``PENDING_VALIDATION`` and its DescribeCertificate turns it ``ISSUED`` once
``MOTO_ACM_VALIDATION_WAIT`` seconds (default 60) have passed; it validates nothing and
writes no DNS record. Real CloudFormation, given a ``HostedZoneId`` in
``DomainValidationOptions`` with ``ValidationMethod: DNS``, writes ACM's validation
CNAME into that zone and finishes the resource only once the certificate is issued.
The model does the same: it UPSERTs the CNAME that moto's DescribeCertificate names
into the Route 53 zone (when moto has that zone) and marks the certificate ``ISSUED``.
Without such a zone (or with EMAIL validation) the certificate keeps moto's
behaviour: pending, issued after the wait. Like CloudFormation, deletion leaves the
validation record in the zone (ACM reuses it for equal certificates).
"""

from __future__ import annotations

from typing import Any

from moto.acm.models import CertificateNotFound, acm_backends
from moto.core.common_models import CloudFormationModel
from moto.route53.exceptions import NoSuchHostedZone
from moto.route53.models import route53_backends
from moto.utilities.utils import get_partition

from ._common import ModelDefaults, properties


def _backend(account_id: str, region_name: str) -> Any:
    return acm_backends[account_id][region_name]


def _options(props: dict[str, Any]) -> dict[str, Any]:
    preference = props.get("CertificateTransparencyLoggingPreference") or "ENABLED"
    return {"CertificateTransparencyLoggingPreference": preference}


class CertificateManagerCertificate(ModelDefaults, CloudFormationModel):
    # Ref: the certificate ARN. No Fn::GetAtt attributes.
    CREATE_ONLY = (
        "SubjectAlternativeNames",
        "DomainValidationOptions",
        "KeyAlgorithm",
        "DomainName",
        "CertificateAuthorityArn",
        "CertificateExport",
    )

    def __init__(self, account_id: str, region_name: str, arn: str):
        self.account_id = account_id
        self.region_name = region_name
        self.arn = arn
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CertificateManager::Certificate"

    @property
    def physical_resource_id(self) -> str:
        return self.arn

    def certificate(self) -> Any:
        return _backend(self.account_id, self.region_name).get_certificate(self.arn)

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> CertificateManagerCertificate:
        props = properties(cloudformation_json)
        arn = _backend(account_id, region_name).request_certificate(
            domain_name=props["DomainName"],
            idempotency_token=None,
            subject_alt_names=props.get("SubjectAlternativeNames"),
            tags=props.get("Tags") or [],
            cert_authority_arn=props.get("CertificateAuthorityArn"),
            cert_options=_options(props),
        )
        model = cls(account_id, region_name, arn)
        model.props = props
        model._validate_through_dns()
        return model

    def _validate_through_dns(self) -> None:
        if (self.props.get("ValidationMethod") or "").upper() != "DNS":
            return
        certificate = self.certificate()
        if certificate.type != "AMAZON_ISSUED":
            return  # private CA: issued at once by moto
        records = {
            option["DomainName"]: option["ResourceRecord"]
            for option in certificate.describe()["Certificate"].get("DomainValidationOptions", [])
        }
        zones = {
            option["DomainName"]: option["HostedZoneId"]
            for option in self.props.get("DomainValidationOptions") or []
            if option.get("HostedZoneId")
        }
        route53 = route53_backends[self.account_id][get_partition(self.region_name)]
        validated = []
        for domain, record in records.items():
            zone_id = zones.get(domain)
            if not zone_id:
                continue
            try:
                zone = route53.get_hosted_zone(zone_id)
            except NoSuchHostedZone:
                continue
            zone.upsert_rrset({
                "Name": record["Name"],
                "Type": record["Type"],
                "TTL": 300,
                "ResourceRecords": [record["Value"]],
            })
            validated.append(domain)
        if records and len(validated) == len(records):
            certificate.status = "ISSUED"

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: CertificateManagerCertificate,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CertificateManagerCertificate:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            new = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
            original_resource.delete(account_id, region_name)
            return new
        certificate = original_resource.certificate()
        certificate.cert_options.update(_options(props))
        certificate.tags.clear()
        certificate.tags.add(props.get("Tags") or [])
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(self.account_id, self.region_name).delete_certificate(self.arn)
        except CertificateNotFound:
            pass
