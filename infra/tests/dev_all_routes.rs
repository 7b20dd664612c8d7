//! The whole system offline, as deployed: one emulator gets both stages with their
//! unmodified templates (prod's six stacks through the engine, as `deploy --stage prod`
//! does them; dev's five by `infra dev` itself), then every route of the HTTP API is
//! driven through `dev`: sign-in through the emulator's mail sink, batches, events with a
//! real PUT of a photo to its presigned URL and the GET back, reminders, a device, a
//! reminder processor run that pushes to a stand-in Expo on 127.0.0.1 (and forgets a
//! device Expo calls gone), the CSV export and the public page. Each answer's status,
//! envelope and content are asserted; then dev's permission report: no call any
//! function's deployed role denies, every grant exercised (or listed with a reason), the
//! README's permission table this run's.
#![cfg(feature = "aws")]
mod dev_support;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dev_support::{Api, Dev};
use infra::stacks::stage::Stage;
use serde_json::{json, Value};
use toolkit::dev::emulator::{self, Emulator};
use toolkit::engine::clients::Clients;
use toolkit::engine::deploy::{Outcome, Safety};
use toolkit::engine::run::{DeployOptions, DeployResult, Session};
use toolkit::engine::ui::{ScriptedPrompter, Ui};

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The zone prod's Api stack puts its records in, with the id its parameter defaults to
/// (the emulator is told to hand out that id: `BUBBLE_MOTO_HOSTED_ZONE_IDS`).
fn prod_zone() -> (String, String) {
    let domain = Stage::Prod.api_domain().expect("prod has a custom domain");
    let labels: Vec<&str> = domain.domain_name.split('.').collect();
    let zone = labels[labels.len() - 2..].join(".");
    (zone, domain.hosted_zone_id.to_string())
}

/// CreateHostedZone (Route 53's REST API; no SDK client for it here).
fn create_hosted_zone(endpoint: &str, name: &str) -> String {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>{name}</Name><CallerReference>dev-all-routes</CallerReference></CreateHostedZoneRequest>"#
    );
    let auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0";
    let mut response = ureq::post(format!("{endpoint}/2013-04-01/hostedzone"))
        .header("Authorization", auth)
        .header("Content-Type", "application/xml")
        .send(body)
        .expect("CreateHostedZone");
    response.body_mut().read_to_string().unwrap()
}

/// A zip per Lambda binary: prod's functions are stored by the emulator, never run.
fn write_zips(dir: &Path, stacks: &[toolkit::synth::SynthesizedStack]) {
    for code in stacks.iter().flat_map(|s| &s.lambda_code) {
        let d = dir.join(&code.binary);
        std::fs::create_dir_all(&d).unwrap();
        let mut z = zip::ZipWriter::new(std::fs::File::create(d.join("bootstrap.zip")).unwrap());
        z.start_file("bootstrap", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"#!/bin/sh\n# prod is deployed, not served\n")
            .unwrap();
        z.finish().unwrap();
    }
}

/// `deploy --stage prod --yes` through the engine's session, as a person at a terminal
/// does it: in prod `--yes` does not cover a change that broadens IAM permissions, so
/// each such stack asks, and gets "y" here.
fn deploy_prod(endpoint: &str, work: &Path) -> BTreeSet<String> {
    let stacks = infra::synth_stage(Stage::Prod).unwrap();
    let zips = work.join("prod-lambda");
    write_zips(&zips, &stacks);
    let prompter = Arc::new(ScriptedPrompter::new(true, &["y"; 12]));
    let session = run(async {
        Session::new(
            Clients::for_endpoint(endpoint).await,
            Ui::capture(prompter.clone()),
            Stage::Prod.info(),
        )
        .with_app(&infra::APP)
    });
    run(session.bootstrap()).expect("bootstrap prod");
    let options = DeployOptions {
        safety: Safety {
            yes: true,
            allow_replace: false,
        },
        hotswap: false,
        lambda_dir: Some(zips),
        repo: dev_support::repo(),
        outputs_file: work.join("prod-outputs.json"),
    };
    let result = run(session.deploy(&stacks, &options))
        .unwrap_or_else(|e| panic!("deploy prod: {e:#}\n{}", session.ui.transcript()));
    let DeployResult::Deployed(outcomes) = result else {
        panic!("prod: expected a change-set deploy")
    };
    assert_eq!(outcomes.len(), 6, "{outcomes:?}");
    assert!(
        outcomes.iter().all(|(_, o)| *o == Outcome::Created),
        "{outcomes:?}"
    );
    // Only the IAM questions were asked (a first create replaces nothing).
    let asked = prompter.asked.lock().unwrap().clone();
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|q| q.contains("IAM")),
        "{asked:#?}\n{}",
        session.ui.transcript()
    );
    stacks.into_iter().map(|s| s.stack_name).collect()
}

