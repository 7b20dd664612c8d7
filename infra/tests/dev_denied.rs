//! `infra dev` with a deliberately under-permissioned function: once dev is serving, an
//! explicit Deny of `dynamodb:Query` is added to the `public` function's deployed role in
//! the emulator's IAM (as a hand-made role change would). The next public request makes
//! that call: the function must get AccessDenied (its answer is a 500, not the 404 of a
//! missing batch), and dev must print a DENIED line naming the function, action, resource and
//! the statement the role lacks, list it in `.local/dev/dev/permissions.json`, and exit 1
//! when stopped.
#![cfg(feature = "aws")]
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use toolkit::dev::permissions::{read_report, Decision};

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Waits until `output` holds `text` (or dev exits / time runs out).
fn wait_for(output: &Mutex<String>, child: &mut std::process::Child, text: &str, limit: Duration) {
    let started = Instant::now();
    while !output.lock().unwrap().contains(text) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("dev exited with {status}:\n{}", output.lock().unwrap());
        }
        assert!(
            started.elapsed() < limit,
            "no {text:?} within {limit:?}:\n{}",
            output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_infra-engine"))
        .args(["dev", "--stage", "dev", "--port", &port.to_string()])
        .env_remove("AWS_ENDPOINT_URL")
        .env("TOOLKIT_DEV_BUILD_FLAGS", "--workspace --all-features")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start infra-engine dev");
    let output = Arc::new(Mutex::new(String::new()));
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut o = output.lock().unwrap();
                o.push_str(&line);
                o.push('\n');
            }
        });
    }
    wait_for(&output, &mut child, "ready in", Duration::from_secs(900));
    let text = output.lock().unwrap().clone();
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
    wait_for(&output, &mut child, "DENIED", Duration::from_secs(30));
    let text = output.lock().unwrap().clone();
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
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "dev did not stop");
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_millis(200)); // the readers' last lines
    let text = output.lock().unwrap().clone();
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
