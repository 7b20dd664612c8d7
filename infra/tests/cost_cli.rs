//! `cost` as a user runs it, and the price table's coverage of every resource type the
//! committed templates of all five apps use.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn infra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .output()
        .expect("run infra")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn text_estimate_names_every_stack_the_total_and_the_budget() {
    let out = infra(&["cost", "--stage", "dev"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("Monthly estimate for bubblebatch dev (us-east-1"),
        "{text}"
    );
    for stack in ["Auth", "Data", "Api", "Scheduler", "Monitoring"] {
        assert!(
            text.contains(&format!("Stack {stack} (bubblebatch-dev-")),
            "{stack}"
        );
    }
    assert!(text.contains("\nTotal: $"), "{text}");
    assert!(text.contains("Budget bubblebatch-dev-monthly (Monitoring): $25.00 a month, first alert at 80% of the limit (actual) = $20.00"), "{text}");
    assert!(
        text.contains("Every one of the"),
        "every resource priced or free: {text}"
    );
    // An assumption next to the number it produces; a fixed cost from the template.
    assert!(
        text.contains("(120 per user × 25 users = 3,000 invocations)"),
        "{text}"
    );
    assert!(
        text.contains("(its schedule: 8,760 runs a month)"),
        "{text}"
    );
}

#[test]
fn json_and_markdown_carry_the_same_total() {
    let json: Value =
        serde_json::from_slice(&infra(&["cost", "--stage", "prod", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(json["stage"], "prod");
    let total = json["total_usd"].as_f64().unwrap();
    assert!(
        total > 0.0 && total < 200.0,
        "within prod's $200 budget: {total}"
    );
    assert_eq!(json["budget"]["status"], "within");
    let md = stdout(&infra(&["cost", "--stage", "prod", "--format", "markdown"]));
    assert!(
        md.contains(&format!("| **Total** | **${total:.2}** | |")),
        "{md}"
    );

    let both: Value =
        serde_json::from_slice(&infra(&["cost", "--stage", "all", "--format", "json"]).stdout)
            .unwrap();
    let stages: Vec<&str> = both
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["dev", "prod"]);
}

#[test]
fn an_unknown_stage_is_a_usage_error() {
    let out = infra(&["cost", "--stage", "staging"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected one of: dev, prod"));
}

fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            templates(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_resource_type_of_the_five_apps_is_priced_or_free_of_charge() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks");
    let mut files = Vec::new();
    templates(&root, &mut files);
    assert!(
        files.len() >= 40,
        "all five apps' templates: {}",
        files.len()
    );
    let known: Vec<&str> = toolkit::cost::known_types().collect();
    let mut missing = Vec::new();
    for file in &files {
        let template: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for (id, r) in template["Resources"].as_object().unwrap() {
            let t = r["Type"].as_str().unwrap();
            if !known.contains(&t) {
                missing.push(format!("{} {id} {t}", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "types without a price: {missing:#?}");
}
