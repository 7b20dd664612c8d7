//! The `synth` command as a user runs it: files, determinism, `--check`, stage errors.
use std::path::Path;
use std::process::{Command, Output};

fn infra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .output()
        .expect("run infra")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn synth_into(dir: &Path) -> Output {
    infra(&["synth", "--stage", "all", "--out", dir.to_str().unwrap()])
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for stage in ["bootstrap/dev", "bootstrap/prod", "dev", "prod"] {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(stage))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = format!("{stage}/{}", path.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read(&path).unwrap()));
        }
    }
    files
}

#[test]
fn synth_writes_every_stack_of_each_stage_with_identical_bytes_on_every_run() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let out = synth_into(first.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(synth_into(second.path()).status.success());
    let (a, b) = (read_tree(first.path()), read_tree(second.path()));
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "bootstrap/dev/Bootstrap.json",
            "bootstrap/prod/Bootstrap.json",
            "dev/Api.json",
            "dev/Auth.json",
            "dev/Data.json",
            "dev/Monitoring.json",
            "dev/Scheduler.json",
            "prod/Api.json",
            "prod/Audit.json",
            "prod/Auth.json",
            "prod/Data.json",
            "prod/Monitoring.json",
            "prod/Scheduler.json",
        ]
    );
    assert_eq!(a, b, "two synth runs must give byte-identical templates");
}

#[test]
fn committed_stacks_are_current() {
    let out = infra(&["synth", "--check"]);
    assert!(
        out.status.success(),
        "stacks/ is stale; run `cargo run -p infra -- synth`:\n{}",
        text(&out)
    );
}

#[test]
fn check_reports_edited_missing_and_orphaned_templates() {
    let dir = tempfile::tempdir().unwrap();
    assert!(synth_into(dir.path()).status.success());
    let check = || infra(&["synth", "--check", "--out", dir.path().to_str().unwrap()]);
    assert!(check().status.success());

    let api = dir.path().join("dev/Api.json");
    let edited = std::fs::read_to_string(&api)
        .unwrap()
        .replace("provided.al2023", "provided.al2");
    std::fs::write(&api, edited).unwrap();
    std::fs::remove_file(dir.path().join("prod/Auth.json")).unwrap();
    std::fs::write(dir.path().join("dev/Old.json"), "{}").unwrap();

    let out = check();
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out);
    assert!(report.contains("Api.json is out of date"), "{report}");
    assert!(report.contains("Auth.json is missing"), "{report}");
    assert!(report.contains("Old.json belongs to no stack"), "{report}");

    // A plain synth repairs all three.
    assert!(synth_into(dir.path()).status.success());
    assert!(check().status.success());
    assert!(!dir.path().join("dev/Old.json").exists());
}

#[test]
fn unknown_stage_is_a_usage_error_with_exit_code_2() {
    let out = infra(&["synth", "--stage", "qa"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("unknown stage 'qa': expected one of: dev, prod"),
        "{}",
        text(&out)
    );
}

#[test]
fn permission_report_lists_every_function() {
    let dir = tempfile::tempdir().unwrap();
    let out = infra(&[
        "synth",
        "--stage",
        "dev",
        "--permissions",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    for binary in [
        "auth",
        "batches",
        "events",
        "reminders",
        "devices",
        "export",
        "public",
        "reminder-processor",
    ] {
        assert!(
            report.contains(&format!("## bubblebatch-dev-{binary} (")),
            "{binary} missing:\n{report}"
        );
    }
    assert!(report.contains("| Allow | dynamodb:Query | arn:aws:dynamodb:{region}:{account}:table/bubblebatch-dev-table/index/GSI1 |"), "{report}");
}
