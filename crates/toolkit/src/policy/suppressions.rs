//! A suppression must say why: every rule listed in `Metadata.guard.SuppressedRules`
//! needs a non-empty `Metadata.SuppressionReasons.<rule>`, every checkov skip
//! (`Metadata.checkov.skip[]`) a non-empty `comment`.
use serde_json::Value;

use super::Violation;

pub fn missing_reasons(stack: &str, template: &Value) -> Vec<Violation> {
    let Some(resources) = template["Resources"].as_object() else {
        return Vec::new();
    };
    let mut violations = Vec::new();
    for (id, resource) in resources {
        let metadata = &resource["Metadata"];
        for skip in metadata["checkov"]["skip"].as_array().into_iter().flatten() {
            if skip["comment"].as_str().unwrap_or("").trim().is_empty() {
                violations.push(Violation {
                    rule: "SUPPRESSION_HAS_REASON".into(),
                    stack: stack.to_string(),
                    resource: Some(id.clone()),
                    message: format!(
                        "checkov skip of {} has no reason (its comment)",
                        skip["id"].as_str().unwrap_or("?")
                    ),
                });
            }
        }
        let Some(rules) = metadata["guard"]["SuppressedRules"].as_array() else {
            continue;
        };
        for rule in rules.iter().filter_map(Value::as_str) {
            let reason = metadata["SuppressionReasons"][rule].as_str().unwrap_or("");
            if reason.trim().is_empty() {
                violations.push(Violation {
                    rule: "SUPPRESSION_HAS_REASON".into(),
                    stack: stack.to_string(),
                    resource: Some(id.clone()),
                    message: format!(
                        "suppression of {rule} has no reason (Metadata.SuppressionReasons.{rule})"
                    ),
                });
            }
        }
    }
    violations
}
