//! Every Lambda binary's real `main`, run as a process against a stand-in Lambda Runtime
//! API on 127.0.0.1 (the protocol a provided.al2023 function speaks) and moto.
mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use common::*;
use serde_json::{json, Value};
use tokio::sync::mpsc;

#[derive(Clone)]
struct RuntimeApi {
    event: Arc<Mutex<Option<Value>>>,
    results: mpsc::UnboundedSender<(String, Value)>,
}

async fn next(State(rt): State<RuntimeApi>) -> axum::response::Response {
    let event = rt.event.lock().unwrap().take();
    match event {
        Some(e) => {
            let mut h = HeaderMap::new();
            h.insert("lambda-runtime-aws-request-id", "req-1".parse().unwrap());
            h.insert(
                "lambda-runtime-deadline-ms",
                "9999999999999".parse().unwrap(),
            );
            h.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:1:function:f".parse().unwrap(),
            );
            (StatusCode::OK, h, axum::Json(e)).into_response()
        }
        // One invocation per process: park the second poll until the test kills it.
        None => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::GONE.into_response()
        }
    }
}

async fn respond(
    State(rt): State<RuntimeApi>,
    Path((_id, kind)): Path<(String, String)>,
    body: String,
) -> StatusCode {
    let v = serde_json::from_str(&body).unwrap_or(Value::String(body));
    let _ = rt.results.send((kind, v));
    StatusCode::ACCEPTED
}

/// Runs `bin` for one invocation of `event`; returns ("response"|"error", payload).
async fn invoke(bin: &str, t: &TestEnv, env: &[(&str, String)], event: Value) -> (String, Value) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let rt = RuntimeApi {
        event: Arc::new(Mutex::new(Some(event))),
        results: tx,
    };
    let router = axum::Router::new()
        .route(
            "/2018-06-01/runtime/invocation/next",
            axum::routing::get(next),
        )
        .route(
            "/2018-06-01/runtime/invocation/{id}/{kind}",
            axum::routing::post(respond),
        )
        .with_state(rt);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut cmd = Command::new(bin);
    for (k, v) in t.moto.aws_env() {
        cmd.env(k, v);
    }
    cmd.env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "test")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "s")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "g")
        .env("TABLE_NAME", &t.table)
        .env("BUCKET_NAME", &t.bucket)
        .env("STAGE", "test")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let result = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("binary answered within 30 s")
        .expect("a result");
    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    result
}

fn api_event(method: &str, path: &str, sub: Option<&str>, body: Option<Value>) -> Value {
    let mut ctx = json!({
        "accountId": "1", "apiId": "a", "domainName": "x", "domainPrefix": "x", "requestId": "r",
        "routeKey": "$default", "stage": "$default", "time": "01/Jan/2025:00:00:00 +0000", "timeEpoch": 0,
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"}
    });
    if let Some(s) = sub {
        ctx["authorizer"] = json!({"jwt": {"claims": {"sub": s}, "scopes": null}});
    }
    let mut ev = json!({"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
        "headers": {"host": "x", "content-type": "application/json"}, "requestContext": ctx, "isBase64Encoded": false});
    if let Some(b) = body {
        ev["body"] = json!(b.to_string());
    }
    ev
}

fn http_body(result: &(String, Value)) -> (u64, Value) {
    assert_eq!(result.0, "response", "{:?}", result.1);
    let status = result.1["statusCode"].as_u64().unwrap();
    assert_eq!(result.1["headers"]["content-type"], "application/json");
    let body =
        serde_json::from_str(result.1["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn every_http_binary_serves_its_routes_from_api_gateway_events() {
    let t = env().await;
    let u = user();
    let batch = new_batch(&t.app, &u, "Shared", true).await;
    let bins = [
        (
            env!("CARGO_BIN_EXE_batches"),
            "GET",
            "/batches".to_string(),
            None,
            200,
        ),
        (
            env!("CARGO_BIN_EXE_events"),
            "GET",
            format!("/batches/{batch}/events"),
            None,
            200,
        ),
        (
            env!("CARGO_BIN_EXE_reminders"),
            "GET",
            "/me/reminders".to_string(),
            None,
            200,
        ),
        (
            env!("CARGO_BIN_EXE_devices"),
            "POST",
            "/me/devices".to_string(),
            Some(json!({"token": "ExponentPushToken[bin]", "platform": "ios"})),
            201,
        ),
        (
            env!("CARGO_BIN_EXE_public"),
            "GET",
            format!("/public/b/{batch}"),
            None,
            200,
        ),
        // A route of another function: the batches Lambda must not serve it.
        (
            env!("CARGO_BIN_EXE_batches"),
            "GET",
            "/me/reminders".to_string(),
            None,
            404,
        ),
    ];
    for (bin, method, path, body, expected) in bins {
        let r = invoke(bin, &t, &[], api_event(method, &path, Some(&u), body)).await;
        let (status, body) = http_body(&r);
        assert_eq!(status, expected as u64, "{bin} {method} {path}: {body}");
    }
    // export answers CSV, not JSON.
    let r = invoke(
        env!("CARGO_BIN_EXE_export"),
        &t,
        &[],
        api_event("GET", "/export.csv", Some(&u), None),
    )
    .await;
    assert_eq!(r.1["statusCode"], 200);
    assert_eq!(r.1["headers"]["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.1["isBase64Encoded"], false, "CSV is sent as text");
    assert!(r.1["body"].as_str().unwrap().contains(&batch));
    // Without authorizer claims the protected routes are closed.
    let r = invoke(
        env!("CARGO_BIN_EXE_batches"),
        &t,
        &[],
        api_event("GET", "/batches", None, None),
    )
    .await;
    assert_eq!(http_body(&r).0, 401);
}

#[tokio::test]
async fn auth_binary_needs_its_pool_settings() {
    let t = env().await;
    let r = invoke(
        env!("CARGO_BIN_EXE_auth"),
        &t,
        &[
            ("USER_POOL_ID", "us-east-1_x".into()),
            ("USER_POOL_CLIENT_ID", "c".into()),
        ],
        api_event("POST", "/auth/login", None, Some(json!({"email": "bad"}))),
    )
    .await;
    assert_eq!(http_body(&r).0, 400);
    // Missing USER_POOL_ID: the function fails at start instead of serving half-configured.
    let out = Command::new(env!("CARGO_BIN_EXE_auth"))
        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9")
        .env("TABLE_NAME", "t")
        .env("BUCKET_NAME", "b")
        .env_remove("USER_POOL_ID")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("USER_POOL_ID is not set"), "{stderr}");
}

#[tokio::test]
async fn reminder_processor_binary_runs_on_a_schedule_event() {
    let t = env().await;
    let r = invoke(
        env!("CARGO_BIN_EXE_reminder-processor"),
        &t,
        // Nothing is due, so Expo is never called; point it at a closed port anyway.
        &[("EXPO_PUSH_URL", "http://127.0.0.1:9/push".into())],
        json!({"source": "aws.scheduler", "detail": {}}),
    )
    .await;
    assert_eq!(r.0, "response", "{:?}", r.1);
    assert_eq!(r.1["due"], 0);
    assert_eq!(r.1["sent"], 0);
}
