//! Batches, routing and validation against moto.
mod common;

use app::contract::Function;
use common::*;
use serde_json::json;

#[tokio::test]
async fn create_list_newest_first_paginate_and_get() {
    let t = env().await;
    let u = user();
    let mut ids = Vec::new();
    for name in ["one", "two", "three"] {
        ids.push(new_batch(&t.app, &u, name, false).await);
    }
    let page1 = get(&t.app, &u, "/batches?limit=2").await;
    assert_eq!(page1.status, 200);
    let names: Vec<_> = page1.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["three", "two"]);
    let cursor = page1.data()["nextCursor"].as_str().unwrap().to_string();
    let page2 = get(&t.app, &u, &format!("/batches?limit=2&cursor={cursor}")).await;
    assert_eq!(page2.data()["items"][0]["name"], "one");
    assert_eq!(page2.data()["items"].as_array().unwrap().len(), 1);
    assert!(page2.data()["nextCursor"].is_null());

    let one = get(&t.app, &u, &format!("/batches/{}", ids[0])).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.data()["name"], "one");
    assert_eq!(one.data()["type"], "milk");
    assert_eq!(one.data()["notes"], "secret notes");
}

#[tokio::test]
async fn bad_input_is_400_with_a_useful_message() {
    let t = env().await;
    let u = user();
    let cases = [
        (json!({"type": "milk"}), "name"),
        (json!({"name": " ", "type": "milk"}), "name"),
        (json!({"name": "x".repeat(101), "type": "milk"}), "100"),
        (json!({"name": "a", "type": "kombucha"}), "milk, water"),
        (json!({"name": "a", "type": "milk", "extra": 1}), "extra"),
        (
            json!({"name": "a", "type": "milk", "isPublic": "yes"}),
            "isPublic",
        ),
        (
            json!({"name": "a", "type": "milk", "startedAt": "2999-01-01T00:00:00Z"}),
            "startedAt",
        ),
        (
            json!({"name": "a", "type": "milk", "startedAt": "monday"}),
            "startedAt",
        ),
        (json!(["not", "an", "object"]), "invalid JSON"),
    ];
    for (body, needle) in cases {
        let r = post(&t.app, &u, "/batches", body.clone()).await;
        assert_eq!(r.status, 400, "{body} -> {}", r.json);
        assert_eq!(r.error_code(), "BAD_REQUEST");
        let msg = r.json["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains(needle),
            "{body}: message {msg:?} lacks {needle:?}"
        );
    }
    let mut raw = request("POST", "/batches").with_caller(&u);
    raw.body = b"{not json".to_vec();
    assert_eq!(call(&t.app, raw).await.status, 400);
    assert_eq!(
        call(&t.app, request("POST", "/batches").with_caller(&u))
            .await
            .status,
        400
    );

    for q in [
        "limit=0",
        "limit=101",
        "limit=x",
        "cursor=nope",
        "limit=1&limit=2",
    ] {
        let r = get(&t.app, &u, &format!("/batches?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
    }
    assert_eq!(get(&t.app, &u, "/batches/not-an-id").await.status, 400);
    let missing = app::model::new_id();
    let r = get(&t.app, &u, &format!("/batches/{missing}")).await;
    assert_eq!((r.status, r.error_code()), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn unknown_route_404_wrong_method_405_missing_caller_401() {
    let t = env().await;
    let r = call(&t.app, request("GET", "/nothing/here").with_caller("u")).await;
    assert_eq!((r.status, r.error_code()), (404, "NOT_FOUND"));
    let r = call(&t.app, request("DELETE", "/batches").with_caller("u")).await;
    assert_eq!((r.status, r.error_code()), (405, "METHOD_NOT_ALLOWED"));
    assert_eq!(r.raw.header("allow"), Some("POST, GET"));
    let r = call(&t.app, request("GET", "/batches")).await;
    assert_eq!((r.status, r.error_code()), (401, "UNAUTHORIZED"));
    // A Lambda answers only its own routes.
    let r = call_function(
        &t.app,
        Function::Batches,
        request("GET", "/me/reminders").with_caller("u"),
    )
    .await;
    assert_eq!((r.status, r.error_code()), (404, "NOT_FOUND"));
}

/// Request parsing, adapters and the router must never answer 500 for client input.
#[tokio::test]
async fn garbage_never_yields_500() {
    let t = env().await;
    let u = user();
    let id = new_batch(&t.app, &u, "b", false).await;
    let paths = [
        "/batches".to_string(),
        format!("/batches/{id}"),
        format!("/batches/{id}/events"),
        format!("/batches/{id}/reminders/suggestions"),
        format!("/batches/{id}/reminders/confirm"),
        "/me/reminders".into(),
        "/me/devices".into(),
        "/export.csv".into(),
        format!("/public/b/{id}"),
        "/auth/login".into(),
        "/auth/verify".into(),
    ];
    let bodies: [&[u8]; 6] = [b"", b"null", b"{}", b"[]", b"{\"type\":null}", b"\xff\xfe"];
    for path in &paths {
        for method in ["GET", "POST", "PUT"] {
            for body in bodies {
                let mut req = request(method, &format!("{path}?limit=abc")).with_caller(&u);
                req.body = body.to_vec();
                let r = call(&t.app, req).await;
                assert!(
                    r.status < 500,
                    "{method} {path} {body:?} -> {} {}",
                    r.status,
                    r.json
                );
            }
        }
    }
}
