//! The reminder processor end to end: moto for DynamoDB, a stand-in Expo push server on
//! 127.0.0.1 that records what it receives.
mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use app::model::{Device, Reminder, ReminderKind, ReminderStatus};
use app::processor::{self, expo::ExpoClient};
use app::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use common::*;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Default)]
struct FakeExpo {
    received: Arc<Mutex<Vec<Value>>>,
    /// When set, every request fails with HTTP 503.
    down: Arc<Mutex<bool>>,
}

/// Answers like Expo: one ticket per message; tokens containing "gone" are reported as
/// DeviceNotRegistered.
async fn push(
    State(fake): State<FakeExpo>,
    Json(messages): Json<Vec<Value>>,
) -> (StatusCode, Json<Value>) {
    if *fake.down.lock().unwrap() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"errors": [{"code": "DOWN"}]})),
        );
    }
    // Slow enough that two overlapping runs really overlap.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let tickets: Vec<Value> = messages
        .iter()
        .map(|m| {
            if m["to"].as_str().unwrap().contains("gone") {
                json!({"status": "error", "message": "not registered", "details": {"error": "DeviceNotRegistered"}})
            } else {
                json!({"status": "ok", "id": app::model::new_id()})
            }
        })
        .collect();
    fake.received.lock().unwrap().extend(messages);
    (StatusCode::OK, Json(json!({ "data": tickets })))
}

async fn start_fake_expo() -> (FakeExpo, String) {
    let fake = FakeExpo::default();
    let router = axum::Router::new()
        .route("/--/api/v2/push/send", axum::routing::post(push))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (fake, format!("http://{addr}/--/api/v2/push/send"))
}

async fn reminder(store: &Store, sub: &str, due: OffsetDateTime, name: &str) -> Reminder {
    let r = Reminder {
        id: app::model::new_id(),
        batch_id: app::model::new_id(),
        batch_name: name.into(),
        kind: ReminderKind::Strain,
        due_at: app::validate::format_ts(due),
        status: ReminderStatus::Pending,
        created_at: app::validate::format_ts(due),
        sent_at: None,
        owner_sub: sub.into(),
    };
    store.put_reminder(sub, &r).await.unwrap();
    r
}

async fn device(store: &Store, sub: &str, token: &str) {
    let d = Device {
        token: token.into(),
        platform: "ios".into(),
        updated_at: "2025-01-01T00:00:00Z".into(),
    };
    store.put_device(sub, &d).await.unwrap();
}

fn count_to(received: &[Value], token: &str, reminder: &str) -> usize {
    received
        .iter()
        .filter(|m| m["to"] == token && m["data"]["reminderId"] == reminder)
        .count()
}

