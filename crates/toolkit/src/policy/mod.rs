//! Policy-as-code: the Guard rules in `policies/`, evaluated in-process by [`guard`].
//!
//! `stack.guard` runs on each template (plus a top-level `Stage`); `stage.guard` runs on
//! one document merging the resources of all stacks of a stage, for rules that span
//! stacks (every function has an errors alarm, the stage has a budget). Rules that need
//! arithmetic across stacks are built in: [`alarm_reachability`].
pub mod alarm_reachability;
mod guard;
mod parallel;
#[cfg(feature = "guard-reference")]
mod reference;
mod suppressions;

use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use guard::RulesFile;

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
    stack_rules: Vec<Arc<RulesFile>>,
    stage_rules: Vec<Arc<RulesFile>>,
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
            let rules = Arc::new(RulesFile::parse(&name, &text)?);
            if name.starts_with("stage") {
                policies.stage_rules.push(rules);
            } else {
                policies.stack_rules.push(rules);
            }
        }
        anyhow::ensure!(
            !policies.stack_rules.is_empty(),
            "no *.guard rules in {}",
            dir.display()
        );
        Ok(policies)
    }

    /// Only the per-stack rules: for a stack checked outside its stage (the delivery
    /// stack), where stage-wide rules such as "every stage has a budget" do not apply.
    pub fn per_stack(&self) -> Policies {
        Policies {
            stack_rules: self.stack_rules.clone(),
            stage_rules: Vec::new(),
        }
    }

    /// All violations of a stage's stacks, sorted; empty means every rule passed.
    pub fn check_stage(&self, stage: &str, stacks: &[SynthesizedStack]) -> Result<Vec<Violation>> {
        self.check_stage_with(stage, stacks, |rules, document, stack_of| {
            Ok(rules.violations(document, stack_of))
        })
    }

    /// The same check with cfn-guard itself evaluating the rules: the reference the
    /// built-in evaluator is tested against.
    #[cfg(feature = "guard-reference")]
    pub fn check_stage_with_cfn_guard(
        &self,
        stage: &str,
        stacks: &[SynthesizedStack],
    ) -> Result<Vec<Violation>> {
        self.check_stage_with(stage, stacks, |rules, document, stack_of| {
            reference::violations(rules, document, stack_of)
        })
    }

    fn check_stage_with(
        &self,
        stage: &str,
        stacks: &[SynthesizedStack],
        evaluate: impl Fn(&RulesFile, &Value, &dyn Fn(&str) -> String) -> Result<Vec<Violation>> + Sync,
    ) -> Result<Vec<Violation>> {
        let mut violations = Vec::new();
        let mut merged = serde_json::Map::new();
        // Parsing and the per-stack rules take most of a check: the stacks are shared out
        // over the cores, then joined in stack order for the stage-wide rules.
        let checked = parallel::map(stacks, |stack| self.check_stack(stage, stack, &evaluate));
        for (stack, checked) in stacks.iter().zip(checked) {
            let (stack_violations, resources) = checked?;
            violations.extend(stack_violations);
            for (id, resource) in resources {
                merged.insert(format!("{}{id}", stack.name), resource);
            }
        }
        // Built in place: `json!` would serialize `merged` into a copy.
        let stage_document = Value::Object(serde_json::Map::from_iter([
            ("Stage".to_string(), Value::from(stage)),
            ("Resources".to_string(), Value::Object(merged)),
        ]));
        let stack_of = |resource: &str| {
            stacks
                .iter()
                .find(|s| resource.starts_with(&s.name))
                .map_or_else(|| "stage".to_string(), |s| s.name.clone())
        };
        if let Value::Object(resources) = &stage_document["Resources"] {
            violations.extend(alarm_reachability::violations(resources, &stack_of));
        }
        for rules in &self.stage_rules {
            for mut violation in evaluate(rules, &stage_document, &stack_of)? {
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

    /// One stack's own violations (suppressions, per-stack rules) and its resources.
    fn check_stack(
        &self,
        stage: &str,
        stack: &SynthesizedStack,
        evaluate: &(impl Fn(&RulesFile, &Value, &dyn Fn(&str) -> String) -> Result<Vec<Violation>>
              + Sync),
    ) -> Result<(Vec<Violation>, serde_json::Map<String, Value>)> {
        let mut template: Value = serde_json::from_str(&stack.template_json)
            .with_context(|| format!("stack {} is not valid JSON", stack.name))?;
        let mut violations = suppressions::missing_reasons(&stack.name, &template);
        template["Stage"] = json!(stage);
        for rules in &self.stack_rules {
            violations.extend(evaluate(rules, &template, &|_| stack.name.clone())?);
        }
        let resources = match template.get_mut("Resources").map(Value::take) {
            Some(Value::Object(resources)) => resources,
            _ => serde_json::Map::new(),
        };
        Ok((violations, resources))
    }
}
