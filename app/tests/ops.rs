//! `ops seed` and `ops cleanup` on the emulator: seeding is idempotent and refuses prod;
//! cleanup's dry run changes nothing and `--apply` removes exactly the orphaned photos.
mod common;

use std::process::{Command, Output};

use app::model::{Event, EventType, Photo};

fn ops(env: &common::TestEnv, args: &[&str], pool: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ops"));
    command
        .args(args)
        .env("AWS_ENDPOINT_URL", env.moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("TABLE_NAME", &env.table)
        .env("BUCKET_NAME", &env.bucket);
    if let Some(pool) = pool {
        command.env("USER_POOL_ID", pool);
    }
    command.output().expect("run ops")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn sub_of(env: &common::TestEnv, pool: &str, email: &str) -> String {
    let user = env
        .clients
        .cognito
        .admin_get_user()
        .user_pool_id(pool)
        .username(email)
        .send()
        .await
        .unwrap();
    let sub = user.user_attributes().iter().find(|a| a.name() == "sub");
    sub.and_then(|a| a.value()).unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn seeding_twice_leaves_the_same_data_and_prod_is_refused() {
    let env = common::env().await;
    let pool = env
        .clients
        .cognito
        .create_user_pool()
        .pool_name(common::unique("pool"))
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap().id().unwrap().to_string();

    let refused = ops(&env, &["seed", "--stage", "prod"], Some(&pool));
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing to seed prod"));

    for _ in 0..2 {
        let out = ops(&env, &["seed", "--stage", "dev"], Some(&pool));
        assert!(out.status.success(), "{out:?}");
        assert!(
            stdout(&out).contains("2 users, 4 batches, 12 events, 4 reminders, 2 devices"),
            "{}",
            stdout(&out)
        );
    }
    let sub = sub_of(&env, &pool, "seed-1@example.com").await;
    let batches = env.app.store.list_batches(&sub, 50, None).await.unwrap();
    assert_eq!(batches.items.len(), 2, "the second run added nothing");
    let public = batches.items.iter().filter(|b| b.is_public).count();
    assert_eq!(public, 1);
    let events = env
        .app
        .store
        .list_events(&sub, &batches.items[0].id, 50, None)
        .await
        .unwrap();
    assert_eq!(events.items.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn cleanup_removes_exactly_the_orphaned_photos() {
    let env = common::env().await;
    let sub = common::user();
    app::ops::seed::seed_users(&env.app.store, std::slice::from_ref(&sub))
        .await
        .unwrap();
    let batch = env
        .app
        .store
        .list_batches(&sub, 50, None)
        .await
        .unwrap()
        .items[0]
        .clone();
    let kept = app::photos::photo_key(&sub, &batch.id, "PHOTOEVENT", "jpg");
    env.app
        .store
        .put_event(
            &sub,
            &Event {
                id: "PHOTOEVENT".into(),
                batch_id: batch.id.clone(),
                event_type: EventType::Photo,
                occurred_at: "2026-01-05T09:00:00Z".into(),
                note: None,
                rating: None,
                photo: Some(Photo {
                    key: kept.clone(),
                    content_type: "image/jpeg".into(),
                    size_bytes: 3,
                }),
                created_at: "2026-01-05T09:00:00Z".into(),
                batch_name: batch.name.clone(),
                batch_type: Some(batch.batch_type),
            },
        )
        .await
        .unwrap();
    let no_event = app::photos::photo_key(&sub, &batch.id, "GONE", "jpg");
    let no_batch = app::photos::photo_key(&sub, "NOBATCH", "E1", "png");
    for key in [&kept, &no_event, &no_batch] {
        env.clients
            .s3
            .put_object()
            .bucket(&env.bucket)
            .key(key)
            .body(b"jpg".to_vec().into())
            .send()
            .await
            .unwrap();
    }
    let keys = || async {
        let listed = env
            .clients
            .s3
            .list_objects_v2()
            .bucket(&env.bucket)
            .send()
            .await
            .unwrap();
        let mut keys: Vec<String> = listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_string))
            .collect();
        keys.sort();
        keys
    };
    let before = keys().await;

    let dry = ops(&env, &["cleanup", "--stage", "dev"], None);
    assert!(dry.status.success(), "{dry:?}");
    let text = stdout(&dry);
    assert!(
        text.contains(&format!("{no_event}  (no event of its batch refers to it)")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{no_batch}  (its batch no longer exists)")),
        "{text}"
    );
    assert!(!text.contains(&format!("{kept}  (")), "{text}");
    assert!(text.contains("2 orphaned photos (dry run"), "{text}");
    assert_eq!(keys().await, before, "a dry run changes nothing");

    let applied = ops(&env, &["cleanup", "--stage", "dev", "--apply"], None);
    assert!(applied.status.success(), "{applied:?}");
    assert!(stdout(&applied).contains("removed 2 orphaned photos"));
    assert_eq!(keys().await, [kept]);
}