/// Every stack's status in the emulator, by name.
fn stack_statuses(endpoint: &str) -> Vec<(String, String)> {
    run(async {
        let clients = Clients::for_endpoint(endpoint).await;
        let stacks = clients.cfn.describe_stacks().send().await.unwrap();
        stacks
            .stacks()
            .iter()
            .map(|s| {
                (
                    s.stack_name().unwrap_or_default().to_string(),
                    s.stack_status()
                        .map(|x| x.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect()
    })
}

/// A device whose app was uninstalled: the stand-in Expo answers DeviceNotRegistered.
const GONE_DEVICE: &str = "ExponentPushToken[uninstalled]";

/// A stand-in for Expo's push service on 127.0.0.1: records every message and answers
/// one ticket per message, as Expo does: "ok", or DeviceNotRegistered for GONE_DEVICE.
struct StandInExpo {
    url: String,
    received: Arc<Mutex<Vec<Value>>>,
}

fn start_stand_in_expo() -> StandInExpo {
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!(
        "http://{}/--/api/v2/push/send",
        listener.local_addr().unwrap()
    );
    let store = received.clone();
    std::thread::spawn(move || {
        run(async move {
            let push = move |axum::Json(messages): axum::Json<Vec<Value>>| {
                let store = store.clone();
                async move {
                    let tickets: Vec<Value> = messages
                        .iter()
                        .enumerate()
                        .map(|(i, m)| match m["to"] == GONE_DEVICE {
                            true => json!({
                                "status": "error",
                                "message": "not a registered push notification recipient",
                                "details": {"error": "DeviceNotRegistered"}
                            }),
                            false => json!({"status": "ok", "id": format!("ticket-{i}")}),
                        })
                        .collect();
                    store.lock().unwrap().extend(messages);
                    axum::Json(json!({ "data": tickets }))
                }
            };
            let router =
                axum::Router::new().route("/--/api/v2/push/send", axum::routing::post(push));
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        })
    });
    StandInExpo { url, received }
}

fn poll<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn every_route_through_dev_with_both_stages_deployed_unmodified() {
    let work = tempfile::tempdir().unwrap();
    let mail_dir = work.path().join("mail");
    // The emulator logs each signed request; dev checks the functions' calls from it.
    let request_log = work.path().join("requests.jsonl");
    let (zone, zone_id) = prod_zone();
    let emulator = Emulator::start(
        &harness::emulator_dir(),
        &[
            (
                "BUBBLE_MOTO_HOSTED_ZONE_IDS",
                OsString::from(format!("{zone}={zone_id}")),
            ),
            ("BUBBLE_MOTO_MAIL_DIR", mail_dir.clone().into()),
            ("BUBBLE_MOTO_REQUEST_LOG", request_log.clone().into()),
        ],
    )
    .unwrap_or_else(|e| panic!("{e} (or run `scripts/test.sh`)"));
    let endpoint = emulator.endpoint();
    let created = create_hosted_zone(&endpoint, &zone);
    assert!(
        created.contains(&format!("/hostedzone/{zone_id}")),
        "{created}"
    );

    // Prod: six stacks, templates as synthesized (the committed bytes).
    let t = Instant::now();
    let prod_stacks = deploy_prod(&endpoint, work.path());
    eprintln!("prod deployed in {:.1} s", t.elapsed().as_secs_f64());

    // Dev: `infra dev` deploys its five stacks and serves them.
    let expo = start_stand_in_expo();
    let port = harness::free_port();
    let mut env: Vec<(&str, String)> = emulator::aws_env(&endpoint);
    env.push((
        "TOOLKIT_DEV_STAND_INS",
        format!("EXPO_PUSH_URL={}", expo.url),
    ));
    // The processor's schedule is rate(5 minutes): run it every 3 s here.
    env.push(("TOOLKIT_DEV_SCHEDULE_EVERY", "3".into()));
    env.push((
        "BUBBLE_MOTO_REQUEST_LOG",
        request_log.to_string_lossy().into_owned(),
    ));
    let mut dev = Dev::start(port, &env);
    let took = dev.wait_ready(Duration::from_secs(900));
    eprintln!("dev ready after {:.1} s", took.as_secs_f64());
    let out = dev.output();
    assert!(
        out.contains(&format!(
            "API bubblebatch-dev-http-api: http://127.0.0.1:{port} (13 routes)"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "bubblebatch-dev-reminder-processor: EXPO_PUSH_URL goes to the stand-in {}",
            expo.url
        )),
        "{out}"
    );

    // Both stages, every stack complete, in one emulator.
    let dev_stacks: BTreeSet<String> = infra::synth_stage(Stage::Dev)
        .unwrap()
        .into_iter()
        .map(|s| s.stack_name)
        .collect();
    assert_eq!(dev_stacks.len(), 5);
    let statuses = stack_statuses(&endpoint);
    for name in prod_stacks.iter().chain(&dev_stacks) {
        let status = statuses
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_str());
        assert!(
            matches!(status, Some("CREATE_COMPLETE" | "UPDATE_COMPLETE")),
            "{name}: {status:?} in {statuses:?}"
        );
    }

    let api = Api::on_port(port);

    // Auth: bad input is a 400 in the app's envelope; sign-in through the mail sink.
    let (status, body) = api.call("POST", "/auth/login", None, Some(json!({"email": "nope"})));
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("BAD_REQUEST")),
        "{body}"
    );
    // An address our check accepts but Cognito's does not: the caller's input, a 400.
    let (status, body) = api.call(
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": "b61=^#&@i7lwcfbt.fe03.net"})),
    );
    assert_eq!(
        (status, &body["error"]["message"]),
        (400, &json!("`email` is not an address sign-in accepts")),
        "{body}"
    );
    let token = api.sign_in(&mail_dir, "ana@example.com");
    let other = api.sign_in(&mail_dir, "bo@example.com");

    // The authorizer, as API Gateway answers.
    let (status, body) = api.call("GET", "/batches", None, None);
    assert_eq!((status, body), (401, json!({"message": "Unauthorized"})));
    let mut tampered: Vec<String> = token.split('.').map(str::to_string).collect();
    tampered[2] = tampered[2].chars().rev().collect();
    let (status, _) = api.call("GET", "/batches", Some(&tampered.join(".")), None);
    assert_eq!(status, 401);
    let (status, body) = api.call("DELETE", "/batches", Some(&token), None);
    assert_eq!((status, body), (404, json!({"message": "Not Found"})));

    // Batches.
    let (status, body) = api.call("GET", "/batches", Some(&token), None);
    assert_eq!(
        (status, &body["data"]["items"]),
        (200, &json!([])),
        "{body}"
    );
    let (status, body) = api.call(
        "POST",
        "/batches",
        Some(&token),
        Some(json!({"name": "Kefir one", "type": "milk", "isPublic": true})),
    );
    assert_eq!(status, 201, "{body}");
    let batch = body["data"].clone();
    let id = batch["id"].as_str().unwrap().to_string();
    assert_eq!(
        (&batch["name"], &batch["type"]),
        (&json!("Kefir one"), &json!("milk"))
    );
    let (status, body) = api.call("GET", &format!("/batches/{id}"), Some(&token), None);
    assert_eq!((status, &body["data"]["id"]), (200, &json!(id)), "{body}");
    let (status, body) = api.call("GET", &format!("/batches/{id}"), Some(&other), None);
    assert_eq!(
        (status, &body["error"]["code"]),
        (404, &json!("NOT_FOUND")),
        "{body}"
    );
    let (status, body) = api.call("GET", "/batches", Some(&token), None);
    assert_eq!(status, 200);
    let items = body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    assert_eq!(items[0]["id"], id.as_str());

    // Events: a note, then a photo with a real upload to its presigned URL.
    let events = format!("/batches/{id}/events");
    let (status, body) = api.call(
        "POST",
        &events,
        Some(&token),
        Some(json!({"type": "feeding", "note": "fresh milk"})),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["event"]["type"], "feeding", "{body}");
    assert!(body["data"].get("upload").is_none(), "{body}");
    let photo: Vec<u8> = (0..2048u32).map(|i| (i * 7 % 251) as u8).collect();
    let (status, body) = api.call(
        "POST",
        &events,
        Some(&token),
        Some(json!({"type": "photo", "photo": {"contentType": "image/jpeg", "sizeBytes": photo.len()}})),
    );
    assert_eq!(status, 201, "{body}");
    let upload = body["data"]["upload"].clone();
    assert_eq!(upload["method"], "PUT", "{body}");
    let upload_url = upload["url"].as_str().unwrap();
    assert!(
        upload_url.starts_with(&endpoint),
        "the presigned URL points at the emulator's S3: {upload_url}"
    );
    let mut put = ureq::put(upload_url);
    for (name, value) in upload["headers"].as_object().unwrap() {
        put = put.header(name.as_str(), value.as_str().unwrap());
    }
    let response = put.send(&photo[..]).expect("PUT to the presigned URL");
    assert_eq!(response.status().as_u16(), 200);
    let (status, body) = api.call("GET", &events, Some(&token), None);
    assert_eq!(status, 200, "{body}");
    let listed = body["data"]["items"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{body}");
    let photo_url = listed
        .iter()
        .find_map(|e| e["photoUrl"].as_str())
        .unwrap_or_else(|| panic!("a photoUrl: {body}"));
    let mut got = ureq::get(photo_url).call().expect("GET the photo back");
    assert_eq!(got.body_mut().read_to_vec().unwrap(), photo);

    // Two devices (one of them uninstalled), then reminders: suggestions, one confirmed
    // as due now.
    let device = "ExponentPushToken[dev-all-routes]";
    for token_of_device in [device, GONE_DEVICE] {
        let (status, body) = api.call(
            "POST",
            "/me/devices",
            Some(&token),
            Some(json!({"token": token_of_device, "platform": "ios"})),
        );
        assert_eq!(
            (status, &body["data"]["token"]),
            (201, &json!(token_of_device)),
            "{body}"
        );
    }
    let (status, body) = api.call(
        "POST",
        "/me/devices",
        Some(&token),
        Some(json!({"token": "not-a-token", "platform": "ios"})),
    );
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("BAD_REQUEST")),
        "{body}"
    );
    let (status, body) = api.call(
        "GET",
        &format!("/batches/{id}/reminders/suggestions"),
        Some(&token),
        None,
    );
    assert_eq!(
        (status, &body["data"]["batchId"]),
        (200, &json!(id)),
        "{body}"
    );
    assert!(body["data"]["items"].is_array(), "{body}");
    // "Now" as the function sees it: the batch's creation time.
    let due = batch["createdAt"].as_str().unwrap();
    let (status, body) = api.call(
        "POST",
        &format!("/batches/{id}/reminders/confirm"),
        Some(&token),
        Some(json!({"kind": "strain", "dueAt": due})),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (&body["data"]["status"], &body["data"]["batchName"]),
        (&json!("pending"), &json!("Kefir one")),
        "{body}"
    );
    let reminder = body["data"]["id"].as_str().unwrap().to_string();

    // The processor runs on its schedule, pushes to the stand-in Expo, marks it sent, and
    // forgets the device Expo says is gone: a second reminder reaches only the other.
    let wait_sent = |reminder: &str| {
        let sent = poll("the reminder sent", Duration::from_secs(90), || {
            let (status, body) = api.call("GET", "/me/reminders", Some(&token), None);
            assert_eq!(status, 200, "{body}");
            let items = body["data"]["items"].as_array().unwrap().clone();
            items
                .into_iter()
                .find(|r| r["id"] == reminder && r["status"] == "sent")
        });
        assert!(sent["sentAt"].is_string(), "{sent}");
    };
    let pushed_to = |to: &str| -> Vec<Value> {
        let pushed = expo.received.lock().unwrap();
        pushed.iter().filter(|m| m["to"] == to).cloned().collect()
    };
    wait_sent(&reminder);
    let to_device = pushed_to(device);
    assert_eq!(to_device.len(), 1, "{to_device:?}\n{}", dev.output());
    assert!(
        to_device[0].to_string().contains("Kefir one"),
        "{to_device:?}"
    );
    assert_eq!(pushed_to(GONE_DEVICE).len(), 1);
    dev.wait_for(
        "schedule bubblebatch-dev-reminders: bubblebatch-dev-reminder-processor answered",
        Duration::from_secs(10),
    );
    let (status, body) = api.call(
        "POST",
        &format!("/batches/{id}/reminders/confirm"),
        Some(&token),
        Some(json!({"kind": "feed", "dueAt": due})),
    );
    assert_eq!(status, 201, "{body}");
    wait_sent(body["data"]["id"].as_str().unwrap());
    assert_eq!(pushed_to(device).len(), 2);
    assert_eq!(
        pushed_to(GONE_DEVICE).len(),
        1,
        "the gone device was removed"
    );

    // The export: CSV, both events of the batch.
    let answer = api.send("GET", "/export.csv", Some(&token), None);
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.content_type, "text/csv; charset=utf-8");
    assert!(answer.text.contains(&id), "{}", answer.text);
    assert!(answer.text.contains("fresh milk"), "{}", answer.text);
    let answer = api.send("GET", "/export.csv", Some(&other), None);
    assert_eq!(answer.status, 200);
    assert!(!answer.text.contains(&id), "{}", answer.text);

    // The public page: no token, the batch by its id; an unknown id is a 404.
    let (status, body) = api.call("GET", &format!("/public/b/{id}"), None, None);
    assert_eq!(
        (status, &body["data"]["name"]),
        (200, &json!("Kefir one")),
        "{body}"
    );
    let (status, body) = api.call("GET", "/public/b/01J00000000000000000000000", None, None);
    assert_eq!(
        (status, &body["error"]["code"]),
        (404, &json!("NOT_FOUND")),
        "{body}"
    );

    // Reload: saving a function's source rebuilds its binary while dev runs, and the next
    // request is answered by a new process of it. (The file is only touched: its bytes
    // stay, so concurrent builds of this checkout see no change.)
    let source = dev_support::repo().join("app/src/bin/public.rs");
    let mut seconds = Vec::new();
    let mut pids = BTreeSet::new();
    for _ in 0..3 {
        let before = dev.output().matches("dev: reload: rebuilt").count();
        let saved = Instant::now();
        std::fs::File::options()
            .write(true)
            .open(&source)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()))
            .unwrap();
        let line = poll("the reload", Duration::from_secs(600), || {
            let out = dev.output();
            (out.matches("dev: reload: rebuilt").count() > before).then(|| {
                out.lines()
                    .filter(|l| l.starts_with("dev: reload: rebuilt"))
                    .nth(before)
                    .unwrap()
                    .to_string()
            })
        });
        assert!(
            line.starts_with("dev: reload: rebuilt public in "),
            "{line}"
        );
        let pid = line
            .split("bubblebatch-dev-public (pid ")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap_or_else(|| panic!("the public function restarted: {line}"));
        assert!(
            pids.insert(pid.to_string()),
            "a new process each time: {line}"
        );
        let (status, body) = api.call("GET", &format!("/public/b/{id}"), None, None);
        assert_eq!(
            (status, &body["data"]["name"]),
            (200, &json!("Kefir one")),
            "{body}"
        );
        seconds.push(saved.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    eprintln!(
        "BENCH reload, save to new code served: median {:.1} s of {seconds:?}",
        seconds[1]
    );
    assert!(
        dev.output().contains("dev: reload: watching app, contract"),
        "{}",
        dev.output()
    );

    dev.stop();

    permissions_were_proven(&dev.output());
}

