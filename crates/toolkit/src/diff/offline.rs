//! The offline plan: synthesized (or given) templates against those committed on a git ref.
use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use super::{base, diff_all_with_moves, PlanReport, StackTemplates};
use crate::app::Stage;
use crate::synth::SynthesizedStack;

/// Where the new templates come from.
pub enum NewTemplates {
    /// Synthesized by the caller.
    Stacks(Vec<SynthesizedStack>),
    /// A directory of `<Stack>.json` files (e.g. the output of `infra synth`).
    Dir(std::path::PathBuf),
}

pub fn plan_against_ref(
    repo: &Path,
    stage: Stage,
    stacks_dir: &str,
    base_ref: &str,
    new: &NewTemplates,
    commit: Option<String>,
) -> Result<PlanReport> {
    let stacks = templates_against_ref(repo, stage, stacks_dir, base_ref, new)?;
    diff_all_with_moves(stage.name(), base_ref, commit, &stacks).map_err(anyhow::Error::msg)
}

/// Both sides of the offline plan, stack by stack (new stacks first in deploy order, then
/// stacks only the base has).
pub fn templates_against_ref(
    repo: &Path,
    stage: Stage,
    stacks_dir: &str,
    base_ref: &str,
    new: &NewTemplates,
) -> Result<Vec<StackTemplates>> {
    let old = base::templates_at_ref(repo, base_ref, &format!("{stacks_dir}/{stage}"))?;
    let new: Vec<(String, String, Value)> = match new {
        NewTemplates::Stacks(stacks) => stacks
            .iter()
            .cloned()
            .map(|s| Ok((s.name, s.stack_name, Value::clone(&s.template))))
            .collect::<Result<_>>()?,
        NewTemplates::Dir(dir) => base::templates_in_dir(dir)?
            .into_iter()
            .map(|(name, t)| (stack_name(stage, &name), name, t))
            .map(|(stack_name, name, t)| (name, stack_name, t))
            .collect(),
    };
    let mut stacks: Vec<StackTemplates> = new
        .into_iter()
        .map(|(name, stack_name, template)| StackTemplates {
            old: old.get(&name).cloned(),
            new: Some(template),
            name,
            stack_name,
        })
        .collect();
    for (name, template) in &old {
        if !stacks.iter().any(|s| &s.name == name) {
            stacks.push(StackTemplates {
                name: name.clone(),
                stack_name: stack_name(stage, name),
                old: Some(template.clone()),
                new: None,
            });
        }
    }
    Ok(stacks)
}

/// `bubblebatch-<stage>-<name>` for a stack known only by its file name.
pub fn stack_name(stage: Stage, name: &str) -> String {
    stage.stack_name(name)
}
