//! BubbleBatch's delivery stacks (the CI roles): each stage's is sound against the stage's
//! own templates, policy-clean and committed (with the rest of the app's conformance).
use toolkit::conformance::check_app;

#[test]
fn every_stage_conforms_with_its_delivery_stack() {
    let problems = check_app(&infra::APP).expect("policies load");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_delivery_command_reports_a_stale_template() {
    let dir = tempfile::tempdir().unwrap();
    let infra = env!("CARGO_BIN_EXE_infra");
    let out = dir.path().to_str().unwrap();
    let written = std::process::Command::new(infra)
        .args(["delivery", "--stage", "dev", "--out", out])
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    let path = dir.path().join("dev/Delivery.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("bubblebatch-dev-delivery"), "deny on itself");
    std::fs::write(
        &path,
        text.replace("cloudformation:ExecuteChangeSet", "x:Y"),
    )
    .unwrap();
    let checked = std::process::Command::new(infra)
        .args(["delivery", "--stage", "dev", "--check", "--out", out])
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(1), "{checked:?}");
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(stderr.contains("stale"), "{stderr}");
}
