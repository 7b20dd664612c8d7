//! `cfn-codegen --check`: the committed crate is what the generator produces, and a
//! tampered copy is caught. Needs the tools venv (scripts/setup-tools.sh), like CI.
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cfn")
}

fn check(out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cfn-codegen"))
        .args(["--check", "--out"])
        .arg(out)
        .output()
        .expect("cfn-codegen runs")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn committed_output_is_current_and_tampering_is_caught() {
    let output = check(&committed());
    assert!(
        output.status.success(),
        "the committed crates/cfn is stale: run `cargo run -p cfn-codegen`\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let copy = std::env::temp_dir().join(format!("cfn-codegen-check-{}", std::process::id()));
    let _ = fs::remove_dir_all(&copy);
    copy_dir(&committed(), &copy);
    let tampered = copy.join("src/dynamodb/table.rs");
    let mut text = fs::read_to_string(&tampered).unwrap();
    text.push_str("// edited by hand\n");
    fs::write(&tampered, text).unwrap();
    fs::write(copy.join("src/dynamodb/extra.rs"), "// not generated\n").unwrap();
    fs::remove_file(copy.join("src/lambda/function.rs")).unwrap();

    let output = check(&copy);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let _ = fs::remove_dir_all(&copy);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("src/dynamodb/table.rs (differs)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("src/dynamodb/extra.rs (should not exist)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("src/lambda/function.rs (missing)"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().count(),
        3,
        "only the touched files: {stdout}"
    );
}
