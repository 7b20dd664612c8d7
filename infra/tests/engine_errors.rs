//! Engine errors a person can act on (issue 12, item 6): each common failure, provoked
//! for real on 127.0.0.1 only (no credentials at all, an endpoint nothing listens on, a
//! tiny local responder answering with AWS's error codes), is printed as what failed
//! and what to do next; the SDK's raw error only with `--verbose` or `RUST_LOG`.
#![cfg(feature = "aws")]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};

use infra::stacks::stage::Stage;
use toolkit::engine::cfn::Backoff;
use toolkit::engine::clients::Clients;
use toolkit::engine::errors::{explain, ErrorContext, Problem};
use toolkit::engine::run::{scripted_ui, Session};

/// A port on 127.0.0.1 nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Answers every request with `status` and CloudFormation's error document for `code`.
fn responder(status: u16, code: &str, message: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = format!(
        "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>\
         <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut request = vec![0; length];
            let _ = reader.read_exact(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Error\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// `infra diff --stage dev` in an environment made of `vars` only (plus PATH), with a
/// HOME without AWS files and instance metadata off: nothing but 127.0.0.1 is called.
fn diff(vars: &[(&str, String)], extra: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_REGION", "us-east-1")
        .env("CI", "1")
        .args(["diff", "--stage", "dev"])
        .args(extra);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn with_keys(endpoint: String) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_ENDPOINT_URL", endpoint),
    ]
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The SDK's debug dump, which only `--verbose` / `RUST_LOG` show.
fn has_raw_dump(text: &str) -> bool {
    text.contains("raw error:") && text.contains("DispatchFailure")
}

#[test]
fn no_credentials_say_where_we_looked_and_how_to_sign_in() {
    // An endpoint is set so that even found credentials could only reach 127.0.0.1.
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let out = diff(&[("AWS_ENDPOINT_URL", endpoint.clone())], &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: no AWS credentials found. Looked in:"),
        "{err}"
    );
    assert!(err.contains("~/.aws/credentials"), "{err}");
    assert!(
        err.contains("Next: choose a profile with `--profile NAME`"),
        "{err}"
    );
    assert!(err.contains("`aws sso login --profile default`"), "{err}");
    assert!(err.contains("`cargo run -p infra -- dev`"), "{err}");
    assert!(
        !err.contains("DispatchFailure"),
        "no debug dump by default: {err}"
    );

    // The raw error, on demand.
    let out = diff(&[("AWS_ENDPOINT_URL", endpoint.clone())], &["--verbose"]);
    assert!(has_raw_dump(&stderr(&out)), "{}", stderr(&out));
    let out = diff(
        &[("AWS_ENDPOINT_URL", endpoint), ("RUST_LOG", "debug".into())],
        &[],
    );
    assert!(has_raw_dump(&stderr(&out)), "{}", stderr(&out));
}

#[test]
fn an_unreachable_endpoint_is_named() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let out = diff(&with_keys(endpoint.clone()), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("error: cannot reach the AWS endpoint {endpoint}")),
        "{err}"
    );
    assert!(
        err.contains("start the emulator there, or unset AWS_ENDPOINT_URL"),
        "{err}"
    );
    assert!(!err.contains("DispatchFailure"), "{err}");
}

#[test]
fn access_denied_names_the_action_and_the_resource() {
    let stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/bubblebatch-dev-bootstrap/*";
    let url = responder(
        403,
        "AccessDenied",
        &format!(
            "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: \
             cloudformation:DescribeStacks on resource: {stack} because no identity-based \
             policy allows the cloudformation:DescribeStacks action"
        ),
    );
    let out = diff(&with_keys(url), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "error: access denied: the credentials in use may not call \
             cloudformation:DescribeStacks on {stack}."
        )),
        "{err}"
    );
    assert!(err.contains("ask an administrator to allow"), "{err}");
}

#[test]
fn an_expired_token_asks_to_sign_in_again() {
    let url = responder(
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    );
    let mut vars = with_keys(url);
    vars.push(("AWS_PROFILE", "team".into()));
    let out = diff(&vars, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: the AWS session token of profile 'team' has expired."),
        "{err}"
    );
    assert!(err.contains("`aws sso login --profile team`"), "{err}");
}

#[test]
fn throttling_that_outlasts_the_retries_is_explained() {
    // Through the engine (one attempt of its own; the SDK still retries with backoff),
    // so the test does not wait out the CLI's full backoff.
    let url = responder(400, "Throttling", "Rate exceeded");
    let err = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut session = Session::new(
                Clients::for_endpoint(&url).await,
                scripted_ui(false, &[]),
                Stage::Dev.info(),
            );
            session.timing.backoff = Backoff {
                attempts: 1,
                ..Backoff::default()
            };
            session.engine().describe("bubblebatch-dev-data").await
        })
        .unwrap_err();
    let ctx = ErrorContext {
        endpoint: Some(url),
        region: "us-east-1".into(),
        profile: None,
        command: infra::APP.command(),
    };
    let explained = explain(&format!("{err:#}"), &ctx).expect("recognised");
    assert_eq!(explained.problem, Problem::Throttled);
    assert!(
        explained
            .to_string()
            .contains("Next: wait a minute and run the command again"),
        "{explained}"
    );
}
