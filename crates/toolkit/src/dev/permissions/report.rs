//! The report `dev` writes: per function, the calls checked, the calls not checked and
//! the role's grants with what exercised them.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::declared::is_runtime_action;
use crate::engine::verify_permissions::DeployedRole;

/// The report's file name in `dev`'s work directory (`.local/dev/<stage>/`).
pub const REPORT_FILE: &str = "permissions.json";

/// Where `dev` writes the report for a work directory.
pub fn report_path(work_dir: &Path) -> PathBuf {
    work_dir.join(REPORT_FILE)
}

/// Reads a report `dev` wrote.
pub fn read_report(path: &Path) -> Result<PermissionsReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a report", path.display()))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PermissionsReport {
    /// How decisions were made.
    pub evaluator: String,
    /// By function name.
    pub functions: BTreeMap<String, FunctionPermissions>,
    /// Requests signed by keys of no function (the deployer, tests): not checked.
    pub other_requests: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FunctionPermissions {
    pub role_arn: String,
    /// Distinct (action, resource) calls, sorted.
    pub calls: Vec<CheckedCall>,
    /// Calls not checked, with why.
    pub unchecked: Vec<UncheckedCall>,
    /// What the role's Allow statements grant, one action × one resource each.
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    /// No statement allows it.
    ImplicitDeny,
    /// A Deny statement matches it.
    ExplicitDeny,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckedCall {
    pub action: String,
    pub resource: String,
    pub decision: Decision,
    pub count: u64,
    /// What the function was running for when it made the call.
    pub triggers: BTreeSet<String>,
    /// For a denied call: the statement the role lacks.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub missing_statement: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UncheckedCall {
    /// `dynamodb:TransactWriteItems`, or the request when no operation was recognised.
    pub call: String,
    pub reason: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Grant {
    pub action: String,
    pub resource: String,
    /// The triggers of the allowed calls it covers.
    pub exercised_by: BTreeSet<String>,
    /// Why it is not expected to be exercised under `dev`, when that is known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

impl PermissionsReport {
    /// Every denied call: (function, call).
    pub fn denied(&self) -> Vec<(&str, &CheckedCall)> {
        self.functions
            .iter()
            .flat_map(|(f, p)| {
                p.calls
                    .iter()
                    .filter(|c| c.decision != Decision::Allowed)
                    .map(move |c| (f.as_str(), c))
            })
            .collect()
    }

    /// The per-function grant table (Markdown): function → action → resource → what
    /// exercised it (or why nothing does), one row per grant, sorted.
    pub fn grants_table(&self) -> String {
        let mut out =
            String::from("| Function | Action | Resource | Exercised by |\n|---|---|---|---|\n");
        for (function, p) in &self.functions {
            for g in &p.grants {
                let by = if g.exercised_by.is_empty() {
                    match &g.reason {
                        Some(reason) => format!("— ({reason})"),
                        None => "**not exercised**".to_string(),
                    }
                } else {
                    g.exercised_by
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                out.push_str(&format!(
                    "| `{function}` | `{}` | `{}` | {by} |\n",
                    g.action, g.resource
                ));
            }
        }
        out
    }

    /// Grants no call exercised and that have no reason: (function, grant).
    pub fn unexercised(&self) -> Vec<(&str, &Grant)> {
        self.functions
            .iter()
            .flat_map(|(f, p)| {
                p.grants
                    .iter()
                    .filter(|g| g.exercised_by.is_empty() && g.reason.is_none())
                    .map(move |g| (f.as_str(), g))
            })
            .collect()
    }
}

/// Why the Lambda runtime's own actions are granted though the code never calls them.
const RUNTIME_REASON: &str =
    "used by the Lambda service to write the function's logs; dev prints them instead";

/// The grants of a role: each Action × Resource of its Allow statements.
pub(super) fn grants(role: &DeployedRole) -> Vec<Grant> {
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out = BTreeMap::new();
    for (_, doc) in &role.documents {
        let statements = match doc.get("Statement") {
            Some(Value::Array(s)) => s.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for st in statements {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            for action in strings(st.get("Action")) {
                for resource in strings(st.get("Resource")) {
                    let reason = is_runtime_action(&action.to_ascii_lowercase())
                        .then(|| RUNTIME_REASON.to_string());
                    out.insert(
                        (action.clone(), resource.clone()),
                        Grant {
                            action: action.clone(),
                            resource,
                            exercised_by: BTreeSet::new(),
                            reason,
                        },
                    );
                }
            }
        }
    }
    out.into_values().collect()
}
