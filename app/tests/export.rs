//! GET /export.csv against moto: content, RFC 4180 quoting, paging.
mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn export_contains_batches_and_events_quoted() {
    let t = env().await;
    let u = user();
    let r = post(
        &t.app,
        &u,
        "/batches",
        json!({"name": "Milk, \"the good one\"", "type": "milk", "notes": "line1\nline2"}),
    )
    .await;
    let b = r.data()["id"].as_str().unwrap().to_string();
    post(
        &t.app,
        &u,
        &format!("/batches/{b}/events"),
        json!({"type": "tasting", "rating": 4, "note": "=1+1"}),
    )
    .await;
    // A device sits between BATCH# and EVENT# keys and must not leak into the export.
    post(
        &t.app,
        &u,
        "/me/devices",
        json!({"token": "ExponentPushToken[x]", "platform": "ios"}),
    )
    .await;

    let r = get(&t.app, &u, "/export.csv").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.raw.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(r.raw.header("x-next-cursor").is_none());
    let text = r.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), app::csv_export::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(&rows[0][0], "batch");
    assert_eq!(&rows[0][2], "Milk, \"the good one\"");
    assert_eq!(&rows[0][10], "line1\nline2");
    assert_eq!(&rows[1][0], "event");
    assert_eq!(&rows[1][8], "tasting");
    assert_eq!(&rows[1][10], "'=1+1");
    assert_eq!(&rows[1][11], "4");
    assert!(text.contains("\"Milk, \"\"the good one\"\"\""), "{text}");
    assert!(!text.contains("ExponentPushToken"));
}

#[tokio::test]
async fn export_pages_concatenate_to_the_full_export() {
    let t = env().await;
    let u = user();
    for i in 0..3 {
        let b = new_batch(&t.app, &u, &format!("b{i}"), false).await;
        post(
            &t.app,
            &u,
            &format!("/batches/{b}/events"),
            json!({"type": "feeding"}),
        )
        .await;
    }
    post(
        &t.app,
        &u,
        "/me/devices",
        json!({"token": "ExponentPushToken[x]", "platform": "ios"}),
    )
    .await;
    let full = get(&t.app, &u, "/export.csv").await.text();
    assert_eq!(full.matches("\r\n").count(), 7);

    let mut joined = String::new();
    let mut target = "/export.csv?limit=2".to_string();
    let mut pages = 0;
    loop {
        let r = get(&t.app, &u, &target).await;
        assert_eq!(r.status, 200, "{}", r.json);
        joined.push_str(&r.text());
        pages += 1;
        match r.raw.header("x-next-cursor") {
            Some(c) => {
                let link = r.raw.header("link").unwrap();
                assert!(link.contains(c) && link.ends_with("rel=\"next\""), "{link}");
                target = format!("/export.csv?limit=2&cursor={c}");
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(joined, full);
    assert_eq!(
        get(&t.app, &u, "/export.csv?cursor=DEVICE%23x")
            .await
            .status,
        400
    );
    assert_eq!(get(&t.app, &u, "/export.csv?limit=10001").await.status, 400);
}
