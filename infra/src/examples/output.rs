//! Writing and checking `stacks/examples/<name>/`: the templates plus the permission
//! report, after limits and policies passed. Shared by the `siblings` command and tests.
use anyhow::Result;
use std::path::{Path, PathBuf};

use super::Example;
use toolkit::policy::Policies;
use toolkit::synth::{files, pipeline};

/// Name of the committed per-function permission report in each example's folder.
pub const PERMISSIONS_FILE: &str = "permissions.md";

/// `stacks/examples/` at the workspace root.
pub fn default_dir() -> PathBuf {
    crate::APP.stacks_path().join("examples")
}

/// What happened to one example; `problems` empty means success.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stacks: usize,
    pub written: usize,
    pub warnings: Vec<String>,
    pub problems: Vec<String>,
}

/// Synthesizes one example, runs limits and policies, then writes (or, with `check`,
/// compares) its templates and permission report under `out/<name>/`.
pub fn synth_example(
    example: &Example,
    out: &Path,
    policies: &Policies,
    check: bool,
) -> Result<Outcome> {
    let stacks = example.synthesize();
    let mut outcome = Outcome {
        stacks: stacks.len(),
        ..Outcome::default()
    };
    match pipeline::check(example.stage.name(), &stacks, policies)? {
        Ok(checked) => outcome.warnings = checked.warnings,
        Err(failure) => {
            // Nothing is written for an example that fails a policy.
            outcome.problems.push(failure.to_string());
            return Ok(outcome);
        }
    }
    let report = example.permissions_markdown(&stacks);
    let report_path = out.join(example.name).join(PERMISSIONS_FILE);
    if check {
        outcome
            .problems
            .extend(files::check(out, example.name, &stacks)?);
        match std::fs::read_to_string(&report_path) {
            Ok(text) if text == report => {}
            Ok(_) => outcome
                .problems
                .push(format!("{} is out of date", report_path.display())),
            Err(_) => outcome
                .problems
                .push(format!("{} is missing", report_path.display())),
        }
    } else {
        outcome.written = files::write(out, example.name, &stacks)?.len();
        if std::fs::read_to_string(&report_path).ok().as_deref() != Some(report.as_str()) {
            std::fs::write(&report_path, &report)?;
            outcome.written += 1;
        }
    }
    Ok(outcome)
}
