//! Reminder suggestions, confirmation, listing and device registration against moto.
mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use time::macros::datetime;

#[tokio::test]
async fn suggest_confirm_and_list() {
    let mut t = env().await;
    t.app.clock = Arc::new(|| datetime!(2025-06-02 09:00 UTC));
    let u = user();
    let r = post(
        &t.app,
        &u,
        "/batches",
        json!({"name": "Milk", "type": "milk", "startedAt": "2025-06-01T08:00:00Z"}),
    )
    .await;
    let b = r.data()["id"].as_str().unwrap().to_string();
    let r = post(
        &t.app,
        &u,
        &format!("/batches/{b}/events"),
        json!({"type": "straining", "occurredAt": "2025-06-02T08:30:00Z"}),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = get(&t.app, &u, &format!("/batches/{b}/reminders/suggestions")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let s = &r.data()["items"][0];
    assert_eq!(s["kind"], "strain");
    assert_eq!(s["dueAt"], "2025-06-03T08:30:00Z");

    let r = post(
        &t.app,
        &u,
        &format!("/batches/{b}/reminders/confirm"),
        json!({"kind": s["kind"], "dueAt": s["dueAt"]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.data()["status"], "pending");
    assert_eq!(r.data()["batchName"], "Milk");
    let rid = r.data()["id"].as_str().unwrap().to_string();

    let r = get(&t.app, &u, "/me/reminders").await;
    let items = r.data()["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], rid.as_str());
    assert_eq!(items[0]["dueAt"], "2025-06-03T08:30:00Z");
}

#[tokio::test]
async fn confirm_validation() {
    let mut t = env().await;
    t.app.clock = Arc::new(|| datetime!(2025-06-02 09:00 UTC));
    let u = user();
    let b = new_batch(&t.app, &u, "b", false).await;
    let path = format!("/batches/{b}/reminders/confirm");
    for body in [
        json!({"kind": "dance", "dueAt": "2025-06-03T00:00:00Z"}),
        json!({"kind": "strain", "dueAt": "2025-06-01T00:00:00Z"}),
        json!({"kind": "strain", "dueAt": "2025-08-01T00:00:00Z"}),
        json!({"kind": "strain", "dueAt": "tomorrow"}),
        json!({"kind": "strain"}),
    ] {
        let r = post(&t.app, &u, &path, body.clone()).await;
        assert_eq!(r.status, 400, "{body} -> {}", r.json);
    }
    for q in ["limit=0", "cursor=x"] {
        assert_eq!(
            get(&t.app, &u, &format!("/me/reminders?{q}")).await.status,
            400
        );
    }
}

#[tokio::test]
async fn device_registration() {
    let t = env().await;
    let u = user();
    let r = post(
        &t.app,
        &u,
        "/me/devices",
        json!({"token": "ExponentPushToken[abc123]", "platform": "ios"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    // Re-registering is idempotent.
    let r = post(
        &t.app,
        &u,
        "/me/devices",
        json!({"token": "ExponentPushToken[abc123]", "platform": "ios"}),
    )
    .await;
    assert_eq!(r.status, 201);
    let devices = t.app.store.list_devices(&u).await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].token, "ExponentPushToken[abc123]");
    for body in [
        json!({"token": "not-a-token", "platform": "ios"}),
        json!({"token": "ExponentPushToken[abc]", "platform": "windows"}),
        json!({"token": "ExponentPushToken[a#b]", "platform": "ios"}),
        json!({"platform": "ios"}),
    ] {
        assert_eq!(post(&t.app, &u, "/me/devices", body).await.status, 400);
    }
}
