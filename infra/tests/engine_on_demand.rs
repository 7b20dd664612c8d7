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

/// The app's binary in a target folder of its own, a stand-in `cargo` that logs its
/// build arguments and writes a stand-in engine (exit 3), and that binary's runner.
struct StandIn {
    dir: tempfile::TempDir,
    infra: std::path::PathBuf,
    log: std::path::PathBuf,
}

impl StandIn {
    fn new() -> StandIn {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("target/debug");
        std::fs::create_dir_all(&profile).unwrap();
        let infra = profile.join("infra");
        std::fs::copy(env!("CARGO_BIN_EXE_infra"), &infra).unwrap();
        let log = dir.path().join("cargo.log");
        let engine = profile.join("infra-engine");
        // `cargo metadata` (which package holds a binary) is answered by the real cargo.
        let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        script(
            &dir.path().join("cargo"),
            &format!(
                "[ \"$1\" = metadata ] && exec {real} \"$@\"\necho \"$@\" >> {log}\ncat > {engine} <<'ENGINE'\n#!/bin/sh\necho \"engine: $@\"\nexit 3\nENGINE\nchmod +x {engine}",
                log = log.display(),
                engine = engine.display()
            ),
        );
        StandIn { dir, infra, log }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.infra)
            .args(args)
            .env("CARGO", self.dir.path().join("cargo"))
            .env_remove("TOOLKIT_NO_ENGINE_BUILD")
            .output()
            .unwrap()
    }

    fn builds(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap();
        log.lines().map(str::to_string).collect()
    }
}

#[test]
fn deploy_builds_the_engine_once_then_runs_it_with_the_same_arguments() {
    let stand_in = StandIn::new();
    let target = stand_in.dir.path().join("target");
    let run = || stand_in.run(&["deploy", "--stage", "dev", "--yes"]);
    let first = run();
    assert_eq!(first.status.code(), Some(3), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), "engine: deploy --stage dev --yes\n");
    assert!(
        text(&first.stderr).contains("not built yet") && text(&first.stderr).contains("15 minutes"),
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

    let builds = stand_in.builds();
    let expected = format!(
        "build -p infra --features aws --bin infra-engine --target-dir {}",
        target.display()
    );
    assert_eq!(
        builds,
        [expected.clone(), format!("{expected} --quiet")],
        "cargo is asked every time, so an edited stack is rebuilt into the engine"
    );
}

#[test]
fn dev_builds_the_functions_in_the_engines_first_build() {
    let stand_in = StandIn::new();
    let first = stand_in.run(&["dev", "--stage", "dev"]);
    assert_eq!(first.status.code(), Some(3), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), "engine: dev --stage dev\n");
    stand_in.run(&["dev", "--stage", "dev"]);

    let builds = stand_in.builds();
    let functions = "-p app --bin auth --bin batches --bin devices --bin events --bin export \
                     --bin public --bin reminder-processor --bin reminders";
    assert!(
        builds[0].starts_with(&format!(
            "build -p infra --features aws --bin infra-engine {functions} "
        )),
        "{builds:?}"
    );
    assert!(
        !builds[1].contains("-p app"),
        "once built, dev builds its functions itself: {builds:?}"
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
