//! A custom domain for an HTTP API: an ACM certificate validated by DNS in the domain's
//! Route 53 hosted zone, an API Gateway v2 regional domain name, the mapping to the
//! API's `$default` stage, and alias records (A and AAAA) to it.
//!
//! A regional domain name takes a certificate from the API's own region, so the
//! certificate lives in the same stack (unlike CloudFront's, which must be in us-east-1).
use crate::stack::Stack;
use cfn::apigatewayv2::api_mapping::ApiMapping;
use cfn::apigatewayv2::domain_name::{DomainName, DomainNameConfiguration};
use cfn::certificatemanager::certificate::{Certificate, DomainValidationOption};
use cfn::route53::record_set::{AliasTarget, RecordSet};
use cfn_core::{Expr, LogicalId, Parameter};

/// Where the API is served: `api.example.com` in the hosted zone `Z…` of `example.com`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomDomain {
    pub domain_name: &'static str,
    pub hosted_zone_id: &'static str,
}

impl CustomDomain {
    pub fn url(&self) -> String {
        format!("https://{}/", self.domain_name)
    }
}

pub struct ApiDomain {
    id: LogicalId,
    domain: CustomDomain,
}

impl ApiDomain {
    pub fn new(id: &str, domain: CustomDomain) -> ApiDomain {
        ApiDomain {
            id: LogicalId::from_path(&[id]),
            domain,
        }
    }

    /// Maps the domain to the API's stage `stage` (logical ID `stage_id`, which must
    /// exist before the mapping). Returns the domain name's logical ID.
    pub fn add_to(self, stack: &mut Stack, api_id: Expr, stage_id: &LogicalId) -> LogicalId {
        let name = self.domain.domain_name;
        // A parameter defaulting to the configured zone: deploys use the default, and an
        // emulator (or a second account) can pass a zone of its own without a rewrite.
        let zone = stack.add_parameter(
            self.id.child("HostedZoneId"),
            Parameter {
                parameter_type: "AWS::Route53::HostedZone::Id".into(),
                description: format!("Route 53 hosted zone of {name}"),
                default: Some(self.domain.hosted_zone_id.into()),
                allowed_pattern: None,
            },
        );
        let certificate = self.id.child("Certificate");
        stack.add(
            certificate.clone(),
            &Certificate {
                validation_method: Some("DNS".into()),
                domain_validation_options: Some(vec![DomainValidationOption {
                    domain_name: Some(name.into()),
                    hosted_zone_id: Some(zone.clone().into()),
                    ..DomainValidationOption::new()
                }]),
                ..Certificate::new(name)
            },
        );
        let domain = self.id.child("Name");
        stack.add(
            domain.clone(),
            &DomainName {
                domain_name_configurations: Some(vec![DomainNameConfiguration {
                    certificate_arn: Some(Expr::reference(&certificate).into()),
                    endpoint_type: Some("REGIONAL".into()),
                    security_policy: Some("TLS_1_2".into()),
                    ..DomainNameConfiguration::new()
                }]),
                ..DomainName::new(name)
            },
        );
        let mapping = self.id.child("Mapping");
        stack.add(
            mapping.clone(),
            &ApiMapping::new(api_id, Expr::reference(&domain), "$default"),
        );
        stack.add_dependency(&mapping, stage_id);
        for record_type in ["A", "AAAA"] {
            let alias = AliasTarget::new(
                DomainName::att_regional_domain_name(&domain),
                DomainName::att_regional_hosted_zone_id(&domain),
            );
            stack.add(
                self.id.child(&format!("{record_type}Record")),
                &RecordSet {
                    hosted_zone_id: Some(zone.clone().into()),
                    alias_target: Some(alias),
                    ..RecordSet::new(name, record_type)
                },
            );
        }
        domain
    }
}
