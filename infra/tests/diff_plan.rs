//! The offline diff and plan: fixtures under tests/fixtures/diff/{base,head}, a throwaway
//! git repository for the base-ref path, and a snapshot of the Markdown comment.
use std::path::{Path, PathBuf};
use std::process::Command;

use infra::stacks::stage::Stage;
use serde_json::{json, Value};
use toolkit::diff::offline::{plan_against_ref, NewTemplates};
use toolkit::diff::{self, markdown, text, Action, PlanReport, StackStatus, StackTemplates};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn load(dir: &str, name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(dir).join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fixture_report() -> PlanReport {
    let stacks: Vec<StackTemplates> = ["Auth", "Data", "Api"]
        .iter()
        .map(|n| StackTemplates {
            name: n.to_string(),
            stack_name: format!("bubblebatch-dev-{}", n.to_lowercase()),
            old: Some(load("base", n)),
            new: Some(load("head", n)),
        })
        .collect();
    diff::diff_all(
        "dev",
        "origin/main",
        Some("0123456789abcdef0123456789abcdef01234567".into()),
        &stacks,
    )
}

#[test]
fn fixture_changes_are_classified() {
    let r = fixture_report();
    let auth = &r.stacks[0];
    assert_eq!(auth.status, StackStatus::Unchanged);
    let data = &r.stacks[1];
    let by_id = |s: &diff::StackDiff, id: &str| {
        s.resources
            .iter()
            .find(|r| r.logical_id == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id(data, "Table").action, Action::Replace);
    assert!(by_id(data, "Table").destructive());
    assert_eq!(by_id(data, "Queue").action, Action::Add);
    assert_eq!(by_id(data, "OldTopic").action, Action::Remove);
    assert!(data
        .sections
        .iter()
        .any(|s| s.section == "Outputs" && s.key == "QueueUrl"));
    let api = &r.stacks[2];
    assert!(
        by_id(api, "ApiFn").code_only,
        "S3Key-only change is a code change"
    );
    assert_eq!(
        by_id(api, "ApiLogs").action,
        Action::Modify,
        "retention updates in place"
    );
    assert!(
        api.iam.broadening,
        "added PutItem and a new Lambda permission broaden"
    );
    assert_eq!(api.iam.broadening_statements.len(), 2);
    assert_eq!(r.diff_exit_code(), diff::exit::CHANGES);
    assert_eq!(r.plan_exit_code(), diff::exit::DESTRUCTIVE);
}

#[test]
fn markdown_plan_snapshot() {
    let md = markdown::render(&fixture_report());
    assert!(md.starts_with("<!-- bubblebatch-plan:dev -->\n"));
    assert!(
        md.contains("[!CAUTION]"),
        "red banner for the table replacement"
    );
    insta::assert_snapshot!("plan_markdown", md);
}

#[test]
fn no_changes_plan_exits_zero_without_banner() {
    let stacks = vec![StackTemplates {
        name: "Auth".into(),
        stack_name: "bubblebatch-dev-auth".into(),
        old: Some(load("base", "Auth")),
        new: Some(load("head", "Auth")),
    }];
    let r = diff::diff_all("dev", "deployed", None, &stacks);
    assert_eq!(r.plan_exit_code(), diff::exit::NO_CHANGES);
    let md = markdown::render(&r);
    assert!(!md.contains("CAUTION"));
    assert!(md.contains("No changes"));
    assert!(text::render(&r, false).contains("No changes"));
}

#[test]
fn huge_plans_are_truncated_under_githubs_limit() {
    let big = |n: usize, v: &str| {
        let resources: serde_json::Map<String, Value> = (0..n)
            .map(|i| {
                (
                    format!("Topic{i}"),
                    json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": v.repeat(40), "Tags": [{"Key": "k", "Value": v.repeat(200)}]}}),
                )
            })
            .collect();
        json!({"Resources": resources})
    };
    let stacks: Vec<StackTemplates> = (0..3)
        .map(|i| StackTemplates {
            name: format!("S{i}"),
            stack_name: format!("s{i}"),
            old: Some(big(150, "a")),
            new: Some(big(150, "b")),
        })
        .collect();
    let r = diff::diff_all("dev", "origin/main", Some("abc".into()), &stacks);
    let md = markdown::render(&r);
    assert!(
        md.chars().count() <= markdown::GITHUB_LIMIT,
        "{} chars",
        md.chars().count()
    );
    assert!(md.contains("shortened to fit"));
    assert!(md.starts_with(&markdown::marker("dev")));
    assert!(
        md.trim_end().ends_with("</sub>"),
        "the footer with the commit survives"
    );
    assert!(md.contains("Commit abc"));
    // A tiny limit still yields a body within it.
    let tiny = markdown::render_with_limit(&r, 3_000);
    assert!(tiny.len() <= 3_000, "{}", tiny.len());
}

#[test]
fn json_and_colours() {
    let r = fixture_report();
    let v: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["stacks"][1]["resources"][0]["logical_id"], "OldTopic");
    assert_eq!(v["stacks"][2]["iam"]["broadening"], true);
    let plain = text::render(&r, false);
    assert!(!plain.contains('\u{1b}'), "no escape codes without colour");
    assert!(
        plain.contains("Table AWS::DynamoDB::Table (replaced, DATA LOSS)"),
        "{plain}"
    );
    assert!(
        plain.contains("ApiFn AWS::Lambda::Function (code changed)"),
        "{plain}"
    );
    let coloured = text::render(&r, true);
    assert!(coloured.contains('\u{1b}'));
}

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn offline_plan_against_a_git_base_ref() {
    let repo = tempfile::tempdir().unwrap();
    let stacks = repo.path().join("stacks/dev");
    std::fs::create_dir_all(&stacks).unwrap();
    for n in ["Auth", "Data", "Api"] {
        std::fs::copy(
            fixtures().join(format!("base/{n}.json")),
            stacks.join(format!("{n}.json")),
        )
        .unwrap();
    }
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    // The pull request's templates: head fixtures minus Auth (a removed stack).
    let head = tempfile::tempdir().unwrap();
    for n in ["Data", "Api"] {
        std::fs::copy(
            fixtures().join(format!("head/{n}.json")),
            head.path().join(format!("{n}.json")),
        )
        .unwrap();
    }
    let r = plan_against_ref(
        repo.path(),
        Stage::Dev.info(),
        "stacks",
        "main",
        &NewTemplates::Dir(head.path().into()),
        Some("feed".into()),
    )
    .unwrap();
    assert_eq!(r.against, "main");
    let auth = r.stacks.iter().find(|s| s.name == "Auth").unwrap();
    assert_eq!(auth.status, StackStatus::Removed);
    assert!(auth
        .destructive()
        .iter()
        .any(|x| x.resource_type == "AWS::Cognito::UserPool"));
    assert_eq!(auth.stack_name, "bubblebatch-dev-auth");
    assert_eq!(r.plan_exit_code(), diff::exit::DESTRUCTIVE);

    // A base without stacks/dev: everything is new.
    let err = plan_against_ref(
        repo.path(),
        Stage::Dev.info(),
        "stacks",
        "no-such-branch",
        &NewTemplates::Dir(head.path().into()),
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("not found"), "{err}");
    let r = plan_against_ref(
        repo.path(),
        Stage::Prod.info(),
        "stacks",
        "main",
        &NewTemplates::Dir(head.path().into()),
        None,
    )
    .unwrap();
    assert!(r.stacks.iter().all(|s| s.status == StackStatus::New));
}
