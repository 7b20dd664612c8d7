//! The disaster-recovery procedure (docs/disaster-recovery.md) run on the emulator: the
//! real prod and dev Data stacks deployed through CloudFormation, then the `restore`
//! binary as an operator runs it. Table: items written, some deleted and one added, a
//! point-in-time restore into a new table has exactly the items of the restore time, and
//! copy-back puts the deleted ones back without touching the new one. Bucket: an
//! overwritten and a deleted photo come back as they were. Dev (no PITR, no versioning)
//! is refused with the reason.
#![cfg(feature = "restore")]
use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
use aws_sdk_dynamodb::types::AttributeValue;
use harness::Moto;
use toolkit::engine::clients::Clients;

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn restore(moto: &Moto, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_restore"))
        .args(args)
        .env_remove("AWS_PROFILE")
        .envs(moto.aws_env())
        .output()
        .expect("run restore")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn dynamodb(moto: &Moto) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(moto.endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// Deploys the stage's synthesized Data stack with a plain CreateStack.
async fn deploy_data(clients: &Clients, stage: &str) {
    let stacks = infra::APP.synth(infra::APP.stage(stage).unwrap());
    let data = stacks
        .iter()
        .find(|s| s.name == "Data")
        .expect("a Data stack");
    clients
        .cfn
        .create_stack()
        .stack_name(&data.stack_name)
        .template_body(&data.template_json)
        .send()
        .await
        .expect("CreateStack Data");
    let described = clients
        .cfn
        .describe_stacks()
        .stack_name(&data.stack_name)
        .send()
        .await
        .unwrap();
    let status = described.stacks()[0].stack_status().unwrap().as_str();
    assert_eq!(status, "CREATE_COMPLETE", "{stage} Data stack");
}

/// The current time as `--to` takes it, between two pauses so that nothing written just
/// before or after shares its second.
fn moment() -> String {
    std::thread::sleep(Duration::from_millis(1100));
    let now = DateTime::from(SystemTime::now());
    std::thread::sleep(Duration::from_millis(1100));
    now.fmt(DateTimeFormat::DateTime).unwrap()
}

fn item(pk: &str, sk: &str, name: &str) -> std::collections::HashMap<String, AttributeValue> {
    [("PK", pk), ("SK", sk), ("name", name)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), AttributeValue::S(v.to_string())))
        .collect()
}

