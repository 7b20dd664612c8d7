"""Route 53 alias record sets through CloudFormation (moto's own model): two records
of one name (A and AAAA), one changed, one removed; fixed zone ids for domains."""

import subprocess
import sys

from conftest import EMULATOR_DIR, VIAS, Emulator, deploy, template, unique


def records_template(zone_id: str, domain: str, targets: dict[str, str]) -> dict:
    return template({
        f"Alias{record_type}": {
            "Type": "AWS::Route53::RecordSet",
            "Properties": {
                "HostedZoneId": zone_id, "Name": domain, "Type": record_type,
                "AliasTarget": {"DNSName": target, "HostedZoneId": "Z1UJRXOUMOOFQ8"},
            },
        }
        for record_type, target in targets.items()
    })


def aliases(route53, zone_id: str, domain: str) -> dict[str, str]:
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {r["Type"]: r["AliasTarget"]["DNSName"] for r in records
            if r["Name"].rstrip(".") == domain}


@VIAS
def test_alias_records(aws, via):
    cfn, route53 = aws("cloudformation"), aws("route53")
    name = unique("records")
    zone_id = route53.create_hosted_zone(Name=f"{name}.example.com", CallerReference=name)
    zone_id = zone_id["HostedZone"]["Id"].removeprefix("/hostedzone/")
    domain = f"api.{name}.example.com"
    first = "d-first.execute-api.us-east-1.amazonaws.com"
    second = "d-second.execute-api.us-east-1.amazonaws.com"

    deploy(cfn, name, records_template(zone_id, domain, {"A": first, "AAAA": first}), via=via)
    assert aliases(route53, zone_id, domain) == {"A": first, "AAAA": first}

    # Changing the A record leaves the AAAA record of the same name alone.
    deploy(cfn, name, records_template(zone_id, domain, {"A": second, "AAAA": first}), via=via)
    assert aliases(route53, zone_id, domain) == {"A": second, "AAAA": first}

    # Removing the AAAA record from the template deletes only it.
    deploy(cfn, name, records_template(zone_id, domain, {"A": second}), via=via)
    assert aliases(route53, zone_id, domain) == {"A": second}

    cfn.delete_stack(StackName=name)
    assert aliases(route53, zone_id, domain) == {}


def test_hosted_zone_ids_fixed_by_the_launcher(monkeypatch):
    # A template's zone parameter defaults to the real zone's id: the launcher makes
    # CreateHostedZone for that domain return it. Other domains keep random ids.
    monkeypatch.setenv("BUBBLE_MOTO_HOSTED_ZONE_IDS", "example.org=Z0EXAMPLEORG, example.net.=Z0NET")
    emulator = Emulator()
    try:
        route53 = emulator.client("route53")
        made = {
            domain: route53.create_hosted_zone(Name=domain, CallerReference=domain)
            ["HostedZone"]["Id"].removeprefix("/hostedzone/")
            for domain in ("example.org", "example.net", "example.com")
        }
        assert made["example.org"] == "Z0EXAMPLEORG"
        assert made["example.net"] == "Z0NET"
        assert made["example.com"] not in ("Z0EXAMPLEORG", "Z0NET")
        assert route53.get_hosted_zone(Id="Z0EXAMPLEORG")["HostedZone"]["Name"] == "example.org."
    finally:
        emulator.stop()


def test_malformed_hosted_zone_ids_stop_the_launcher():
    env = {"PYTHONPATH": str(EMULATOR_DIR), "BUBBLE_MOTO_HOSTED_ZONE_IDS": "example.org"}
    done = subprocess.run(
        [sys.executable, "-m", "bubble_moto", "-H", "127.0.0.1", "-p", "1"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert "expected domain=ZONEID, got 'example.org'" in done.stderr
