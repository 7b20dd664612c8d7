//! Writing `stacks/<stage>/<Stack>.json` and checking that the committed files are current.
use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SynthesizedStack;

pub fn stack_path(out: &Path, stage: &str, stack: &SynthesizedStack) -> PathBuf {
    out.join(stage).join(format!("{}.json", stack.name))
}

/// Writes each template (only when its bytes changed) and removes templates of stacks
/// that no longer exist. Returns the paths written.
pub fn write(out: &Path, stage: &str, stacks: &[SynthesizedStack]) -> Result<Vec<PathBuf>> {
    let dir = out.join(stage);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for stack in stacks {
        let path = stack_path(out, stage, stack);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(stack.template_json.as_str()) {
            // Write-then-rename: an interrupted synth never leaves half a template.
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, &stack.template_json)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
    }
    for stale in stale_files(out, stage, stacks)? {
        std::fs::remove_file(&stale)
            .with_context(|| format!("cannot remove {}", stale.display()))?;
    }
    Ok(written)
}

/// Differences between the committed files and a fresh synth, one line each.
pub fn check(out: &Path, stage: &str, stacks: &[SynthesizedStack]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for stack in stacks {
        let path = stack_path(out, stage, stack);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == stack.template_json => {}
            Ok(_) => problems.push(format!("{} is out of date", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for stale in stale_files(out, stage, stacks)? {
        problems.push(format!("{} belongs to no stack", stale.display()));
    }
    Ok(problems)
}

fn stale_files(out: &Path, stage: &str, stacks: &[SynthesizedStack]) -> Result<Vec<PathBuf>> {
    let dir = out.join(stage);
    let expected: BTreeSet<PathBuf> = stacks.iter().map(|s| stack_path(out, stage, s)).collect();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !expected.contains(p))
        .collect();
    stale.sort();
    Ok(stale)
}
