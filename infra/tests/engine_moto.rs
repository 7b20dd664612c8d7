//! End to end against a private moto server: bootstrap, first deploy of the real dev stage,
//! diff after deploy, a template change through diff/plan/deploy, no-op deploy, hotswap,
//! destroy.
#![cfg(feature = "aws")]
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use base64::Engine as _;
use harness::Moto;
use infra::stacks::stage::Stage;
use infra::synth_stage;
use serde_json::Value;
use sha2::Digest as _;
use toolkit::diff::{self, markdown, Action};
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

/// A real zip per Lambda binary (moto stores it; it never runs it).
fn write_zips(dir: &Path, stacks: &[SynthesizedStack], salt: &str) {
    for s in stacks {
        for code in &s.lambda_code {
            let d = dir.join(&code.binary);
            std::fs::create_dir_all(&d).unwrap();
            let f = std::fs::File::create(d.join("bootstrap.zip")).unwrap();
            let mut z = zip::ZipWriter::new(f);
            z.start_file("bootstrap", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(format!("#!/bin/sh\n# {} {salt}\n", code.binary).as_bytes())
                .unwrap();
            z.finish().unwrap();
        }
    }
}

fn copy_zips(from: &Path, to: &Path, stacks: &[SynthesizedStack]) {
    for code in stacks.iter().flat_map(|s| &s.lambda_code) {
        let src = from.join(&code.binary).join("bootstrap.zip");
        let dst = to.join(&code.binary);
        std::fs::create_dir_all(&dst).unwrap();
        std::fs::copy(&src, dst.join("bootstrap.zip"))
            .unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        eprintln!(
            "BENCH zip {}: {} bytes",
            code.binary,
            std::fs::metadata(&src).unwrap().len()
        );
    }
}

/// One JSON-protocol call to the emulator (services we have no SDK client for).
fn aws_json(moto: &Moto, service: &str, target: &str, body: &str) -> Result<Value, String> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    );
    let mut resp = ureq::post(&moto.endpoint())
        .header("X-Amz-Target", target)
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("Authorization", &auth)
        .config()
        .http_status_as_error(false)
        .build()
        .send(body)
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    if status >= 400 {
        return Err(format!("{status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// One query-protocol call (form POST, XML answer).
fn aws_query(moto: &Moto, service: &str, form: &str) -> Result<String, String> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    );
    let mut resp = ureq::post(&moto.endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", &auth)
        .send(form)
        .map_err(|e| e.to_string())?;
    resp.body_mut().read_to_string().map_err(|e| e.to_string())
}

fn options(lambda_dir: &Path, outputs: &Path, safety: Safety, hotswap: bool) -> DeployOptions {
    DeployOptions {
        safety,
        hotswap,
        lambda_dir: Some(lambda_dir.to_path_buf()),
        repo: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        outputs_file: outputs.to_path_buf(),
    }
}

fn outcomes(r: DeployResult) -> BTreeMap<String, Outcome> {
    match r {
        DeployResult::Deployed(o) => o.into_iter().collect(),
        other => panic!("expected a change-set deploy, got {other:?}"),
    }
}

#[test]
fn dev_stage_lifecycle_against_moto() {
    let moto = Moto::start();
    let stage = Stage::Dev;
    let mut stacks = synth_stage(stage).expect("synth dev");
    let work = tempfile::tempdir().unwrap();
    let zips = work.path().join("lambda");
    let outputs = work.path().join("outputs/dev.json");
    match std::env::var_os("BB_BENCH_LAMBDA_DIR") {
        // Real release zips (for the README's numbers), copied: hotswap rewrites them.
        Some(real) => copy_zips(Path::new(&real), &zips, &stacks),
        None => write_zips(&zips, &stacks, "v1"),
    }
    let yes = Safety {
        yes: true,
        allow_replace: false,
    };

    let session = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            stage.info(),
        )
        .with_app(&infra::APP)
    });

    // Deploying before bootstrap explains what to do.
    let err = run(session.deploy(&stacks, &options(&zips, &outputs, yes, false))).unwrap_err();
    assert!(
        format!("{err:#}").contains("run `cargo run -p infra -- bootstrap --stage dev` first"),
        "{err:#}"
    );

    // Bootstrap: the bucket exists; a second bootstrap is a no-op.
    let bucket = run(session.bootstrap()).expect("bootstrap");
    run(session.clients.s3.head_bucket().bucket(&bucket).send()).expect("assets bucket exists");
    let enc = run(session
        .clients
        .s3
        .get_bucket_encryption()
        .bucket(&bucket)
        .send())
    .expect("encryption");
    assert!(enc.server_side_encryption_configuration().is_some());
    assert_eq!(run(session.bootstrap()).unwrap(), bucket);
    assert!(session.ui.transcript().contains("[Bootstrap] no changes"));

    // First deploy: every stack created, in dependency order.
    let started = Instant::now();
    let first = outcomes(
        run(session.deploy(&stacks, &options(&zips, &outputs, yes, false))).expect("first deploy"),
    );
    eprintln!(
        "BENCH first deploy of {} stacks (uploads included): {:.0} ms",
        stacks.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(first.len(), stacks.len());
    assert!(first.values().all(|o| *o == Outcome::Created), "{first:?}");
    for s in &stacks {
        let info = run(session.engine().describe(&s.stack_name))
            .unwrap()
            .expect("stack exists");
        assert_eq!(info.status, "CREATE_COMPLETE", "{}", s.name);
    }
    // Resources moto really creates exist: functions (from our zips), tables, assets.
    let mut hashes = BTreeMap::new();
    for code in stacks.iter().flat_map(|s| &s.lambda_code) {
        let f = run(session
            .clients
            .lambda
            .get_function()
            .function_name(&code.function_name)
            .send())
        .unwrap_or_else(|e| panic!("function {}: {e:?}", code.function_name));
        let cfg = f.configuration().unwrap();
        let zip = std::fs::read(zips.join(&code.binary).join("bootstrap.zip")).unwrap();
        let ours = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&zip));
        assert_eq!(
            cfg.code_sha256(),
            Some(ours.as_str()),
            "{} runs our zip",
            code.function_name
        );
        hashes.insert(code.function_name.clone(), ours);
        // The zip is in the assets bucket under its content hash.
        let key = format!("lambda/{}.zip", toolkit::engine::assets::sha256_hex(&zip));
        run(session
            .clients
            .s3
            .head_object()
            .bucket(&bucket)
            .key(&key)
            .send())
        .unwrap_or_else(|e| panic!("{key}: {e:?}"));
    }
    assert!(!hashes.is_empty(), "the dev stage has Lambda functions");
    let tables = aws_json(&moto, "dynamodb", "DynamoDB_20120810.ListTables", "{}").unwrap();
    assert!(
        tables["TableNames"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t.as_str().unwrap().starts_with("bubblebatch-dev")),
        "{tables}"
    );
    // The outputs file is complete JSON.
    let out: Value = serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    assert_eq!(out["stage"], "dev");
    // Published through SSM by the stacks (moto skips Cognito: its placeholder shows).
    assert_eq!(
        out["values"]["dataTableName"], "bubblebatch-dev-table",
        "{out}"
    );
    let pool_id = out["values"]["authUserPoolId"].as_str().unwrap_or_default();
    assert!(
        pool_id.starts_with("us-east-1_"),
        "the Auth stack publishes the real user pool id: {out}"
    );
    assert!(
        out["values"]["dataBucketName"]
            .as_str()
            .unwrap()
            .starts_with("bubblebatch-dev-photos"),
        "{out}"
    );
    assert!(out["stacks"].as_object().unwrap().len() == stacks.len());

    // Diff after deploy: nothing.
    let report = run(session.diff(&stacks, Some(&zips), Path::new("."), false)).unwrap();
    assert!(
        !report.has_changes(),
        "{}",
        diff::text::render(&report, false)
    );
    assert_eq!(report.diff_exit_code(), 0);

    // No-op deploy: no change set at all, and fast (5 runs for the README's numbers).
    let before = session.ui.lines().len();
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let noop =
            outcomes(run(session.deploy(&stacks, &options(&zips, &outputs, yes, false))).unwrap());
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(noop.values().all(|o| *o == Outcome::Unchanged), "{noop:?}");
    }
    let said = session.ui.lines()[before..].join("\n");
    assert!(!said.contains("creating change set"), "{said}");
    assert!(
        !said.contains("uploaded "),
        "assets already in the bucket are not uploaded again: {said}"
    );
    times.sort_by(f64::total_cmp);
    eprintln!(
        "BENCH no-op deploy of {} stacks: median {:.0} ms, max {:.0} ms",
        stacks.len(),
        times[2],
        times[4]
    );

    // A template change shows in diff and plan, then deploys.
    let data = stacks
        .iter_mut()
        .find(|s| s.name == "Data")
        .expect("Data stack");
    let mut t: Value = Value::clone(&data.template);
    t["Resources"]["E2eTopic"] = serde_json::json!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "bubblebatch-dev-e2e"}});
    data.set_template(t);
    let started = Instant::now();
    let report = run(session.diff(&stacks, Some(&zips), Path::new("."), true)).unwrap();
    eprintln!(
        "BENCH diff of {} stacks: {:.0} ms",
        stacks.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(report.diff_exit_code(), 2);
    let data_diff = report.stacks.iter().find(|s| s.name == "Data").unwrap();
    assert_eq!(data_diff.resources.len(), 1);
    assert_eq!(data_diff.resources[0].logical_id, "E2eTopic");
    assert_eq!(data_diff.resources[0].action, Action::Add);
    let md = markdown::render(&report);
    assert!(md.contains("`E2eTopic` (AWS::SNS::Topic)"), "{md}");
    let second =
        outcomes(run(session.deploy(&stacks, &options(&zips, &outputs, yes, false))).unwrap());
    assert_eq!(second["Data"], Outcome::Updated, "{second:?}");
    let topics = aws_query(&moto, "sns", "Action=ListTopics&Version=2010-03-31").unwrap();
    assert!(topics.contains(":bubblebatch-dev-e2e<"), "{topics}");

    // Hotswap: new code for every function, nothing else changed.
    write_zips(&zips, &stacks, "v2");
    let swapped = match run(session.deploy(&stacks, &options(&zips, &outputs, yes, true))).unwrap()
    {
        DeployResult::Hotswapped(h) => h,
        other => panic!("expected a hotswap, got {other:?}"),
    };
    assert_eq!(swapped.len(), hashes.len());
    for (function, old_hash) in &hashes {
        let f = run(session
            .clients
            .lambda
            .get_function()
            .function_name(function)
            .send())
        .unwrap();
        let new_hash = f
            .configuration()
            .unwrap()
            .code_sha256()
            .unwrap()
            .to_string();
        assert_ne!(&new_hash, old_hash, "{function} code changed");
        let binary = &stacks
            .iter()
            .flat_map(|s| &s.lambda_code)
            .find(|c| &c.function_name == function)
            .unwrap()
            .binary;
        let zip = std::fs::read(zips.join(binary).join("bootstrap.zip")).unwrap();
        let ours = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&zip));
        assert_eq!(new_hash, ours, "{function} runs the new zip");
    }
    // Hotswap is refused for prod before anything is touched.
    let prod = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            Stage::Prod.info(),
        )
    });
    let err = run(prod.deploy(&stacks, &options(&zips, &outputs, yes, true))).unwrap_err();
    assert!(err.to_string().contains("refused for prod"), "{err}");

    // Destroy: every stack gone, the bootstrap stack kept.
    let n = run(session.destroy(&stacks, false)).unwrap();
    assert_eq!(n, stacks.len());
    for s in &stacks {
        assert!(
            run(session.engine().describe(&s.stack_name))
                .unwrap()
                .is_none(),
            "{} deleted",
            s.name
        );
    }
    assert!(run(session.clients.s3.head_bucket().bucket(&bucket).send()).is_ok());
}