/// moto runs concurrent requests on threads without locking, so its conditional writes
/// are not atomic under contention (measured: two runs both "won" a claim under load).
/// DynamoDB guarantees per-item atomic conditional writes; this proxy restores that by
/// letting moto handle one request at a time, while our two runs stay fully concurrent.
async fn serializing_proxy(moto: String) -> String {
    let lock = Arc::new(tokio::sync::Mutex::new(reqwest::Client::new()));
    let router = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let (lock, moto) = (lock.clone(), moto.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let client = lock.lock().await;
            let mut fwd = client.request(parts.method, format!("{moto}{}", parts.uri));
            for (k, v) in &parts.headers {
                if k != "host" {
                    fwd = fwd.header(k, v);
                }
            }
            let resp = fwd.body(body).send().await.unwrap();
            let mut out = axum::http::Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                out = out.header(k, v);
            }
            out.body(axum::body::Body::from(resp.bytes().await.unwrap()))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn overlapping_runs_send_each_due_reminder_once_and_drop_dead_tokens() {
    let t = env().await;
    let (fake, url) = start_fake_expo().await;
    let expo = ExpoClient::new(url);
    let proxy = serializing_proxy(t.moto.endpoint()).await;
    let clients = app::config::emulator_clients(&proxy).await;
    let store = &Store::new(clients.ddb, &t.table);
    let now = OffsetDateTime::now_utc();
    let (a, b) = (user(), user());
    device(store, &a, "ExponentPushToken[a-phone]").await;
    device(store, &a, "ExponentPushToken[a-gone]").await;
    device(store, &b, "ExponentPushToken[b-phone]").await;
    let mut due = Vec::new();
    for i in 0..6 {
        due.push(reminder(store, &a, now - Duration::minutes(i), &format!("A{i}")).await);
    }
    let due_b = reminder(store, &b, now, "B").await;
    let later = reminder(store, &a, now + Duration::hours(2), "later").await;

    // Two runs at the same time, as when a schedule fires while the last run is slow.
    let (r1, r2) = tokio::join!(
        processor::run(store, &expo, now),
        processor::run(store, &expo, now)
    );
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    assert_eq!(r1.sent + r2.sent, 7, "{r1:?} {r2:?}");
    // Whatever both runs saw in the index, each reminder was won exactly once.
    assert_eq!(
        r1.skipped + r2.skipped,
        r1.due + r2.due - 7,
        "{r1:?} {r2:?}"
    );

    let received = fake.received.lock().unwrap().clone();
    for r in &due {
        assert_eq!(count_to(&received, "ExponentPushToken[a-phone]", &r.id), 1);
        assert_eq!(count_to(&received, "ExponentPushToken[b-phone]", &r.id), 0);
    }
    assert_eq!(
        count_to(&received, "ExponentPushToken[b-phone]", &due_b.id),
        1
    );
    assert_eq!(
        count_to(&received, "ExponentPushToken[a-phone]", &later.id),
        0
    );
    assert!(received[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Time to strain"));

    let tokens: Vec<_> = store
        .list_devices(&a)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.token)
        .collect();
    assert_eq!(
        tokens,
        ["ExponentPushToken[a-phone]"],
        "invalid token dropped"
    );

    let mine = store.list_reminders(&a, 50, None).await.unwrap().items;
    let sent = mine
        .iter()
        .filter(|r| r.status == ReminderStatus::Sent)
        .count();
    assert_eq!(sent, 6);
    assert!(mine
        .iter()
        .all(|r| (r.status == ReminderStatus::Sent) == r.sent_at.is_some()));

    // Nothing due remains: a later run sends nothing.
    let before = fake.received.lock().unwrap().len();
    let r3 = processor::run(store, &expo, now).await.unwrap();
    assert_eq!((r3.due, r3.sent), (0, 0));
    assert_eq!(fake.received.lock().unwrap().len(), before);
}

#[tokio::test]
async fn unreachable_expo_releases_the_reminder_for_the_next_run() {
    let t = env().await;
    let (fake, url) = start_fake_expo().await;
    let expo = ExpoClient::new(url);
    let store = &t.app.store;
    let now = OffsetDateTime::now_utc();
    let a = user();
    device(store, &a, "ExponentPushToken[a-phone]").await;
    let r = reminder(store, &a, now, "A").await;

    *fake.down.lock().unwrap() = true;
    let report = processor::run(store, &expo, now).await.unwrap();
    assert_eq!((report.due, report.sent, report.failed), (1, 0, 1));
    let pending = store.list_reminders(&a, 10, None).await.unwrap().items;
    assert_eq!(pending[0].status, ReminderStatus::Pending);

    *fake.down.lock().unwrap() = false;
    let report = processor::run(store, &expo, now).await.unwrap();
    assert_eq!((report.due, report.sent), (1, 1));
    let received = fake.received.lock().unwrap().clone();
    assert_eq!(count_to(&received, "ExponentPushToken[a-phone]", &r.id), 1);
}

#[tokio::test]
async fn a_reminder_can_be_claimed_only_once() {
    let t = env().await;
    let store = &t.app.store;
    let now = OffsetDateTime::now_utc();
    let r = reminder(store, &user(), now, "A").await;
    let ts = app::validate::format_ts(now);
    let first = store.claim_reminder(&r, "run-1", &ts, 0).await.unwrap();
    let second = store.claim_reminder(&r, "run-2", &ts, 0).await.unwrap();
    assert_eq!(first, app::store::Claim::Won);
    assert_eq!(second, app::store::Claim::Lost);
    assert!(
        store.due_reminders(&ts).await.unwrap().is_empty(),
        "claimed leaves the index"
    );
    // Only the owner of the claim can release it.
    store.release_reminder(&r, "run-2").await.unwrap_err();
    store.release_reminder(&r, "run-1").await.unwrap();
    assert_eq!(store.due_reminders(&ts).await.unwrap().len(), 1);
}
