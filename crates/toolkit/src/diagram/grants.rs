//! Grant edges: what a function's IAM role allows it to do, per target node.
use serde_json::Value;

use super::actions::summarize;
use super::build::Builder;
use super::model::{EdgeKind, NodeId};
use super::resolve::Index;

pub fn add(index: &Index, builder: &mut Builder) {
    for (t, template) in index.templates.iter().enumerate() {
        for function in template.of_type("AWS::Lambda::Function") {
            let node = NodeId::resource(&template.name, function);
            let role = &template.properties(function)["Role"]["Fn::GetAtt"][0];
            let Some(role) = role.as_str() else { continue };
            for statement in allow_statements(template.properties(role)) {
                let actions = strings(&statement["Action"]);
                for resource in as_list(&statement["Resource"]) {
                    let Some(target) = index.resolve(t, resource) else {
                        continue;
                    };
                    let line = summarize(&actions, target.qualifier.as_ref());
                    builder.edge(&node, &target.node, EdgeKind::Grant, Some(line));
                }
            }
        }
    }
}

/// The `Allow` statements of a role's inline policies.
fn allow_statements(role: &Value) -> impl Iterator<Item = &Value> {
    role["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| as_list(&p["PolicyDocument"]["Statement"]))
        .filter(|s| s["Effect"] == "Allow")
}

/// IAM allows a single value or a list wherever it takes several.
pub fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

fn strings(value: &Value) -> Vec<String> {
    as_list(value)
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}
