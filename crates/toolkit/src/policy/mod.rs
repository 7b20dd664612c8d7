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
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use guard::{Document, RulesFile};

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
        evaluate: impl Fn(&RulesFile, &Document, &dyn Fn(&str) -> String) -> Result<Vec<Violation>>
            + Sync,
    ) -> Result<Vec<Violation>> {
        let stage_name = Value::from(stage);
        // The per-stack rules take most of a check: the stacks are shared out over the
        // cores, then joined in stack order for the stage-wide rules.
        let checked = parallel::map(stacks, |stack| {
            self.check_stack(&stage_name, stack, &evaluate)
        });
        let mut violations = Vec::new();
        for stack_violations in checked {
            violations.extend(stack_violations?);
        }
        let stack_resources: Vec<(&str, &serde_json::Map<String, Value>)> = stacks
            .iter()
            .map(|s| (s.name.as_str(), s.resources()))
            .collect();
        // Every stack's resources under `<stack><logical id>`, read where they are.
        let stage_document = Document::stage(&stage_name, stack_resources.iter().copied());
        let stack_of = |resource: &str| {
            stacks
                .iter()
                .find(|s| resource.starts_with(&s.name))
                .map_or_else(|| "stage".to_string(), |s| s.name.clone())
        };
        violations.extend(alarm_reachability::violations(&stack_resources));
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

    /// One stack's own violations: suppressions and the per-stack rules.
    fn check_stack(
        &self,
        stage: &Value,
        stack: &SynthesizedStack,
        evaluate: &(impl Fn(&RulesFile, &Document, &dyn Fn(&str) -> String) -> Result<Vec<Violation>>
              + Sync),
    ) -> Result<Vec<Violation>> {
        let template: &Value = &stack.template;
        let mut violations = suppressions::missing_reasons(&stack.name, template);
        let document = Document::stack(template, stage);
        for rules in &self.stack_rules {
            violations.extend(evaluate(rules, &document, &|_| stack.name.clone())?);
        }
        Ok(violations)
    }
}
