//! Every synthesized template passes cfn-lint (the real CloudFormation schemas) with
//! zero errors, zero warnings and zero informational findings (`-c I`: explicit deletion
//! policies on stateful resources, `Fn::Sub` rather than an empty-separator `Fn::Join`),
//! BubbleBatch's and the four example apps'.
use std::path::{Path, PathBuf};
use std::process::Command;

fn templates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks");
    let mut paths = Vec::new();
    for stage in ["dev", "prod"] {
        for entry in std::fs::read_dir(root.join(stage)).unwrap() {
            paths.push(entry.unwrap().path());
        }
    }
    paths.sort();
    paths
}

/// `stacks/examples/<app>/<stage>/*.json`.
fn example_templates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/examples");
    let mut paths = Vec::new();
    for app in std::fs::read_dir(root).unwrap() {
        for stage in std::fs::read_dir(app.unwrap().path()).unwrap() {
            for entry in std::fs::read_dir(stage.unwrap().path()).unwrap() {
                paths.push(entry.unwrap().path());
            }
        }
    }
    paths.sort();
    paths
}

fn lint(paths: &[PathBuf]) -> (Option<i32>, String) {
    let out = Command::new(harness::tool("cfn-lint"))
        .args(["--include-checks", "I", "--format", "parseable"])
        .args(paths)
        .output()
        .expect("run cfn-lint");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[test]
fn committed_templates_are_lint_clean() {
    let paths = templates();
    // Five stacks per stage, plus Audit in prod.
    assert_eq!(paths.len(), 11);
    let (code, findings) = lint(&paths);
    assert_eq!(code, Some(0), "cfn-lint findings:\n{findings}");
    assert!(findings.trim().is_empty(), "{findings}");
}

#[test]
fn example_app_templates_are_lint_clean() {
    let paths = example_templates();
    assert!(paths.len() >= 8, "{paths:?}");
    let (code, findings) = lint(&paths);
    assert_eq!(code, Some(0), "cfn-lint findings:\n{findings}");
    assert!(findings.trim().is_empty(), "{findings}");
}

#[test]
fn the_linter_really_rejects_a_broken_template() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("Data.json");
    let text = std::fs::read_to_string(&templates()[2]).unwrap();
    assert!(text.contains("\"BillingMode\""));
    std::fs::write(&broken, text.replace("\"BillingMode\"", "\"BilingMode\"")).unwrap();
    let (code, findings) = lint(&[broken]);
    assert_eq!(
        code.map(|c| c & 2),
        Some(2),
        "expected an error bit: {findings}"
    );
    assert!(findings.contains("E3002"), "{findings}");
}
