"""ACM certificate through CloudFormation: DNS validation in a Route 53 zone."""

import pytest
from botocore.exceptions import ClientError
from conftest import VIAS, deploy, outputs, template, unique


def certificate_template(domain: str, zone_id: str | None, team: str) -> dict:
    names = [domain, f"www.{domain}"]
    zone = {"HostedZoneId": zone_id} if zone_id else {}
    return template(
        {"Certificate": {
            "Type": "AWS::CertificateManager::Certificate",
            "Properties": {
                "DomainName": domain,
                "SubjectAlternativeNames": names[1:],
                "ValidationMethod": "DNS",
                "DomainValidationOptions": [{"DomainName": n, **zone} for n in names],
                "Tags": [{"Key": "team", "Value": team}],
            },
        }},
        {"Arn": {"Ref": "Certificate"}},
    )


@VIAS
def test_certificate_validated_in_zone(aws, via):
    cfn, acm, route53 = aws("cloudformation"), aws("acm"), aws("route53")
    name = unique("cert")
    domain = f"{name}.example.com"
    zone_id = route53.create_hosted_zone(Name=domain, CallerReference=name)["HostedZone"]["Id"]
    zone_id = zone_id.removeprefix("/hostedzone/")

    arn = outputs(deploy(cfn, name, certificate_template(domain, zone_id, "a"), via=via))["Arn"]
    certificate = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert certificate["DomainName"] == domain and certificate["Type"] == "AMAZON_ISSUED"
    assert sorted(certificate["SubjectAlternativeNames"]) == sorted([domain, f"www.{domain}"])
    # CloudFormation finishes a DNS-validated certificate once ACM issued it.
    assert certificate["Status"] == "ISSUED"
    # The validation CNAME ACM asks for is in the zone.
    wanted = {o["ResourceRecord"]["Name"] for o in certificate["DomainValidationOptions"]}
    assert len(wanted) == 2
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert wanted <= {r["Name"] for r in records if r["Type"] == "CNAME"}

    # Tags change in place (same ARN).
    assert outputs(deploy(cfn, name, certificate_template(domain, zone_id, "b"), via=via))["Arn"] == arn
    assert acm.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [{"Key": "team", "Value": "b"}]

    # Another domain replaces the certificate.
    other = f"api.{domain}"
    arn2 = outputs(deploy(cfn, name, certificate_template(other, zone_id, "b"), via=via))["Arn"]
    assert arn2 != arn
    assert acm.describe_certificate(CertificateArn=arn2)["Certificate"]["DomainName"] == other
    with pytest.raises(ClientError, match="ResourceNotFound"):
        acm.describe_certificate(CertificateArn=arn)

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="ResourceNotFound"):
        acm.describe_certificate(CertificateArn=arn2)


def test_certificate_without_zone_stays_pending(aws):
    """No hosted zone to write the record to: moto's own behaviour (pending, issued
    after MOTO_ACM_VALIDATION_WAIT)."""
    cfn, acm = aws("cloudformation"), aws("acm")
    name = unique("cert")
    arn = outputs(deploy(cfn, name, certificate_template(f"{name}.example.com", None, "a")))["Arn"]
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "PENDING_VALIDATION"
    cfn.delete_stack(StackName=name)
