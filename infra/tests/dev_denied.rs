//! `infra dev` with a deliberately under-permissioned function: once dev is serving, an
//! explicit Deny of `dynamodb:Query` is added to the `public` function's deployed role in
//! the emulator's IAM (as a hand-made role change would). The next public request makes
//! that call: the function must get AccessDenied (its answer is a 500, not the 404 of a
//! missing batch), and dev must print a DENIED line naming the function, action, resource and
//! the statement the role lacks, list it in `.local/dev/dev/permissions.json`, and exit 1
//! when stopped.
#![cfg(feature = "aws")]
mod dev_support;

use std::time::Duration;

use dev_support::{repo, Dev};
use toolkit::dev::permissions::{read_report, Decision};

/// One IAM call to the emulator (query protocol; moto checks no signature, the scope in
/// the header only routes the request to IAM).
fn iam(endpoint: &str, form: &[(&str, &str)]) -> String {
    let mut r = ureq::post(endpoint)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/iam/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .send_form(form.iter().copied().chain([("Version", "2010-05-08")]))
        .unwrap_or_else(|e| panic!("IAM {form:?}: {e}"));
    r.body_mut().read_to_string().unwrap()
}

#[test]
fn a_call_the_deployed_role_denies_is_reported_and_fails_dev() {
    let port = harness::free_port();
    let mut dev = Dev::start(port, &[]);
    dev.wait_ready(Duration::from_secs(900));
    let text = dev.output();
    let endpoint = text
        .lines()
        .find_map(|l| l.strip_prefix("emulator: "))
        .expect("dev prints the emulator's URL")
        .to_string();

    // The public function's role, as deployed, gets an explicit Deny of its one action.
    let report_path = repo().join(".local/dev/dev/permissions.json");
    let report = read_report(&report_path).unwrap();
    let role_arn = report.functions["bubblebatch-dev-public"].role_arn.clone();
    let role = role_arn.rsplit('/').next().unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:Query","Resource":"*"}]}"#;
    iam(
        &endpoint,
        &[
            ("Action", "PutRolePolicy"),
            ("RoleName", role),
            ("PolicyName", "under-permissioned"),
            ("PolicyDocument", deny),
        ],
    );

    let url = format!("http://127.0.0.1:{port}/public/b/01J00000000000000000000000");
    let mut answer = ureq::get(&url)
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
    // The function got AccessDenied from the emulator (as from AWS) and failed: no 404.
    let status = answer.status().as_u16();
    let body = answer.body_mut().read_to_string().unwrap();
    assert_eq!(status, 500, "{body}");
    dev.wait_for("DENIED", Duration::from_secs(30));
    let text = dev.output();
    let line = text.lines().find(|l| l.contains("DENIED")).unwrap();
    assert!(
        line.contains(
            "DENIED: bubblebatch-dev-public (GET /public/b/{batchId}) called dynamodb:Query on \
             arn:aws:dynamodb:us-east-1:123456789012:table/bubblebatch-dev-table"
        ),
        "{line}"
    );
    assert!(line.contains("a Deny statement matches it"), "{line}");
    assert!(
        line.contains(r#"it lacks {"Effect":"Allow","Action":"dynamodb:Query","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/bubblebatch-dev-table"#),
        "{line}"
    );

    // Ctrl-C: dev stops everything and fails because of the denied call.
    let status = dev.interrupt_and_wait();
    let text = dev.output();
    assert_eq!(status.code(), Some(1), "{text}");
    assert!(
        text.contains("AWS call(s) by the functions were denied by their deployed roles"),
        "{text}"
    );

    let report = read_report(&report_path).unwrap();
    let denied: Vec<_> = report
        .denied()
        .into_iter()
        .map(|(f, c)| {
            (
                f.to_string(),
                c.action.clone(),
                c.decision,
                c.triggers.clone(),
            )
        })
        .collect();
    assert!(!denied.is_empty(), "{report:#?}");
    for (function, action, decision, triggers) in &denied {
        assert_eq!(function, "bubblebatch-dev-public");
        assert_eq!(action, "dynamodb:Query");
        assert_eq!(*decision, Decision::ExplicitDeny);
        assert!(triggers.contains("GET /public/b/{batchId}"), "{triggers:?}");
    }
}
