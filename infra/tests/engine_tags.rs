//! Cost-allocation tags and the frontend's dotenv file, on a private emulator (moto with
//! the repository's models): the dev stage deployed through the engine carries `app`,
//! `stage` and `cost-center` on every stack, CloudFormation's copy of them reaches the
//! DynamoDB table, the user pool (which stack tags do not reach on AWS) has them from
//! its template, and `outputs/dev.env` holds the API URL and the pool and client IDs.
#![cfg(feature = "aws")]
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use harness::Moto;
use infra::stacks::stage::Stage;
use infra::synth_stage;
use serde_json::Value;
use toolkit::engine::clients::Clients;
use toolkit::engine::deploy::{Outcome, Safety};
use toolkit::engine::run::{scripted_ui, DeployOptions, DeployResult, Session};
use toolkit::synth::SynthesizedStack;

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A real zip per Lambda binary (the emulator stores it; it never runs it).
fn write_zips(dir: &Path, stacks: &[SynthesizedStack]) {
    for code in stacks.iter().flat_map(|s| &s.lambda_code) {
        let d = dir.join(&code.binary);
        std::fs::create_dir_all(&d).unwrap();
        let mut z = zip::ZipWriter::new(std::fs::File::create(d.join("bootstrap.zip")).unwrap());
        z.start_file("bootstrap", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(format!("#!/bin/sh\n# {}\n", code.binary).as_bytes())
            .unwrap();
        z.finish().unwrap();
    }
}

/// One JSON-protocol call to the emulator (services the engine has no client for).
fn aws_json(moto: &Moto, service: &str, target: &str, body: &Value) -> Value {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    );
    let mut resp = ureq::post(&moto.endpoint())
        .header("X-Amz-Target", target)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("Authorization", &auth)
        .send(body.to_string())
        .unwrap_or_else(|e| panic!("{target}: {e}"));
    serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap()
}

fn expected_tags() -> BTreeMap<String, String> {
    [
        ("app", "bubblebatch"),
        ("stage", "dev"),
        ("cost-center", "bubblebatch"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `[{"Key": k, "Value": v}]` → map.
fn tag_list(tags: &Value) -> BTreeMap<String, String> {
    tags.as_array()
        .unwrap_or_else(|| panic!("a tag list: {tags}"))
        .iter()
        .map(|t| {
            (
                t["Key"].as_str().unwrap().to_string(),
                t["Value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn dev_stage_is_tagged_for_cost_allocation_and_writes_a_dotenv_file() {
    let moto = Moto::start();
    let stage = Stage::Dev;
    assert_eq!(
        toolkit::engine::cfn::stage_tags(stage.info()),
        expected_tags()
    );
    let stacks = synth_stage(stage).expect("synth dev");
    let work = tempfile::tempdir().unwrap();
    let zips = work.path().join("lambda");
    write_zips(&zips, &stacks);
    let outputs = work.path().join("outputs/dev.json");
    let options = DeployOptions {
        safety: Safety {
            yes: true,
            allow_replace: false,
        },
        hotswap: false,
        lambda_dir: Some(zips.clone()),
        repo: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        outputs_file: outputs.clone(),
    };
    let session = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            stage.info(),
        )
        .with_app(&infra::APP)
    });
    run(session.bootstrap()).expect("bootstrap");
    match run(session.deploy(&stacks, &options)).expect("deploy") {
        DeployResult::Deployed(o) => assert!(o.iter().all(|(_, o)| *o == Outcome::Created)),
        other => panic!("expected a change-set deploy, got {other:?}"),
    }

    // Every stack (and the bootstrap stack) carries the three tags.
    let names = stacks
        .iter()
        .map(|s| s.stack_name.clone())
        .chain(["bubblebatch-dev-bootstrap".to_string()]);
    for name in names {
        let described = run(session
            .clients
            .cfn
            .describe_stacks()
            .stack_name(&name)
            .send())
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let tags: BTreeMap<String, String> = described.stacks()[0]
            .tags()
            .iter()
            .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()))
            .collect();
        assert_eq!(tags, expected_tags(), "{name}");
    }

    // A resource that gets them from the stack: the table.
    let table = aws_json(
        &moto,
        "dynamodb",
        "DynamoDB_20120810.DescribeTable",
        &serde_json::json!({"TableName": "bubblebatch-dev-table"}),
    );
    let arn = table["Table"]["TableArn"].as_str().unwrap();
    let tags = aws_json(
        &moto,
        "dynamodb",
        "DynamoDB_20120810.ListTagsOfResource",
        &serde_json::json!({ "ResourceArn": arn }),
    );
    assert_eq!(tag_list(&tags["Tags"]), expected_tags(), "{tags}");

    // The one that gets them from its template: the user pool.
    let out: Value = serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    let pool_id = out["values"]["authUserPoolId"].as_str().unwrap();
    let pool = aws_json(
        &moto,
        "cognito-idp",
        "AWSCognitoIdentityProviderService.DescribeUserPool",
        &serde_json::json!({ "UserPoolId": pool_id }),
    );
    let pool_tags: BTreeMap<String, String> =
        serde_json::from_value(pool["UserPool"]["UserPoolTags"].clone()).unwrap();
    assert_eq!(pool_tags, expected_tags(), "{pool}");

    // A second deploy with the same tags changes nothing.
    match run(session.deploy(&stacks, &options)).expect("second deploy") {
        DeployResult::Deployed(o) => {
            assert!(o.iter().all(|(_, o)| *o == Outcome::Unchanged), "{o:?}")
        }
        other => panic!("expected a change-set deploy, got {other:?}"),
    }

    // The frontend's dotenv file, next to the JSON.
    let env = std::fs::read_to_string(work.path().join("outputs/dev.env")).unwrap();
    let lines: BTreeMap<&str, &str> = env
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once('=').unwrap())
        .collect();
    assert_eq!(lines["STAGE"], "dev");
    assert_eq!(lines["AUTH_USER_POOL_ID"], pool_id);
    assert_eq!(
        lines["AUTH_USER_POOL_CLIENT_ID"],
        out["values"]["authUserPoolClientId"].as_str().unwrap()
    );
    assert_eq!(lines["API_URL"], out["values"]["apiUrl"].as_str().unwrap());
    assert!(lines["API_URL"].starts_with("https://"), "{env}");
    assert!(
        !lines.contains_key("DATA_TABLE_NAME"),
        "backend names stay out: {env}"
    );
}
