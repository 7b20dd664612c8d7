//! Policy-as-code: the cfn-guard rules in `policies/`, evaluated in-process.
//!
//! `stack.guard` runs on each template (plus a top-level `Stage`); `stage.guard` runs on
//! one document merging the resources of all stacks of a stage, for rules that span
//! stacks (every function has an errors alarm, the stage has a budget).
mod guard_report;
mod suppressions;

use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::synth::SynthesizedStack;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub rule: String,
    /// Stack name, or `stage` for stage-wide rules without a single stack.
    pub stack: String,
    /// Logical ID of the offending resource, when the rule points at one.
    pub resource: Option<String>,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in stack {}", self.rule, self.stack)?;
        if let Some(resource) = &self.resource {
            write!(f, ", resource {resource}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone)]
pub struct Policies {
    stack_rules: Vec<(String, String)>,
    stage_rules: Vec<(String, String)>,
}

impl Policies {
    /// Loads `*.guard` files: `stage*.guard` are stage-wide, all others per stack.
    pub fn load(dir: &Path) -> Result<Policies> {
        let mut policies = Policies {
            stack_rules: Vec::new(),
            stage_rules: Vec::new(),
        };
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read policy folder {}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "guard"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if name.starts_with("stage") {
                policies.stage_rules.push((name, text));
            } else {
                policies.stack_rules.push((name, text));
            }
        }
        anyhow::ensure!(
            !policies.stack_rules.is_empty(),
            "no *.guard rules in {}",
            dir.display()
        );
        Ok(policies)
    }

    /// All violations of a stage's stacks, sorted; empty means every rule passed.
    pub fn check_stage(&self, stage: &str, stacks: &[SynthesizedStack]) -> Result<Vec<Violation>> {
        let mut violations = Vec::new();
        let mut merged = serde_json::Map::new();
        for stack in stacks {
            let mut template: Value = serde_json::from_str(&stack.template_json)
                .with_context(|| format!("stack {} is not valid JSON", stack.name))?;
            violations.extend(suppressions::missing_reasons(&stack.name, &template));
            template["Stage"] = json!(stage);
            let document = serde_json::to_string(&template)?;
            for (file, rules) in &self.stack_rules {
                violations.extend(evaluate(&document, file, rules, |_| stack.name.clone())?);
            }
            if let Some(resources) = template["Resources"].as_object() {
                for (id, resource) in resources {
                    merged.insert(format!("{}{id}", stack.name), resource.clone());
                }
            }
        }
        let stage_document = serde_json::to_string(&json!({"Stage": stage, "Resources": merged}))?;
        let stack_of = |resource: &str| {
            stacks
                .iter()
                .find(|s| resource.starts_with(&s.name))
                .map_or_else(|| "stage".to_string(), |s| s.name.clone())
        };
        for (file, rules) in &self.stage_rules {
            for mut violation in evaluate(&stage_document, file, rules, stack_of)? {
                if let Some(resource) = &violation.resource {
                    let prefix = violation.stack.len();
                    if violation.stack != "stage" {
                        violation.resource = Some(resource[prefix..].to_string());
                    }
                }
                violations.push(violation);
            }
        }
        violations.sort();
        violations.dedup();
        Ok(violations)
    }
}

fn evaluate(
    document: &str,
    rules_file: &str,
    rules: &str,
    stack_of: impl Fn(&str) -> String,
) -> Result<Vec<Violation>> {
    let report = cfn_guard::run_checks(
        cfn_guard::ValidateInput {
            content: document,
            file_name: "template.json",
        },
        cfn_guard::ValidateInput {
            content: rules,
            file_name: rules_file,
        },
        false,
    )
    .map_err(|e| anyhow::anyhow!("policy file {rules_file} failed to evaluate: {e}"))?;
    guard_report::violations(&report, rules, stack_of)
        .with_context(|| format!("cannot read the cfn-guard report for {rules_file}"))
}