#[test]
fn templates_over_51200_bytes_deploy_by_url() {
    let moto = Moto::start();
    let session = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            Stage::Dev.info(),
        )
    });
    let bucket = run(session.bootstrap()).unwrap();
    let resources: serde_json::Map<String, Value> = (0..30)
        .map(|i| {
            (
                format!("Topic{i}"),
                serde_json::json!({"Type": "AWS::SNS::Topic", "Metadata": {"Padding": "x".repeat(2_000)},
                    "Properties": {"TopicName": format!("bubblebatch-dev-big-{i}")}}),
            )
        })
        .collect();
    let stacks = vec![SynthesizedStack::new(
        "Big",
        "bubblebatch-dev-big",
        serde_json::json!({"Resources": resources}),
    )];
    let template = stacks[0].template_json.clone();
    assert!(template.len() > 51_200);
    let work = tempfile::tempdir().unwrap();
    let opts = options(
        work.path(),
        &work.path().join("out.json"),
        Safety::default(),
        false,
    );
    let result = outcomes(run(session.deploy(&stacks, &opts)).unwrap());
    assert_eq!(result["Big"], Outcome::Created);
    let key = format!(
        "templates/{}.json",
        toolkit::engine::assets::sha256_hex(template.as_bytes())
    );
    run(session
        .clients
        .s3
        .head_object()
        .bucket(&bucket)
        .key(&key)
        .send())
    .expect("template uploaded");
    let topics = aws_query(&moto, "sns", "Action=ListTopics&Version=2010-03-31").unwrap();
    assert!(topics.contains(":bubblebatch-dev-big-29<"), "{topics}");
}
