//! Permissions proven by execution, on a deliberately under-permissioned function: a role
//! made by hand in the emulator grants `s3:GetObject` under `users/` but not
//! `s3:PutObject` (the action removed). Calls made with that role's credentials (as `dev`
//! hands them to the function: `sts:AssumeRole`), including the PUT to a URL it presigned,
//! go through the emulator's request log to `dev`'s permission watch, which must report
//! the PUTs as denied (with the statement the role lacks), the GET as allowed, and the
//! grant no call exercised. Then the role gets the action back and the next PUT passes.
#![cfg(feature = "aws")]
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::Path;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::presigning::PresigningConfig;
use serde_json::json;
use toolkit::dev::emulator::Emulator;
use toolkit::dev::permissions::{
    read_report, read_role, report_path, role_credentials, Decision, Principal, Triggers, Watch,
};
use toolkit::dev::request_log::REQUEST_LOG_ENV;

const BUCKET: &str = "photos-under-test";
const FUNCTION: &str = "app-dev-photos";

async fn config(endpoint: &str, creds: aws_sdk_s3::config::Credentials) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(creds)
        .load()
        .await
}

fn s3(config: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}

fn policy(actions: &[&str]) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": format!("arn:aws:s3:::{BUCKET}/users/*")},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": format!("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/{FUNCTION}:*")}]})
    .to_string()
}

/// The test's "invocation": every call is made for one route.
struct OneRoute;

impl Triggers for OneRoute {
    fn trigger_at(&self, function: &str, _: u64) -> Option<String> {
        (function == FUNCTION).then(|| "POST /photos".to_string())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_the_role_does_not_allow_is_reported_denied() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("requests.jsonl");
    let emulator_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../emulator");
    let env: Vec<(&str, OsString)> = vec![(REQUEST_LOG_ENV, log.clone().into())];
    let emulator = tokio::task::spawn_blocking(move || Emulator::start(&emulator_dir, &env))
        .await
        .unwrap()
        .expect("start the emulator");
    let endpoint = emulator.endpoint();
    let admin = config(
        &endpoint,
        aws_sdk_s3::config::Credentials::new("test", "test", None, None, "static"),
    )
    .await;

    // The deployer's part: a bucket, and a role that lacks s3:PutObject.
    let iam = aws_sdk_iam::Client::new(&admin);
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let role = iam
        .create_role()
        .role_name(FUNCTION)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    iam.put_role_policy()
        .role_name(FUNCTION)
        .policy_name("code")
        .policy_document(policy(&["s3:GetObject"]))
        .send()
        .await
        .unwrap();
    s3(&admin)
        .create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    s3(&admin)
        .put_object()
        .bucket(BUCKET)
        .key("users/u1/old.jpg")
        .content_type("image/jpeg")
        .body(b"old".to_vec().into())
        .send()
        .await
        .unwrap();

    // The function's part, with its role's keys.
    let keys = role_credentials(&admin, &role_arn, FUNCTION).await.unwrap();
    let as_function = config(
        &endpoint,
        aws_sdk_s3::config::Credentials::new(
            &keys.access_key_id,
            &keys.secret_access_key,
            Some(keys.session_token.clone()),
            None,
            "role",
        ),
    )
    .await;
    let photos = s3(&as_function);
    photos
        .get_object()
        .bucket(BUCKET)
        .key("users/u1/old.jpg")
        .send()
        .await
        .unwrap();
    // moto lets it through (it does not evaluate resources); the watch must not.
    photos
        .put_object()
        .bucket(BUCKET)
        .key("users/u1/new.jpg")
        .content_type("image/jpeg")
        .body(b"new".to_vec().into())
        .send()
        .await
        .unwrap();
    let presigned = photos
        .put_object()
        .bucket(BUCKET)
        .key("users/u1/phone.jpg")
        .content_type("image/jpeg")
        .presigned(PresigningConfig::expires_in(std::time::Duration::from_secs(300)).unwrap())
        .await
        .unwrap();
    // A phone uploads with the URL; the call is the signer's.
    let upload = reqwest::Client::new()
        .put(presigned.uri())
        .header("content-type", "image/jpeg")
        .body("jpeg")
        .send()
        .await
        .unwrap();
    assert!(upload.status().is_success(), "{upload:?}");

    let principal = Principal {
        function: FUNCTION.into(),
        access_key: keys.access_key_id.clone(),
        role: read_role(&iam, &role_arn).await.unwrap(),
    };
    let report_file = report_path(work.path());
    let mut watch = Watch::new(log, report_file.clone(), vec![principal], iam.clone());
    let denied = watch.poll(&OneRoute).await.unwrap();
    assert_eq!(denied.len(), 2, "{denied:#?}");
    assert!(
        denied[0].starts_with(&format!(
            "DENIED: {FUNCTION} (POST /photos) called s3:PutObject on arn:aws:s3:::{BUCKET}/users/u1/new.jpg: no statement allows it of role {FUNCTION}; it lacks {{"
        )),
        "{denied:#?}"
    );

    let report = read_report(&report_file).unwrap();
    let denied: Vec<(&str, &str, Decision)> = report
        .denied()
        .iter()
        .map(|(f, c)| (*f, c.resource.as_str(), c.decision))
        .collect();
    assert_eq!(
        denied,
        [
            (
                FUNCTION,
                "arn:aws:s3:::photos-under-test/users/u1/new.jpg",
                Decision::ImplicitDeny
            ),
            (
                FUNCTION,
                "arn:aws:s3:::photos-under-test/users/u1/phone.jpg",
                Decision::ImplicitDeny
            ),
        ]
    );
    let calls = &report.functions[FUNCTION].calls;
    let get = calls.iter().find(|c| c.action == "s3:GetObject").unwrap();
    assert_eq!(get.decision, Decision::Allowed);
    let phone = calls
        .iter()
        .find(|c| c.resource.ends_with("phone.jpg"))
        .unwrap();
    assert_eq!(
        phone.missing_statement,
        Some(json!({"Effect": "Allow", "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::photos-under-test/users/u1/phone.jpg"}))
    );
    // Grants: GetObject exercised; the runtime's log actions listed with a reason.
    let grants = &report.functions[FUNCTION].grants;
    assert_eq!(grants.len(), 3, "{grants:#?}");
    assert!(
        report.unexercised().is_empty(),
        "{:#?}",
        report.unexercised()
    );
    assert_eq!(
        grants
            .iter()
            .find(|g| g.action == "s3:GetObject")
            .unwrap()
            .exercised_by,
        BTreeSet::from(["POST /photos".to_string()])
    );
    assert!(
        report.other_requests >= 4,
        "the deployer's calls are not checked"
    );

    // The action given back: the next PUT is allowed, the denials stay on record.
    iam.put_role_policy()
        .role_name(FUNCTION)
        .policy_name("code")
        .policy_document(policy(&["s3:GetObject", "s3:PutObject"]))
        .send()
        .await
        .unwrap();
    photos
        .put_object()
        .bucket(BUCKET)
        .key("users/u1/new.jpg")
        .content_type("image/jpeg")
        .body(b"new".to_vec().into())
        .send()
        .await
        .unwrap();
    assert!(watch.poll(&OneRoute).await.unwrap().is_empty());
    let report = read_report(&report_file).unwrap();
    assert_eq!(report.denied().len(), 2);
    let put = report.functions[FUNCTION]
        .calls
        .iter()
        .find(|c| c.action == "s3:PutObject" && c.decision == Decision::Allowed)
        .unwrap();
    assert_eq!(
        put.resource,
        "arn:aws:s3:::photos-under-test/users/u1/new.jpg"
    );
    drop(emulator);
}
