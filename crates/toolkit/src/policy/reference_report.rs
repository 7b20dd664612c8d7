//! Reads cfn-guard's JSON report (reference evaluator, feature `guard-reference`) (pinned 3.2.1; the format is not documented) into
//! violations: one per failing clause, with the resource taken from the clause's path.
use anyhow::{Context, Result};
use serde_json::Value;

use crate::policy::guard::rule_message;
use crate::policy::Violation;

pub fn violations(
    report: &str,
    rules: &str,
    stack_of: &dyn Fn(&str) -> String,
) -> Result<Vec<Violation>> {
    let report: Value = serde_json::from_str(report).with_context(|| {
        format!(
            "report is not JSON: {}",
            report.chars().take(300).collect::<String>()
        )
    })?;
    let failing = report["not_compliant"]
        .as_array()
        .context("report has no not_compliant list")?;
    let mut violations = Vec::new();
    for entry in failing {
        let rule = &entry["Rule"];
        let name = rule["name"]
            .as_str()
            .context("failing rule without a name")?;
        let mut clauses = Vec::new();
        collect_clauses(rule, &mut clauses);
        let fallback = clauses
            .iter()
            .find_map(|c| c.custom_message.clone())
            .or_else(|| rule_message(rules, name))
            .unwrap_or_else(|| format!("rule {name} failed"));
        if clauses.is_empty() {
            clauses.push(Clause::default());
        }
        for clause in clauses {
            let message = clause
                .custom_message
                .or_else(|| Some(fallback.clone()))
                .unwrap_or_default();
            let stack = clause
                .resource
                .as_deref()
                .map_or_else(|| stack_of(""), stack_of);
            violations.push(Violation {
                rule: name.to_string(),
                stack,
                resource: clause.resource,
                message,
            });
        }
    }
    Ok(violations)
}

#[derive(Debug, Default)]
struct Clause {
    custom_message: Option<String>,
    resource: Option<String>,
}

/// A failing clause is an object with `messages` and either a resolved `check` or, for
/// block clauses over a missing property, `unresolved`; rules nest them freely.
fn collect_clauses(value: &Value, out: &mut Vec<Clause>) {
    match value {
        Value::Object(map)
            if map.contains_key("messages")
                && (map.contains_key("check") || map.contains_key("unresolved")) =>
        {
            let evidence = map.get("check").or_else(|| map.get("unresolved"));
            let custom = map["messages"]["custom_message"]
                .as_str()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string);
            out.push(Clause {
                custom_message: custom,
                resource: evidence.and_then(first_resource),
            });
        }
        Value::Object(map) => map.values().for_each(|v| collect_clauses(v, out)),
        Value::Array(items) => items.iter().for_each(|v| collect_clauses(v, out)),
        _ => {}
    }
}

/// The logical ID in the first `/Resources/<id>/...` path of a check.
fn first_resource(check: &Value) -> Option<String> {
    match check {
        Value::String(path) => path
            .strip_prefix("/Resources/")
            .and_then(|rest| rest.split('/').next())
            .filter(|id| !id.is_empty())
            .map(str::to_string),
        Value::Object(map) => {
            let path_first = map.get("path").and_then(first_resource);
            path_first.or_else(|| map.values().find_map(first_resource))
        }
        Value::Array(items) => items.iter().find_map(first_resource),
        _ => None,
    }
}
