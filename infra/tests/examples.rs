//! The sibling examples (`infra/src/examples/`): deterministic, policy-clean, committed
//! as synthesized, lint-clean under cfn-lint, and with a committed permission report.
use std::path::{Path, PathBuf};
use std::process::Command;

use infra::examples::{output, Example, ALL};
use toolkit::policy::Policies;
use toolkit::synth::files;

fn policies() -> Policies {
    Policies::load(&infra::APP.policies_path()).expect("policies/ loads")
}

#[test]
fn there_are_four_examples_with_distinct_names() {
    let mut names: Vec<&str> = ALL.iter().map(|e| e.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 4, "{names:?}");
}

#[test]
fn each_example_synthesizes_to_identical_bytes_twice() {
    for example in &ALL {
        let first = example.synthesize();
        let second = example.synthesize();
        assert!(!first.is_empty(), "{} has no stacks", example.name);
        assert_eq!(first, second, "{} is not deterministic", example.name);
        assert_eq!(
            example.permissions_markdown(&first),
            example.permissions_markdown(&second)
        );
    }
}

#[test]
fn each_example_passes_limits_and_every_policy() {
    let policies = policies();
    for example in &ALL {
        let stacks = example.synthesize();
        let result = toolkit::synth::pipeline::check(example.stage.name(), &stacks, &policies)
            .expect("policies evaluate");
        if let Err(failure) = result {
            panic!("{} fails:\n{failure}", example.name);
        }
    }
}

/// Physical names, SSM paths and descriptions carry the example's own app name.
#[test]
fn examples_never_name_bubblebatch() {
    for example in &ALL {
        for stack in example.synthesize() {
            assert!(
                !stack.template_json.to_lowercase().contains("bubblebatch"),
                "{}/{} mentions bubblebatch",
                example.name,
                stack.name
            );
            assert!(
                stack.stack_name.starts_with(example.name),
                "stack name {} does not start with {}",
                stack.stack_name,
                example.name
            );
        }
    }
}

/// `stacks/examples/` is what a fresh synth writes, permission reports included
/// (the reports are the snapshots of each example's least-privilege grants).
#[test]
fn committed_templates_and_permission_reports_are_current() {
    let policies = policies();
    let out = output::default_dir();
    let mut problems = Vec::new();
    for example in &ALL {
        let outcome = output::synth_example(example, &out, &policies, true).expect("synth");
        problems.extend(outcome.problems);
    }
    assert!(
        problems.is_empty(),
        "stale examples (run `cargo run -p infra --example siblings`):\n{}",
        problems.join("\n")
    );
}

#[test]
fn permission_report_snapshots_match() {
    for example in &ALL {
        let stacks = example.synthesize();
        let path = output::default_dir()
            .join(example.name)
            .join(output::PERMISSIONS_FILE);
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            committed,
            example.permissions_markdown(&stacks),
            "{} differs from a fresh report",
            path.display()
        );
        assert!(
            committed.contains("## "),
            "{} lists no function",
            path.display()
        );
    }
}

/// cfn-lint from the tools venv (`scripts/setup-tools.sh` prints its bin folder).
fn cfn_lint() -> PathBuf {
    if let Some(dir) = std::env::var_os("BB_TOOLS_BIN") {
        let path = Path::new(&dir).join("cfn-lint");
        if path.is_file() {
            return path;
        }
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("cfn-lint"))
        .find(|path| path.is_file());
    on_path.unwrap_or_else(|| {
        panic!(
            "cfn-lint not found: run scripts/setup-tools.sh and set BB_TOOLS_BIN to the \
             folder it prints (or put cfn-lint on PATH)"
        )
    })
}

/// Writes a fresh synth of `example` into `dir` and returns the template paths.
fn write_fresh(example: &Example, dir: &Path) -> Vec<PathBuf> {
    let stacks = example.synthesize();
    files::write(dir, example.name, &stacks).expect("write templates");
    stacks
        .iter()
        .map(|stack| files::stack_path(dir, example.name, stack))
        .collect()
}

#[test]
fn every_example_template_is_cfn_lint_clean() {
    let lint = cfn_lint();
    let dir = tempfile::tempdir().expect("temp dir");
    let templates: Vec<PathBuf> = ALL
        .iter()
        .flat_map(|example| write_fresh(example, dir.path()))
        .collect();
    assert!(templates.len() >= 4, "too few templates: {templates:?}");
    // One run over all templates: cfn-lint starts slowly (seconds), templates are quick.
    let run = Command::new(&lint)
        .args(&templates)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", lint.display()));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Exit code is a bitmask (2 errors, 4 warnings, 8 informational): zero means none.
    assert!(
        run.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems (exit {:?}):\n{stdout}\n{stderr}",
        run.status.code()
    );
}