async fn names(ddb: &aws_sdk_dynamodb::Client, table: &str) -> BTreeSet<String> {
    let scanned = ddb.scan().table_name(table).send().await.unwrap();
    scanned
        .items()
        .iter()
        .map(|i| i["name"].as_s().unwrap().clone())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_point_in_time_restore_brings_deleted_items_back_and_copy_back_keeps_new_ones() {
    let moto = Moto::start();
    let ddb = dynamodb(&moto);
    let table = "bubblebatch-prod-table";
    let restored = run(async {
        let clients = Clients::for_endpoint(&moto.endpoint()).await;
        deploy_data(&clients, "prod").await;
        for (sk, name) in [
            ("BATCH#1", "first"),
            ("BATCH#2", "second"),
            ("BATCH#3", "third"),
        ] {
            let put = ddb
                .put_item()
                .table_name(table)
                .set_item(Some(item("USER#u1", sk, name)));
            put.send().await.unwrap();
        }
        table.to_string()
    });
    let before_incident = moment();
    run(async {
        for sk in ["BATCH#1", "BATCH#2"] {
            let key = [
                ("PK".to_string(), AttributeValue::S("USER#u1".into())),
                ("SK".to_string(), AttributeValue::S(sk.into())),
            ];
            ddb.delete_item()
                .table_name(table)
                .set_key(Some(key.into()))
                .send()
                .await
                .unwrap();
        }
        let put = ddb
            .put_item()
            .table_name(table)
            .set_item(Some(item("USER#u1", "BATCH#4", "fourth")));
        put.send().await.unwrap();
        assert_eq!(names(&ddb, table).await, set(&["third", "fourth"]));
    });

    let out = restore(
        &moto,
        &["table", "--stage", "prod", "--to", &before_incident],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let target = format!(
        "{restored}-restored-{}Z",
        before_incident
            .replace(['-', ':'], "")
            .split('.')
            .next()
            .unwrap()
            .trim_end_matches('Z')
    );
    assert!(
        text(&out).contains(&format!("restored {target}: ACTIVE with 3 items")),
        "{}",
        text(&out)
    );
    run(async {
        assert_eq!(
            names(&ddb, &target).await,
            set(&["first", "second", "third"])
        );
        assert_eq!(
            names(&ddb, table).await,
            set(&["third", "fourth"]),
            "live table untouched"
        );
    });

    let dry = restore(&moto, &["copy-back", "--stage", "prod", "--from", &target]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(
        text(&dry).contains("3 items; 2 missing from bubblebatch-prod-table; 2 to write"),
        "{}",
        text(&dry)
    );
    assert!(
        text(&dry).contains("dry run: nothing written"),
        "{}",
        text(&dry)
    );
    run(async { assert_eq!(names(&ddb, table).await, set(&["third", "fourth"])) });

    let applied = restore(
        &moto,
        &["copy-back", "--stage", "prod", "--from", &target, "--apply"],
    );
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    assert!(
        text(&applied).contains("wrote 2 items into bubblebatch-prod-table"),
        "{}",
        text(&applied)
    );
    run(async {
        assert_eq!(
            names(&ddb, table).await,
            set(&["first", "second", "third", "fourth"]),
            "deleted items back, the item written after the restore point kept"
        );
    });

    let early = restore(
        &moto,
        &["table", "--stage", "prod", "--to", "2020-01-01T00:00:00Z"],
    );
    assert_eq!(early.status.code(), Some(1), "{}", text(&early));
    assert!(
        text(&early).contains("before the earliest restorable time"),
        "{}",
        text(&early)
    );
}

#[test]
fn overwritten_and_deleted_photos_come_back_as_they_were() {
    let moto = Moto::start();
    let (bucket, s3) = run(async {
        let clients = Clients::for_endpoint(&moto.endpoint()).await;
        deploy_data(&clients, "prod").await;
        let bucket = "bubblebatch-prod-photos-123456789012-us-east-1".to_string();
        for (key, body) in [
            ("users/u1/a.jpg", "a-original"),
            ("users/u1/b.jpg", "b-original"),
        ] {
            clients
                .s3
                .put_object()
                .bucket(&bucket)
                .key(key)
                .content_type("image/jpeg")
                .body(body.as_bytes().to_vec().into())
                .send()
                .await
                .unwrap();
        }
        (bucket, clients.s3)
    });
    let before_incident = moment();
    run(async {
        let overwrite = s3
            .put_object()
            .bucket(&bucket)
            .key("users/u1/a.jpg")
            .content_type("image/jpeg")
            .body(b"a-overwritten".to_vec().into());
        overwrite.send().await.unwrap();
        s3.delete_object()
            .bucket(&bucket)
            .key("users/u1/b.jpg")
            .send()
            .await
            .unwrap();
        let later = s3
            .put_object()
            .bucket(&bucket)
            .key("users/u1/c.jpg")
            .content_type("image/jpeg")
            .body(b"c-new".to_vec().into());
        later.send().await.unwrap();
    });
    let args = [
        "objects",
        "--stage",
        "prod",
        "--to",
        &before_incident,
        "--prefix",
        "users/u1/",
    ];
    let dry = restore(&moto, &args);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(
        text(&dry).contains("2 to restore, 0 unchanged, 1 left alone"),
        "{}",
        text(&dry)
    );
    let body = |key: &'static str| {
        let s3 = s3.clone();
        let bucket = bucket.clone();
        run(async move {
            match s3.get_object().bucket(&bucket).key(key).send().await {
                Ok(o) => Some(String::from_utf8(o.body.collect().await.unwrap().to_vec()).unwrap()),
                Err(_) => None,
            }
        })
    };
    assert_eq!(
        body("users/u1/a.jpg").as_deref(),
        Some("a-overwritten"),
        "dry run copied"
    );

    let mut apply = args.to_vec();
    apply.push("--apply");
    let applied = restore(&moto, &apply);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    assert!(
        text(&applied).contains("2 restored, 0 unchanged, 1 left alone"),
        "{}",
        text(&applied)
    );
    assert_eq!(body("users/u1/a.jpg").as_deref(), Some("a-original"));
    assert_eq!(body("users/u1/b.jpg").as_deref(), Some("b-original"));
    assert_eq!(
        body("users/u1/c.jpg").as_deref(),
        Some("c-new"),
        "newer objects are kept"
    );
}

#[test]
fn dev_has_neither_pitr_nor_versioning_and_says_so() {
    let moto = Moto::start();
    run(async {
        let clients = Clients::for_endpoint(&moto.endpoint()).await;
        deploy_data(&clients, "dev").await;
    });
    let table = restore(
        &moto,
        &["table", "--stage", "dev", "--to", "2026-01-01T00:00:00Z"],
    );
    assert_eq!(table.status.code(), Some(1), "{}", text(&table));
    assert!(
        text(&table).contains("point-in-time recovery is not enabled on bubblebatch-dev-table"),
        "{}",
        text(&table)
    );
    let objects = restore(
        &moto,
        &["objects", "--stage", "dev", "--to", "2026-01-01T00:00:00Z"],
    );
    assert_eq!(objects.status.code(), Some(1), "{}", text(&objects));
    assert!(
        text(&objects).contains("versioning is not enabled"),
        "{}",
        text(&objects)
    );
    // Prod's Data stack is not deployed here: its SSM names are missing, and the error says so.
    let missing = restore(
        &moto,
        &["table", "--stage", "prod", "--to", "2026-01-01T00:00:00Z"],
    );
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("/bubblebatch/prod/data/table-name"),
        "{}",
        text(&missing)
    );
    assert!(
        text(&missing).contains("is the prod Data stack deployed?"),
        "{}",
        text(&missing)
    );
}
