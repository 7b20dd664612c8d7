//! Templates committed under `stacks/<stage>/` on a git ref (the base of a pull request),
//! and in a directory of the working tree.
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Files in `stacks/<stage>/` that are not templates.
fn is_template_file(name: &str) -> bool {
    name.ends_with(".json") && !name.starts_with("outputs")
}

/// `<Stack>.json` → template, as committed on `git_ref` (empty when the folder is absent
/// there: every stack is then new).
pub fn templates_at_ref(repo: &Path, git_ref: &str, dir: &str) -> Result<BTreeMap<String, Value>> {
    let verify = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{git_ref}^{{commit}}"),
        ],
    )?;
    if !verify.status.success() {
        bail!("git ref '{git_ref}' not found (fetch it first, e.g. `git fetch origin {git_ref}`)");
    }
    let dir = format!("{}/", dir.trim_end_matches('/'));
    let listing = git(repo, &["ls-tree", "--name-only", git_ref, &dir])?;
    if !listing.status.success() {
        bail!(
            "git ls-tree {git_ref} {dir}: {}",
            String::from_utf8_lossy(&listing.stderr)
        );
    }
    let mut out = BTreeMap::new();
    for path in String::from_utf8_lossy(&listing.stdout).lines() {
        let file = path.rsplit('/').next().unwrap_or(path);
        if !is_template_file(file) {
            continue;
        }
        let show = git(repo, &["show", &format!("{git_ref}:{path}")])?;
        if !show.status.success() {
            bail!(
                "git show {git_ref}:{path}: {}",
                String::from_utf8_lossy(&show.stderr)
            );
        }
        let value: Value = serde_json::from_slice(&show.stdout)
            .with_context(|| format!("{git_ref}:{path} is not JSON"))?;
        out.insert(file.trim_end_matches(".json").to_string(), value);
    }
    Ok(out)
}

/// `<Stack>.json` → template, from a directory (e.g. `stacks/dev`).
pub fn templates_in_dir(dir: &Path) -> Result<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        if !is_template_file(file) {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        out.insert(file.trim_end_matches(".json").to_string(), value);
    }
    Ok(out)
}

/// The commit SHA of `HEAD` (or `GITHUB_SHA`'s pull-request head when given by CI).
pub fn head_sha(repo: &Path) -> Option<String> {
    let out = git(repo, &["rev-parse", "HEAD"]).ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The default base ref: `origin/$GITHUB_BASE_REF` in a pull-request job, else
/// `origin/main` when it exists, else `main`.
pub fn default_base_ref(repo: &Path) -> String {
    if let Ok(base) = std::env::var("GITHUB_BASE_REF") {
        if !base.is_empty() {
            return format!("origin/{base}");
        }
    }
    let has_origin = git(repo, &["rev-parse", "--verify", "--quiet", "origin/main"])
        .map(|o| o.status.success())
        .unwrap_or(false);
    if has_origin { "origin/main" } else { "main" }.to_string()
}

fn git(repo: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .context("running git (is it installed?)")
}
