//! Events and photo presigning against moto.
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn events_of_every_type_are_stored_and_listed_newest_first() {
    let t = env().await;
    let u = user();
    let b = new_batch(&t.app, &u, "milk", false).await;
    let path = format!("/batches/{b}/events");
    let bodies = [
        json!({"type": "feeding", "occurredAt": "2025-01-01T08:00:00+01:00"}),
        json!({"type": "straining"}),
        json!({"type": "bottling"}),
        json!({"type": "tasting", "rating": 5, "note": "tangy"}),
        json!({"type": "note", "note": "smells great"}),
    ];
    for body in &bodies {
        let r = post(&t.app, &u, &path, body.clone()).await;
        assert_eq!(r.status, 201, "{body} -> {}", r.json);
        assert_eq!(r.data()["event"]["type"], body["type"]);
        assert_eq!(r.data()["event"]["batchId"], b.as_str());
    }
    let r = get(&t.app, &u, &path).await;
    let items = r.data()["items"].as_array().unwrap();
    let types: Vec<_> = items.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["note", "tasting", "bottling", "straining", "feeding"]
    );
    assert_eq!(items[1]["rating"], 5);
    assert_eq!(items[4]["occurredAt"], "2025-01-01T07:00:00Z");

    let r = get(&t.app, &u, &format!("{path}?limit=2")).await;
    let cursor = r.data()["nextCursor"].as_str().unwrap().to_string();
    let r = get(&t.app, &u, &format!("{path}?limit=2&cursor={cursor}")).await;
    assert_eq!(r.data()["items"][0]["type"], "bottling");
}

#[tokio::test]
async fn event_validation() {
    let t = env().await;
    let u = user();
    let b = new_batch(&t.app, &u, "milk", false).await;
    let path = format!("/batches/{b}/events");
    let cases = [
        json!({"type": "dancing"}),
        json!({"type": "tasting", "rating": 6}),
        json!({"type": "tasting", "rating": 0}),
        json!({"type": "feeding", "rating": 3}),
        json!({"type": "note"}),
        json!({"type": "note", "note": "x".repeat(1001)}),
        json!({"type": "photo"}),
        json!({"type": "photo", "photo": {"contentType": "image/gif", "sizeBytes": 10}}),
        json!({"type": "photo", "photo": {"contentType": "image/png", "sizeBytes": 10_485_761}}),
        json!({"type": "photo", "photo": {"contentType": "image/png", "sizeBytes": 0}}),
        json!({"type": "feeding", "photo": {"contentType": "image/png", "sizeBytes": 10}}),
        json!({"type": "feeding", "occurredAt": "2999-01-01T00:00:00Z"}),
    ];
    for body in cases {
        let r = post(&t.app, &u, &path, body.clone()).await;
        assert_eq!(r.status, 400, "{body} -> {}", r.json);
    }
    let missing = app::model::new_id();
    let r = post(
        &t.app,
        &u,
        &format!("/batches/{missing}/events"),
        json!({"type": "feeding"}),
    )
    .await;
    assert_eq!(r.status, 404);
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    app::http::extract::QueryParams::parse(q)
        .single(name)
        .unwrap()
        .map(str::to_string)
}

#[tokio::test]
async fn photo_event_presigns_a_constrained_upload_and_serves_a_download() {
    let t = env().await;
    let u = user();
    let b = new_batch(&t.app, &u, "milk", false).await;
    let bytes = b"\x89PNG fake image bytes".to_vec();
    let r = post(
        &t.app,
        &u,
        &format!("/batches/{b}/events"),
        json!({"type": "photo", "photo": {"contentType": "image/png", "sizeBytes": bytes.len()}}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let upload = &r.data()["upload"];
    let url = upload["url"].as_str().unwrap();
    let event_id = r.data()["event"]["id"].as_str().unwrap();
    // Key under the caller's prefix, in the photos bucket.
    let expected_path = format!("/{}/users/{u}/batches/{b}/{event_id}.png", t.bucket);
    assert!(url.contains(&expected_path), "{url}");
    // Our code's promises (moto does not check signatures, so assert them here):
    assert_eq!(query_param(url, "X-Amz-Expires").as_deref(), Some("300"));
    let signed = query_param(url, "X-Amz-SignedHeaders").unwrap();
    assert!(signed.split(';').any(|h| h == "content-type"), "{signed}");
    assert!(signed.split(';').any(|h| h == "content-length"), "{signed}");
    assert_eq!(upload["method"], "PUT");
    assert_eq!(upload["headers"]["content-type"], "image/png");
    assert_eq!(upload["headers"]["content-length"], bytes.len().to_string());

    let http = reqwest::Client::new();
    let put = http
        .put(url)
        .header("content-type", "image/png")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());

    let r = get(&t.app, &u, &format!("/batches/{b}/events")).await;
    let photo_url = r.data()["items"][0]["photoUrl"].as_str().unwrap();
    assert_eq!(
        query_param(photo_url, "X-Amz-Expires").as_deref(),
        Some("900")
    );
    assert_eq!(r.data()["items"][0]["photo"]["contentType"], "image/png");
    assert!(
        r.data()["items"][0]["photo"].get("key").is_none(),
        "keys stay internal"
    );
    let got = http
        .get(photo_url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.to_vec(), bytes);
}
