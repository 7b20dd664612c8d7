//! One stage through the whole synth: templates → limits → policies → files.
use anyhow::Result;
use std::path::Path;

use super::limits::{self, Finding};
use super::{files, SynthesizedStack};
use crate::policy::{Policies, Violation};

/// Why a stage did not synthesize.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Limits(Vec<String>),
    Policies(Vec<Violation>),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Limits(errors) => {
                for error in errors {
                    writeln!(f, "error: {error}")?;
                }
                Ok(())
            }
            Failure::Policies(violations) => {
                for violation in violations {
                    writeln!(f, "policy violation: {violation}")?;
                }
                Ok(())
            }
        }
    }
}

pub struct Checked {
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

/// Runs every check on a stage; templates are only written by the caller if this passes.
pub fn check(
    stage: &str,
    stacks: &[SynthesizedStack],
    policies: &Policies,
) -> Result<Result<Checked, Failure>> {
    let mut errors = Vec::new();
    let mut checked = Checked {
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    for stack in stacks {
        for finding in limits::check(stage, stack) {
            match finding {
                Finding::Error(e) => errors.push(e),
                Finding::Warning(w) => checked.warnings.push(w),
                Finding::Note(n) => checked.notes.push(n),
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(Failure::Limits(errors)));
    }
    let violations = policies.check_stage(stage, stacks)?;
    if !violations.is_empty() {
        return Ok(Err(Failure::Policies(violations)));
    }
    Ok(Ok(checked))
}

/// What `synth` did to the files of one stage.
pub enum FileOutcome {
    Written(usize),
    Current,
    Stale(Vec<String>),
}

pub fn write_or_check(
    out: &Path,
    stage: &str,
    stacks: &[SynthesizedStack],
    check_only: bool,
) -> Result<FileOutcome> {
    if check_only {
        let problems = files::check(out, stage, stacks)?;
        return Ok(if problems.is_empty() {
            FileOutcome::Current
        } else {
            FileOutcome::Stale(problems)
        });
    }
    Ok(FileOutcome::Written(
        files::write(out, stage, stacks)?.len(),
    ))
}

/// The stage's bootstrap stack (the assets bucket the engine deploys first): checked with
/// the per-stack policies, then written to or checked against `<out>/bootstrap/<stage>/`.
pub fn bootstrap(
    out: &Path,
    stage: crate::Stage,
    policies: &Policies,
    check_only: bool,
) -> Result<Result<FileOutcome, Failure>> {
    let stacks = [crate::bootstrap::stack(stage)];
    let violations = policies.per_stack().check_stage(stage.name(), &stacks)?;
    if !violations.is_empty() {
        return Ok(Err(Failure::Policies(violations)));
    }
    Ok(Ok(write_or_check(
        &out.join("bootstrap"),
        stage.name(),
        &stacks,
        check_only,
    )?))
}
