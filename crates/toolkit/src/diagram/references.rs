//! Reference edges: what the other extractors leave out. A resource (or the node it
//! belongs to) naming another node through an SSM parameter, a fixed name, an environment
//! variable or any property. Drawn only between nodes no other edge joins.
use super::build::Builder;
use super::model::EdgeKind;
use super::resolve::{Index, Target};
use super::template::references;

/// Types whose references other edges already show (grants, routes, triggers, alarms)
/// or that only carry values (SSM parameters, log groups).
const SHOWN_ELSEWHERE: [&str; 11] = [
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::Lambda::Permission",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::CloudWatch::Alarm",
    "AWS::Budgets::Budget",
    "AWS::SSM::Parameter",
    "AWS::Logs::LogGroup",
    "AWS::SNS::Subscription",
    "AWS::Scheduler::Schedule",
];

/// Properties of drawn types handled elsewhere (or, like code and log settings, not
/// architecture).
const SKIPPED_PROPERTIES: [&str; 7] = [
    "Role",
    "Code",
    "LoggingConfig",
    "Environment",
    "NotificationConfiguration",
    "Subscription",
    "DistributionConfig",
];

pub fn add(index: &Index, ssm_prefix: &str, builder: &mut Builder) {
    for (t, template) in index.templates.iter().enumerate() {
        for (id, resource) in &template.resources {
            let resource_type = resource["Type"].as_str().unwrap_or_default();
            if SHOWN_ELSEWHERE.contains(&resource_type) {
                continue;
            }
            let Some(owner) = index.owner(t, id) else {
                continue;
            };
            let properties = &resource["Properties"];
            for (key, value) in references(properties) {
                if SKIPPED_PROPERTIES.contains(&key.as_str()) {
                    continue;
                }
                if let Some(target) = index.resolve(t, value) {
                    let line = describe(&key, &target, ssm_prefix);
                    builder.edge(&owner, &target.node, EdgeKind::Reference, Some(line));
                }
            }
            let variables = properties["Environment"]["Variables"].as_object();
            for (name, value) in variables.into_iter().flatten() {
                if let Some(target) = index.resolve(t, value) {
                    let line = describe(&format!("env {name}"), &target, ssm_prefix);
                    builder.edge(&owner, &target.node, EdgeKind::Reference, Some(line));
                }
            }
        }
    }
}

fn describe(what: &str, target: &Target, ssm_prefix: &str) -> String {
    match &target.via_ssm {
        Some(path) => {
            let short = path.strip_prefix(ssm_prefix).unwrap_or(path);
            format!("{what} via ssm {short}")
        }
        None => what.to_string(),
    }
}
