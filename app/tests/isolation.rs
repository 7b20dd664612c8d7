//! Cross-user isolation on every route, and the public page. User A owns data; user B
//! tries every route with A's ids and must see nothing of it.
mod common;

use app::contract::{RouteId, ROUTES};
use common::*;
use serde_json::json;

#[tokio::test]
async fn another_user_reaches_nothing_on_any_route() {
    let t = env().await;
    let (a, b) = (user(), user());
    let batch = new_batch(&t.app, &a, "A's private batch", false).await;
    let r = post(
        &t.app,
        &a,
        &format!("/batches/{batch}/events"),
        json!({"type": "note", "note": "A only"}),
    )
    .await;
    let event = r.data()["event"]["id"].as_str().unwrap().to_string();
    let due = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let due = app::validate::format_ts(due);
    let r = post(
        &t.app,
        &a,
        &format!("/batches/{batch}/reminders/confirm"),
        json!({"kind": "strain", "dueAt": due}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let token = "ExponentPushToken[aaaa]";
    post(
        &t.app,
        &a,
        "/me/devices",
        json!({"token": token, "platform": "ios"}),
    )
    .await;

    // Every route, exercised by B against A's data. The match keeps this test honest:
    // a new route fails to compile here until its isolation check is added.
    for route in ROUTES {
        match route.id {
            RouteId::Login | RouteId::Verify => {} // no user data; covered in auth tests
            RouteId::CreateBatch => {
                new_batch(&t.app, &b, "B's", false).await;
                let r = get(&t.app, &a, "/batches").await;
                assert_eq!(
                    r.data()["items"].as_array().unwrap().len(),
                    1,
                    "B's batch visible to A"
                );
            }
            RouteId::ListBatches => {
                let r = get(&t.app, &b, "/batches").await;
                assert!(!r.text().contains(&batch));
                let r = get(&t.app, &b, &format!("/batches?cursor={batch}")).await;
                assert!(!r.text().contains("A's private"));
            }
            RouteId::GetBatch => {
                let r = get(&t.app, &b, &format!("/batches/{batch}")).await;
                assert_eq!(r.status, 404);
            }
            RouteId::CreateEvent => {
                let r = post(
                    &t.app,
                    &b,
                    &format!("/batches/{batch}/events"),
                    json!({"type": "feeding"}),
                )
                .await;
                assert_eq!(r.status, 404);
            }
            RouteId::ListEvents => {
                let r = get(&t.app, &b, &format!("/batches/{batch}/events")).await;
                assert_eq!(r.status, 404);
                assert!(!r.text().contains(&event));
            }
            RouteId::ReminderSuggestions => {
                let r = get(
                    &t.app,
                    &b,
                    &format!("/batches/{batch}/reminders/suggestions"),
                )
                .await;
                assert_eq!(r.status, 404);
            }
            RouteId::ConfirmReminder => {
                let r = post(
                    &t.app,
                    &b,
                    &format!("/batches/{batch}/reminders/confirm"),
                    json!({"kind": "strain", "dueAt": due}),
                )
                .await;
                assert_eq!(r.status, 404);
            }
            RouteId::MyReminders => {
                let r = get(&t.app, &b, "/me/reminders").await;
                assert_eq!(r.data()["items"].as_array().unwrap().len(), 0);
            }
            RouteId::RegisterDevice => {
                // B registering A's token creates B's own device record; A's is untouched.
                post(
                    &t.app,
                    &b,
                    "/me/devices",
                    json!({"token": token, "platform": "android"}),
                )
                .await;
                let mine = t.app.store.list_devices(&a).await.unwrap();
                assert_eq!(mine.len(), 1);
                assert_eq!(mine[0].platform, "ios");
            }
            RouteId::ExportCsv => {
                let r = get(&t.app, &b, "/export.csv").await;
                assert!(!r.text().contains(&batch) && !r.text().contains("A only"));
                // A cursor pointing into A's keys still reads B's partition only.
                let r = get(&t.app, &b, &format!("/export.csv?cursor=b.{batch}")).await;
                assert!(!r.text().contains(&batch));
            }
            RouteId::PublicBatch => {
                let r = call(&t.app, request("GET", &format!("/public/b/{batch}"))).await;
                assert_eq!(r.status, 404, "private batch must not be public");
            }
        }
    }
    // And A still sees all of their own data.
    assert_eq!(
        get(&t.app, &a, &format!("/batches/{batch}/events"))
            .await
            .data()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get(&t.app, &a, "/me/reminders").await.data()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn public_page_shows_public_batches_without_private_fields() {
    let t = env().await;
    let a = user();
    let public = new_batch(&t.app, &a, "Shared kefir", true).await;
    let private = new_batch(&t.app, &a, "Hidden kefir", false).await;
    post(
        &t.app,
        &a,
        &format!("/batches/{public}/events"),
        json!({"type": "note", "note": "private thought"}),
    )
    .await;
    post(
        &t.app,
        &a,
        &format!("/batches/{public}/events"),
        json!({"type": "feeding"}),
    )
    .await;

    let r = call(&t.app, request("GET", &format!("/public/b/{public}"))).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let d = r.data();
    assert_eq!(d["name"], "Shared kefir");
    assert_eq!(d["events"].as_array().unwrap().len(), 2);
    let text = r.text();
    for secret in [
        "secret notes",
        "private thought",
        &a,
        "isPublic",
        "createdAt",
    ] {
        assert!(!text.contains(secret), "public page leaks {secret}: {text}");
    }
    let hidden = call(&t.app, request("GET", &format!("/public/b/{private}"))).await;
    let missing = call(
        &t.app,
        request("GET", &format!("/public/b/{}", app::model::new_id())),
    )
    .await;
    assert_eq!(hidden.status, 404);
    assert_eq!(
        hidden.json, missing.json,
        "private and missing must be indistinguishable"
    );
    assert_eq!(
        call(&t.app, request("GET", "/public/b/PUBLIC%23x"))
            .await
            .status,
        400
    );
}
