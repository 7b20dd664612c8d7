//! The engine's command line: argument parsing, the offline `plan` through
//! `run_engine_command`, and the exit code of AWS commands in a build without the engine.
use std::path::Path;
use std::process::Command;

use clap::{CommandFactory, Parser};
use cli::aws_commands::{run_engine_command, EngineCommand, PlanFormat};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: EngineCommand,
}

fn parse(args: &[&str]) -> EngineCommand {
    Cli::try_parse_from(std::iter::once("infra").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"))
        .cmd
}

#[test]
fn arguments_parse() {
    Cli::command().debug_assert();
    match parse(&[
        "deploy",
        "--stage",
        "dev",
        "--yes",
        "--allow-replace",
        "--hotswap",
        "--stack",
        "Api",
    ]) {
        EngineCommand::Deploy(a) => {
            assert!(a.yes && a.allow_replace && a.hotswap);
            assert_eq!(a.stacks, ["Api"]);
        }
        other => panic!("{other:?}"),
    }
    match parse(&[
        "plan",
        "--stage",
        "prod",
        "--format",
        "markdown",
        "--base",
        "origin/main",
    ]) {
        EngineCommand::Plan(a) => {
            assert_eq!(a.format, PlanFormat::Markdown);
            assert_eq!(a.base.as_deref(), Some("origin/main"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run_engine_command(&infra::APP, parse(&["diff", "--stage", "staging"])),
        2,
        "an unknown stage is a usage error"
    );
    assert!(
        Cli::try_parse_from(["infra", "destroy"]).is_err(),
        "--stage is required"
    );
}

fn git(repo: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn offline_plan_exit_codes() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let repo = tempfile::tempdir().unwrap();
    let committed = repo.path().join("stacks/dev");
    std::fs::create_dir_all(&committed).unwrap();
    for n in ["Auth", "Data", "Api"] {
        std::fs::copy(
            fixtures.join(format!("base/{n}.json")),
            committed.join(format!("{n}.json")),
        )
        .unwrap();
    }
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    let repo_arg = repo.path().to_str().unwrap();
    let plan = |dir: &Path| {
        run_engine_command(
            &infra::APP,
            parse(&[
                "plan",
                "--stage",
                "dev",
                "--against",
                "git",
                "--base",
                "main",
                "--format",
                "json",
                "--repo",
                repo_arg,
                "--templates-dir",
                dir.to_str().unwrap(),
            ]),
        )
    };
    // Same templates: 0. The head fixtures (a table replaced): 3.
    assert_eq!(plan(&committed), 0);
    assert_eq!(plan(&fixtures.join("head")), 3);
    // Only a non-destructive change: 2.
    let only_api = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures.join("base/Auth.json"),
        only_api.path().join("Auth.json"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("base/Data.json"),
        only_api.path().join("Data.json"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("head/Api.json"),
        only_api.path().join("Api.json"),
    )
    .unwrap();
    assert_eq!(plan(only_api.path()), 2);
    // A base ref that doesn't exist: 1.
    let code = run_engine_command(
        &infra::APP,
        parse(&[
            "plan",
            "--stage",
            "dev",
            "--against",
            "git",
            "--base",
            "nope",
            "--repo",
            repo_arg,
            "--templates-dir",
            repo_arg,
        ]),
    );
    assert_eq!(code, 1);
}

#[cfg(not(feature = "aws"))]
#[test]
fn aws_commands_exit_2_without_the_engine() {
    for args in [
        &["deploy", "--stage", "dev"][..],
        &["diff", "--stage", "dev"],
        &["bootstrap", "--stage", "dev"],
        &["destroy", "--stage", "dev"],
        &["drift", "--stage", "dev"],
        &["plan", "--stage", "dev", "--against", "deployed"],
    ] {
        assert_eq!(run_engine_command(&infra::APP, parse(args)), 2, "{args:?}");
    }
}