/// Grants no route of this test exercises, each with why. The test fails when one of
/// them is exercised after all (the list is stale) or another grant is not.
const NOT_EXERCISED: &[(&str, &str, &str)] = &[];

const TABLE_BEGIN: &str =
    "<!-- permissions table: generated by infra/tests/dev_all_routes.rs -->\n";
const TABLE_END: &str = "<!-- end of permissions table -->\n";

/// Every AWS call the functions made while every route ran was allowed by their deployed
/// roles (dev checked each one from the emulator's request log; see
/// toolkit::dev::permissions), and every granted action was exercised or has a reason.
/// The README's per-function permission table is this run's report;
/// `BB_UPDATE_README=1` rewrites it.
fn permissions_were_proven(output: &str) {
    assert!(
        output.contains("permissions: each function's AWS calls are checked"),
        "{output}"
    );
    assert!(!output.contains("DENIED"), "{output}");
    let path = dev_support::repo().join(".local/dev/dev/permissions.json");
    let mut report = toolkit::dev::permissions::read_report(&path).unwrap();
    assert!(report.denied().is_empty(), "{:#?}", report.denied());
    assert_eq!(report.functions.len(), 8, "{:?}", report.functions.keys());
    for (function, action, reason) in NOT_EXERCISED {
        let grants = &mut report
            .functions
            .get_mut(*function)
            .unwrap_or_else(|| panic!("no function {function}"))
            .grants;
        let mut found = false;
        for grant in grants.iter_mut().filter(|g| g.action == *action) {
            assert!(
                grant.exercised_by.is_empty(),
                "{function} {action} was exercised ({:?}): take it off NOT_EXERCISED",
                grant.exercised_by
            );
            grant.reason = Some(reason.to_string());
            found = true;
        }
        assert!(found, "{function} has no grant of {action}");
    }
    let unexercised: Vec<String> = report
        .unexercised()
        .iter()
        .map(|(f, g)| format!("{f} {} on {}", g.action, g.resource))
        .collect();
    assert!(
        unexercised.is_empty(),
        "granted, never exercised, no reason given: {unexercised:#?}"
    );

    let readme_path = dev_support::repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme.find(TABLE_BEGIN).expect("README has the marker") + TABLE_BEGIN.len();
    let end = readme.find(TABLE_END).expect("README has the end marker");
    // The user pool's ID is new in every run; the table names it by its parameter.
    let pool_id = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("authUserPoolId = "))
        .expect("dev prints the pool ID");
    let table = report.grants_table().replace(pool_id, "${UserPoolId}");
    if std::env::var_os("BB_UPDATE_README").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    // Which route's call exercised a grant first can vary between runs; the grants and
    // whether each was exercised (or why not) cannot.
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.split(" | ").collect();
                let by = if cells[3].starts_with('`') {
                    "exercised"
                } else {
                    cells[3]
                };
                format!("{} | {by}", cells[..3].join(" | "))
            })
            .collect()
    };
    assert_eq!(
        rows(&readme[start..end]),
        rows(&table),
        "README's permission table is not this run's; BB_UPDATE_README=1 rewrites it:\n{table}"
    );
}
