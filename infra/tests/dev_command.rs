//! `infra dev` as a black box: started as a process on an ephemeral port, it starts its
//! own emulator, deploys the dev stage and serves the API from the deployed
//! configuration. Driven over HTTP: a public route without a token, 401s from the JWT
//! authorizer, sign-in through the emulator's mail sink, a batch created, listed and seen
//! on its public page. Then Ctrl-C (SIGINT): it exits 0 and none of the processes it
//! started (emulator, one per function) is left.
#![cfg(feature = "aws")]
mod dev_support;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use dev_support::{repo, Api, Dev};
use serde_json::json;

/// Every process below `pid` (from /proc).
fn descendants(pid: u32) -> BTreeSet<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after the ')'.
        let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            parents.push((p, ppid));
        }
    }
    let mut found = BTreeSet::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for &(child, _) in parents.iter().filter(|(_, pp)| *pp == parent) {
            if found.insert(child) {
                frontier.push(child);
            }
        }
    }
    found
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            let state = s
                .rsplit_once(')')
                .map(|(_, a)| a.trim_start())
                .unwrap_or("");
            !state.starts_with('Z')
        })
        .unwrap_or(false)
}

#[test]
fn dev_serves_the_deployed_api_and_leaves_no_process_behind() {
    let port = harness::free_port();
    let mut dev = Dev::start(port, &[]);
    let took = dev.wait_ready(Duration::from_secs(900));
    eprintln!("dev ready after {:.1} s", took.as_secs_f64());
    let out = dev.output();
    assert!(
        out.contains(&format!(
            "API bubblebatch-dev-http-api: http://127.0.0.1:{port} (13 routes)"
        )),
        "{out}"
    );
    assert!(out.contains("authUserPoolId = us-east-1_"), "{out}");
    assert!(out.contains("sign-in codes: "), "{out}");
    assert!(
        out.contains("schedule bubblebatch-dev-reminders: rate(5 minutes) runs bubblebatch-dev-reminder-processor"),
        "{out}"
    );
    let started = descendants(dev.child.id());
    // The emulator and one process per function (8).
    assert!(started.len() >= 9, "{started:?}");

    let api = Api::on_port(port);
    // Public route, no token: the function answers (no such batch).
    let (status, body) = api.call("GET", "/public/b/01J00000000000000000000000", None, None);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("NOT_FOUND")),
        "{body}"
    );
    // Protected route: the authorizer refuses before any function runs.
    let (status, body) = api.call("GET", "/batches", None, None);
    assert_eq!(
        (status, body.clone()),
        (401, json!({"message": "Unauthorized"}))
    );
    let (status, _) = api.call("GET", "/batches", Some("not-a-jwt"), None);
    assert_eq!(status, 401);
    let (status, body) = api.call("GET", "/no/such/route", None, None);
    assert_eq!((status, body), (404, json!({"message": "Not Found"})));

    // Sign-in: the emulator's Cognito writes the code to the mail sink.
    let email = format!("dev-test-{}@example.com", std::process::id());
    let mail = repo().join(".local/mail").join(&email);
    let _ = std::fs::remove_file(&mail);
    let (status, body) = api.call("POST", "/auth/login", None, Some(json!({"email": email})));
    assert_eq!(status, 200, "{body}");
    let session = body["data"]["session"].as_str().unwrap().to_string();
    let code = std::fs::read_to_string(&mail)
        .unwrap_or_else(|e| panic!("{}: {e}", mail.display()))
        .trim()
        .to_string();
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let (status, _) = api.call(
        "POST",
        "/auth/verify",
        None,
        Some(json!({"email": email, "code": wrong, "session": session})),
    );
    assert_eq!(status, 401);
    let (status, body) = api.call(
        "POST",
        "/auth/verify",
        None,
        Some(json!({"email": email, "code": code, "session": session})),
    );
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["accessToken"].as_str().unwrap().to_string();
    let _ = std::fs::remove_file(&mail);

    // A batch, through the authorizer and the batches function.
    let (status, body) = api.call(
        "POST",
        "/batches",
        Some(&token),
        Some(json!({"name": "first kefir", "type": "milk", "isPublic": true})),
    );
    assert_eq!(status, 201, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_string();
    let (status, body) = api.call("GET", "/batches", Some(&token), None);
    assert_eq!(status, 200, "{body}");
    let items = body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["name"], "first kefir");
    let (status, body) = api.call("GET", &format!("/public/b/{id}"), None, None);
    assert_eq!(status, 200, "{body}");
    assert!(body.to_string().contains("first kefir"), "{body}");

    // Ctrl-C: everything it started stops with it.
    dev.stop();
    let left: Vec<u32> = started.into_iter().filter(|p| alive(*p)).collect();
    assert!(left.is_empty(), "processes left behind: {left:?}");
    assert!(dev
        .output()
        .contains("stopped 8 function process(es) and the emulator"));
    permissions_were_proven(&dev.output());
}

/// Every AWS call the functions made during the drive was allowed by their deployed
/// roles (`dev` checked each one; see toolkit::dev::permissions), and a call is traced
/// to the route that made it. (Every route, and the README's table: dev_all_routes.rs.)
fn permissions_were_proven(output: &str) {
    assert!(
        output.contains("permissions: each function's AWS calls are checked"),
        "{output}"
    );
    assert!(!output.contains("DENIED"), "{output}");
    let path = repo().join(".local/dev/dev/permissions.json");
    let report = toolkit::dev::permissions::read_report(&path).unwrap();
    assert!(report.denied().is_empty(), "{:#?}", report.denied());
    assert_eq!(report.functions.len(), 8, "{:?}", report.functions.keys());
    let batches = &report.functions["bubblebatch-dev-batches"];
    let put = batches
        .calls
        .iter()
        .find(|c| c.action == "dynamodb:PutItem")
        .unwrap_or_else(|| panic!("{batches:#?}"));
    assert_eq!(
        put.resource,
        "arn:aws:dynamodb:us-east-1:123456789012:table/bubblebatch-dev-table"
    );
    assert!(put.triggers.contains("POST /batches"), "{put:?}");
}

#[test]
fn dev_refuses_an_emulator_that_is_not_on_this_machine_and_unknown_stages() {
    let out = Command::new(env!("CARGO_BIN_EXE_infra-engine"))
        .args(["dev", "--port", "0"])
        .env(
            "AWS_ENDPOINT_URL",
            "https://cloudformation.us-east-1.amazonaws.com",
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("AWS_ENDPOINT_URL is https://cloudformation.us-east-1.amazonaws.com: dev only talks to an emulator on this machine"),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_infra-engine"))
        .args(["dev", "--stage", "qa"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown stage 'qa'"), "{stderr}");
}
