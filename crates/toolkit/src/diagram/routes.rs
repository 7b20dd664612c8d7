//! Entry edges: clients → APIs and CDNs, API routes → functions (method, path, whether
//! the authorizer protects it), CDN → origins (path patterns).
use serde_json::Value;

use super::build::Builder;
use super::model::{EdgeKind, NodeId};
use super::resolve::{Index, Qualifier};
use super::template::text;

pub fn add(index: &Index, builder: &mut Builder) {
    let clients = builder.external("clients", vec!["clients".into(), "internet".into()]);
    for (t, template) in index.templates.iter().enumerate() {
        for api in template.of_type("AWS::ApiGatewayV2::Api") {
            let node = NodeId::resource(&template.name, api);
            builder.edge(&clients, &node, EdgeKind::Route, Some("HTTPS".into()));
        }
        for route in template.of_type("AWS::ApiGatewayV2::Route") {
            let properties = template.properties(route);
            let Some(api) = index.resolve(t, &properties["ApiId"]) else {
                continue;
            };
            let Some(integration) = integration_of(properties) else {
                continue;
            };
            let uri = &template.properties(&integration)["IntegrationUri"];
            let Some(target) = index.resolve(t, uri) else {
                continue;
            };
            let key = properties["RouteKey"].as_str().unwrap_or("?");
            let line = format!("{key} [{}]", protection(properties));
            builder.edge(&api.node, &target.node, EdgeKind::Route, Some(line));
            if let Some(Qualifier::Alias(alias)) = &target.qualifier {
                let via = Some(format!("via alias {alias}"));
                builder.edge(&api.node, &target.node, EdgeKind::Route, via);
            }
        }
        for distribution in template.of_type("AWS::CloudFront::Distribution") {
            let node = NodeId::resource(&template.name, distribution);
            builder.edge(&clients, &node, EdgeKind::Route, Some("HTTPS".into()));
            let config = &template.properties(distribution)["DistributionConfig"];
            for origin in config["Origins"].as_array().into_iter().flatten() {
                let Some(target) = index.resolve(t, &origin["DomainName"]) else {
                    continue;
                };
                for pattern in patterns_for(config, origin["Id"].as_str().unwrap_or_default()) {
                    builder.edge(&node, &target.node, EdgeKind::Route, Some(pattern));
                }
            }
        }
    }
}

/// `integrations/${Integration}` → `Integration`.
fn integration_of(route: &Value) -> Option<String> {
    let target = text(&route["Target"])?;
    let id = target.strip_prefix("integrations/${")?.strip_suffix('}')?;
    Some(id.to_string())
}

fn protection(route: &Value) -> &'static str {
    match route["AuthorizationType"].as_str() {
        Some("JWT") => "jwt",
        Some("AWS_IAM") => "iam",
        Some("CUSTOM") => "custom",
        _ => "open",
    }
}

/// The path patterns a distribution sends to one origin (`default` for the default
/// behaviour).
fn patterns_for(config: &Value, origin: &str) -> Vec<String> {
    let mut patterns = Vec::new();
    if config["DefaultCacheBehavior"]["TargetOriginId"] == origin {
        patterns.push("default".to_string());
    }
    for behavior in config["CacheBehaviors"].as_array().into_iter().flatten() {
        if behavior["TargetOriginId"] == origin {
            if let Some(pattern) = behavior["PathPattern"].as_str() {
                patterns.push(pattern.to_string());
            }
        }
    }
    patterns
}
