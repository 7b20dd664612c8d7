//! Without the `aws` feature (the default), `infra deploy` builds `infra-engine` on first
//! use and runs it with the same arguments. A stand-in `cargo` (via $CARGO) writes a
//! stand-in engine, so this checks the hand-over without compiling the AWS SDK.
#![cfg(all(unix, not(feature = "aws")))]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn script(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn deploy_builds_the_engine_once_then_runs_it_with_the_same_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    let profile = target.join("debug");
    std::fs::create_dir_all(&profile).unwrap();
    // The app's binary, in a target folder of its own.
    let infra = profile.join("infra");
    std::fs::copy(env!("CARGO_BIN_EXE_infra"), &infra).unwrap();
    let log = dir.path().join("cargo.log");
    let engine = profile.join("infra-engine");
    script(
        &dir.path().join("cargo"),
        &format!(
            "echo \"$@\" >> {log}\ncat > {engine} <<'ENGINE'\n#!/bin/sh\necho \"engine: $@\"\nexit 3\nENGINE\nchmod +x {engine}",
            log = log.display(),
            engine = engine.display()
        ),
    );
    let run = || -> Output {
        Command::new(&infra)
            .args(["deploy", "--stage", "dev", "--yes"])
            .env("CARGO", dir.path().join("cargo"))
            .env_remove("TOOLKIT_NO_ENGINE_BUILD")
            .output()
            .unwrap()
    };

    let first = run();
    assert_eq!(first.status.code(), Some(3), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), "engine: deploy --stage dev --yes\n");
    assert!(
        text(&first.stderr).contains("not built yet") && text(&first.stderr).contains("5 minutes"),
        "{}",
        text(&first.stderr)
    );
    let second = run();
    assert_eq!(second.status.code(), Some(3));
    assert!(
        !text(&second.stderr).contains("not built yet"),
        "{}",
        text(&second.stderr)
    );

    let builds = std::fs::read_to_string(&log).unwrap();
    let expected = format!(
        "build -p infra --features aws --bin infra-engine --target-dir {}",
        target.display()
    );
    assert_eq!(
        builds.lines().collect::<Vec<_>>(),
        [expected.clone(), format!("{expected} --quiet")],
        "cargo is asked every time, so an edited stack is rebuilt into the engine"
    );
}

#[test]
fn the_engine_build_can_be_turned_off() {
    let output = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["deploy", "--stage", "dev"])
        .env("TOOLKIT_NO_ENGINE_BUILD", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("needs the AWS engine"),
        "{}",
        text(&output.stderr)
    );
}
