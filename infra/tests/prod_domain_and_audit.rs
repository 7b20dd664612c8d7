//! Seed 002's prod-only pieces: the API's custom domain (certificate validated by DNS in
//! the stage's hosted zone, regional domain name, mapping, alias records; the published
//! API URL is the custom one) and the CloudTrail audit log. Dev has neither.
use infra::stacks::stage::Stage;
use infra::synth_stage;
use serde_json::Value;

fn templates(stage: Stage) -> Vec<(String, Value)> {
    synth_stage(stage)
        .unwrap()
        .into_iter()
        .map(|s| (s.name, serde_json::from_str(&s.template_json).unwrap()))
        .collect()
}

fn of_type<'a>(template: &'a Value, type_name: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == type_name)
        .collect()
}

fn stack(stage: Stage, name: &str) -> Value {
    templates(stage)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{stage}: no {name} stack"))
        .1
}

#[test]
fn prod_serves_the_api_on_its_custom_domain() {
    let domain = Stage::Prod.api_domain().expect("prod names a domain");
    let api = stack(Stage::Prod, "Api");
    let certificates = of_type(&api, "AWS::CertificateManager::Certificate");
    let [(certificate_id, certificate)] = certificates.as_slice() else {
        panic!("one certificate: {certificates:?}")
    };
    let props = &certificate["Properties"];
    assert_eq!(props["DomainName"], domain.domain_name);
    assert_eq!(props["ValidationMethod"], "DNS");
    let zone = &props["DomainValidationOptions"][0]["HostedZoneId"]["Ref"];
    let zone = zone.as_str().expect("the zone is a parameter");
    assert_eq!(api["Parameters"][zone]["Default"], domain.hosted_zone_id);
    assert_eq!(
        api["Parameters"][zone]["Type"],
        "AWS::Route53::HostedZone::Id"
    );

    let names = of_type(&api, "AWS::ApiGatewayV2::DomainName");
    let [(name_id, name)] = names.as_slice() else {
        panic!("one domain name: {names:?}")
    };
    let config = &name["Properties"]["DomainNameConfigurations"][0];
    // A regional domain name takes a certificate of the API's own region: same stack.
    assert_eq!(config["EndpointType"], "REGIONAL");
    assert_eq!(config["CertificateArn"]["Ref"], certificate_id.as_str());
    assert_eq!(config["SecurityPolicy"], "TLS_1_2");

    let mappings = of_type(&api, "AWS::ApiGatewayV2::ApiMapping");
    let [(_, mapping)] = mappings.as_slice() else {
        panic!("one mapping: {mappings:?}")
    };
    assert_eq!(mapping["Properties"]["DomainName"]["Ref"], name_id.as_str());
    assert_eq!(mapping["Properties"]["Stage"], "$default");
    let stage_id = of_type(&api, "AWS::ApiGatewayV2::Stage")[0].0.clone();
    assert!(
        mapping["DependsOn"].to_string().contains(&stage_id),
        "the mapping waits for the stage: {mapping}"
    );

    let mut record_types: Vec<&str> = of_type(&api, "AWS::Route53::RecordSet")
        .iter()
        .map(|(_, r)| {
            let p = &r["Properties"];
            assert_eq!(p["HostedZoneId"]["Ref"], zone);
            assert_eq!(p["Name"], domain.domain_name);
            assert_eq!(
                p["AliasTarget"]["DNSName"]["Fn::GetAtt"][0],
                name_id.as_str()
            );
            p["Type"].as_str().unwrap()
        })
        .collect();
    record_types.sort();
    assert_eq!(record_types, ["A", "AAAA"]);

    let urls: Vec<&Value> = of_type(&api, "AWS::SSM::Parameter")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["Name"] == "/bubblebatch/prod/api/url")
        .map(|(_, p)| &p["Properties"]["Value"])
        .collect();
    assert_eq!(urls, [&Value::from("https://api.bubblebatch.com/")]);
}

#[test]
fn prod_keeps_a_validated_audit_trail_in_a_retained_bucket() {
    let audit = stack(Stage::Prod, "Audit");
    let trails = of_type(&audit, "AWS::CloudTrail::Trail");
    let [(trail_id, trail)] = trails.as_slice() else {
        panic!("one trail: {trails:?}")
    };
    let props = &trail["Properties"];
    assert_eq!(props["IsLogging"], true);
    assert_eq!(props["EnableLogFileValidation"], true);
    assert_eq!(props["IsMultiRegionTrail"], true);
    assert_eq!(props["IncludeGlobalServiceEvents"], true);
    let bucket_id = props["S3BucketName"]["Ref"].as_str().unwrap();
    let bucket = &audit["Resources"][bucket_id];
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert!(bucket["Properties"]["LifecycleConfiguration"].is_object());

    let policies = of_type(&audit, "AWS::S3::BucketPolicy");
    let [(policy_id, policy)] = policies.as_slice() else {
        panic!("one bucket policy: {policies:?}")
    };
    assert!(
        trail["DependsOn"].to_string().contains(policy_id.as_str()),
        "{trail_id}"
    );
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let trail_arn = "trail/bubblebatch-prod-audit-trail";
    let for_cloudtrail: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Principal"]["Service"] == "cloudtrail.amazonaws.com")
        .collect();
    assert_eq!(for_cloudtrail.len(), 2, "{statements:?}");
    for s in for_cloudtrail {
        let source = s["Condition"]["StringEquals"]["aws:SourceArn"].to_string();
        assert!(source.contains(trail_arn), "only this trail may write: {s}");
    }
}

#[test]
fn dev_has_neither_a_custom_domain_nor_a_trail() {
    assert_eq!(Stage::Dev.api_domain(), None);
    for (name, template) in templates(Stage::Dev) {
        for t in [
            "AWS::CertificateManager::Certificate",
            "AWS::ApiGatewayV2::DomainName",
            "AWS::Route53::RecordSet",
            "AWS::CloudTrail::Trail",
        ] {
            assert!(of_type(&template, t).is_empty(), "dev {name} has {t}");
        }
    }
}
