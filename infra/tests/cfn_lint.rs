//! Every synthesized template passes cfn-lint (the real CloudFormation schemas) with
//! zero errors, zero warnings and zero informational findings (`-c I`: explicit deletion
//! policies on stateful resources, `Fn::Sub` rather than an empty-separator `Fn::Join`),
//! BubbleBatch's and the four example apps'.
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every `*.json` under `dir`, at any depth, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            paths.extend(json_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
}

/// `stacks/{dev,prod}/*.json`, the delivery stacks `stacks/delivery/<stage>/*.json` and
/// the bootstrap stacks `stacks/bootstrap/<stage>/Bootstrap.json`.
fn templates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks");
    ["dev", "prod", "delivery", "bootstrap"]
        .iter()
        .flat_map(|dir| json_files(&root.join(dir)))
        .collect()
}

/// `stacks/examples/<app>/...`: each stage's stacks and delivery stacks.
fn example_templates() -> Vec<PathBuf> {
    json_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/examples"))
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
    // Five stacks per stage, Audit in prod, a Delivery and a Bootstrap stack per stage.
    assert_eq!(paths.len(), 15);
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
