//! What a deploy verifies, against the real dev stage deployed on the emulator: routes
//! and permissions read back (and caught once mutated through the service APIs), `status`
//! with an alarm set to ALARM, and the smoke test against a local stand-in for the API
//! (the emulator serves no execute-api traffic).
#![cfg(feature = "aws")]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use harness::Moto;
use infra::stacks::stage::Stage;
use serde_json::{json, Value};
use toolkit::engine::clients::{sdk, Clients};
use toolkit::engine::deploy::Safety;
use toolkit::engine::run::{scripted_ui, templates, DeployOptions, Session, SmokeOptions};
use toolkit::engine::template::StackTemplate;
use toolkit::synth::SynthesizedStack;

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A real zip per Lambda binary (moto stores it; it never runs it).
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

/// The dev stage bootstrapped and deployed on a fresh emulator.
struct Deployed {
    moto: Moto,
    session: Session,
    stacks: Vec<SynthesizedStack>,
    templates: Vec<StackTemplate>,
    outputs: Value,
    _work: tempfile::TempDir,
}

fn deploy_dev() -> Deployed {
    let moto = Moto::start();
    let stacks = infra::synth_stage(Stage::Dev).unwrap();
    let work = tempfile::tempdir().unwrap();
    let zips = work.path().join("lambda");
    write_zips(&zips, &stacks);
    let session = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            Stage::Dev.info(),
        )
        // The app's contract is what the deploy verifies against, as in the CLI.
        .with_app(&infra::APP)
    });
    assert!(session.declared.is_some());
    run(session.bootstrap()).expect("bootstrap");
    let outputs_file = work.path().join("dev.json");
    let opts = DeployOptions {
        safety: Safety {
            yes: true,
            allow_replace: false,
        },
        hotswap: false,
        lambda_dir: Some(zips),
        repo: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        outputs_file: outputs_file.clone(),
    };
    // The deploy verifies itself: a faithful deploy passes.
    let started = std::time::Instant::now();
    run(session.deploy(&stacks, &opts)).expect("dev deploys and verifies");
    eprintln!(
        "BENCH first deploy with verification: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let said = session.ui.transcript();
    assert!(
        said.contains("verified: 13 route(s) of 1 API(s)"),
        "the deploy read its API back: {said}"
    );
    assert!(
        said.contains("of 8 function(s) (the role's policies evaluated locally (iam-rs))"),
        "{said}"
    );
    let outputs = serde_json::from_str(&std::fs::read_to_string(outputs_file).unwrap()).unwrap();
    Deployed {
        templates: templates(&stacks).unwrap(),
        moto,
        session,
        stacks,
        outputs,
        _work: work,
    }
}

fn api_id(d: &Deployed) -> String {
    d.outputs["values"]["apiId"]
        .as_str()
        .expect("the Api stack publishes its id")
        .to_string()
}

#[test]
fn verification_catches_a_removed_route_and_a_route_without_its_authorizer() {
    let d = deploy_dev();
    let apigw = &d.session.clients.apigateway;
    let api = api_id(&d);
    let routes = run(apigw.get_routes().api_id(&api).send()).unwrap();
    let id_of = |key: &str| {
        routes
            .items()
            .iter()
            .find(|r| r.route_key() == Some(key))
            .and_then(|r| r.route_id())
            .unwrap_or_else(|| panic!("{key} deployed"))
            .to_string()
    };
    run(apigw
        .delete_route()
        .api_id(&api)
        .route_id(id_of("GET /batches"))
        .send())
    .unwrap();
    run(apigw
        .update_route()
        .api_id(&api)
        .route_id(id_of("POST /batches"))
        .authorization_type(sdk::apigatewayv2::types::AuthorizationType::None)
        .send())
    .unwrap();

    let started = std::time::Instant::now();
    let v = run(d.session.verify(&d.templates)).unwrap();
    eprintln!(
        "BENCH verify (13 routes, 8 functions): {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let failures = v.failures();
    assert!(
        failures.contains(&"Api: route GET /batches is missing".to_string()),
        "{failures:#?}"
    );
    assert!(
        failures
            .contains(&"Api: route POST /batches has authorization NONE, declared JWT".to_string()),
        "{failures:#?}"
    );
    assert!(
        failures.contains(&"Api: route POST /batches has no authorizer, declared jwt".to_string()),
        "{failures:#?}"
    );
    assert_eq!(failures.len(), 3, "nothing else differs: {failures:#?}");

    // The contract is the source of truth: a route it no longer declares is reported as
    // deployed but undeclared, though the templates still have it.
    let mut d = d;
    let mut fewer = infra::declared::of(Stage::Dev.info());
    fewer.routes.retain(|r| r.path != "/export.csv");
    d.session.declared = Some(fewer);
    let failures = run(d.session.verify(&d.templates)).unwrap().failures();
    assert!(
        failures.contains(&"Api: route GET /export.csv is deployed but not declared".to_string()),
        "{failures:#?}"
    );
    assert_eq!(failures.len(), 4, "{failures:#?}");
    d.session.declared = infra::APP.declared.map(|of| of(Stage::Dev.info()));

    // The CLI says the same and exits 1.
    let out = cli(&d, &["verify", "--stage", "dev"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("FAIL Api: route GET /batches is missing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verification_catches_a_role_missing_an_action_and_reports_extra_grants() {
    let d = deploy_dev();
    let clients = &d.session.clients;
    let function = "bubblebatch-dev-batches";
    let config = run(clients
        .lambda
        .get_function_configuration()
        .function_name(function)
        .send())
    .unwrap();
    let role = config
        .role()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let policies = run(clients.iam.list_role_policies().role_name(&role).send()).unwrap();
    assert_eq!(policies.policy_names(), ["least-privilege"]);
    let table = "arn:aws:dynamodb:us-east-1:123456789012:table/bubblebatch-dev-table";
    // The same policy without dynamodb:PutItem, plus a grant nothing declares.
    let reduced = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": [table]},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/bubblebatch-dev-batches:*"]},
        {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"}]});
    run(clients
        .iam
        .delete_role_policy()
        .role_name(&role)
        .policy_name("least-privilege")
        .send())
    .unwrap();
    run(clients
        .iam
        .put_role_policy()
        .role_name(&role)
        .policy_name("hand-edited")
        .policy_document(reduced.to_string())
        .send())
    .unwrap();
    // Another function's role denies a declared call explicitly.
    let export_role = run(clients
        .lambda
        .get_function_configuration()
        .function_name("bubblebatch-dev-export")
        .send())
    .unwrap()
    .role()
    .unwrap()
    .rsplit('/')
    .next()
    .unwrap()
    .to_string();
    let deny = json!({"Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]});
    run(clients
        .iam
        .put_role_policy()
        .role_name(&export_role)
        .policy_name("deny")
        .policy_document(deny.to_string())
        .send())
    .unwrap();

    let v = run(d.session.verify(&d.templates)).unwrap();
    let failures = v.failures();
    assert_eq!(
        failures,
        [
            format!("{function}: role {role} does not allow the declared dynamodb:PutItem on {table}"),
            format!("bubblebatch-dev-export: role {export_role} does not allow the declared dynamodb:Query on {table}"),
        ],
        "{failures:#?}"
    );
    let notes = v.notes();
    assert!(
        notes.contains(&format!(
            "{function}: role {role} allows actions nothing declares: s3:DeleteObject"
        )),
        "{notes:#?}"
    );
    // Every other function: each declared call checked and allowed.
    assert_eq!(v.functions.len(), 8);
    assert!(
        v.functions.iter().all(|f| f.checked >= 3),
        "{:#?}",
        v.functions
    );

    // The contract says which actions the code calls: one it declares that no role
    // statement grants fails; one it stopped declaring is reported as undeclared.
    let mut d = d;
    let mut changed = infra::declared::of(Stage::Dev.info());
    let devices = changed
        .functions
        .iter_mut()
        .find(|f| f.name == "bubblebatch-dev-devices")
        .unwrap();
    devices.actions = vec!["dynamodb:DeleteItem".into()];
    d.session.declared = Some(changed);
    let v = run(d.session.verify(&d.templates)).unwrap();
    assert!(
        v.failures().contains(
            &"bubblebatch-dev-devices: the app declares dynamodb:DeleteItem, which its template \
              grants on no resource"
                .to_string()
        ),
        "{:#?}",
        v.failures()
    );
    assert!(
        v.notes()
            .iter()
            .any(|n| n.starts_with("bubblebatch-dev-devices: role ")
                && n.ends_with("allows actions nothing declares: dynamodb:PutItem")),
        "{:#?}",
        v.notes()
    );
}

#[test]
fn status_reports_an_alarm_in_alarm_and_exits_non_zero() {
    let d = deploy_dev();
    let healthy = run(d.session.status(&d.stacks)).unwrap();
    assert!(healthy.healthy, "{}", healthy.render());
    assert_eq!(healthy.exit_code(), 0);
    assert_eq!(healthy.stacks.len(), 5);
    assert!(healthy.stacks.iter().all(|s| s.status == "CREATE_COMPLETE"));
    // Errors and throttles of 8 functions, the processor's dropped runs, the DLQ, the
    // API's 5xx rate and latency, the table's two throttles.
    assert_eq!(healthy.alarms_watched, 22);
    assert_eq!(healthy.functions.len(), 8);
    assert_eq!(healthy.api.as_ref().unwrap().api_id, api_id(&d));
    let budget = healthy
        .budget
        .as_ref()
        .expect("moto's budgets answers DescribeBudget");
    assert_eq!(
        (budget.name.as_str(), budget.limit),
        ("bubblebatch-dev-monthly", 25.0)
    );

    let reason = "Threshold Crossed: 12 errors in a minute (smoke test of status)";
    run(d
        .session
        .clients
        .cloudwatch
        .set_alarm_state()
        .alarm_name("bubblebatch-dev-auth-errors")
        .state_value(sdk::cloudwatch::types::StateValue::Alarm)
        .state_reason(reason)
        .send())
    .unwrap();
    let st = run(d.session.status(&d.stacks)).unwrap();
    assert!(!st.healthy);
    assert_eq!(st.exit_code(), 3);
    assert_eq!(st.alarms_in_alarm.len(), 1);
    assert_eq!(st.alarms_in_alarm[0].name, "bubblebatch-dev-auth-errors");
    assert_eq!(
        st.problems,
        [format!(
            "alarm bubblebatch-dev-auth-errors is in ALARM: {reason}"
        )]
    );

    // The command: text and JSON, exit 3.
    let started = std::time::Instant::now();
    let out = cli(&d, &["status", "--stage", "dev"]);
    eprintln!(
        "BENCH status, whole CLI process: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ALARM bubblebatch-dev-auth-errors: Threshold Crossed"),
        "{text}"
    );
    assert!(text.contains("UNHEALTHY:"), "{text}");
    let out = cli(&d, &["status", "--stage", "dev", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["healthy"], false);
    assert_eq!(
        json["alarms_in_alarm"][0]["name"],
        "bubblebatch-dev-auth-errors"
    );
    assert_eq!(json["stacks"][2]["name"], "Api");
}

/// A stand-in for the deployed API on 127.0.0.1: answers each request with
/// `answer(method, path, authorization header)`.
struct FakeApi {
    url: String,
}

impl FakeApi {
    fn start(answer: impl Fn(&str, &str, Option<&str>) -> u16 + Send + Sync + 'static) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let mut parts = line.split_whitespace();
                let (method, path) = (
                    parts.next().unwrap_or("").to_string(),
                    parts.next().unwrap_or("").to_string(),
                );
                let (mut auth, mut length) = (None, 0usize);
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    let (name, value) = header.split_once(':').unwrap();
                    match name.to_ascii_lowercase().as_str() {
                        "authorization" => auth = Some(value.trim().to_string()),
                        "content-length" => length = value.trim().parse().unwrap(),
                        _ => {}
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let status = answer(&method, &path, auth.as_deref());
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
                );
            }
        });
        FakeApi { url }
    }
}

/// Like the deployed API: public routes answer, `GET /batches` wants a Cognito JWT.
fn api_like(method: &str, path: &str, auth: Option<&str>) -> u16 {
    match (method, path) {
        ("POST", "/auth/login" | "/auth/verify") => 400,
        ("GET", "/public/b/smoke-test") => 404,
        ("GET", "/batches") => match auth.and_then(|a| a.strip_prefix("Bearer ")) {
            Some(jwt) if jwt.split('.').count() == 3 => 200,
            _ => 401,
        },
        _ => 404,
    }
}

/// JSON-protocol call to the emulator's Cognito.
fn cognito(d: &Deployed, target: &str, body: Value) -> Value {
    let mut resp = ureq::post(&d.moto.endpoint())
        .header("X-Amz-Target", &format!("AWSCognitoIdentityProviderService.{target}"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        )
        .send(body.to_string())
        .unwrap_or_else(|e| panic!("{target}: {e}"));
    serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap_or(Value::Null)
}

#[test]
fn smoke_test_calls_the_routes_with_the_stage_smoke_user() {
    let d = deploy_dev();
    let user = Stage::Dev
        .info()
        .smoke_user
        .expect("dev names a smoke user");

    // Without the user's refresh token in SSM, the smoke test says how to store it.
    let api = FakeApi::start(api_like);
    let opts = SmokeOptions {
        url: Some(api.url.clone()),
    };
    let err = run(d.session.smoke(&d.templates, &opts)).unwrap_err();
    assert!(
        format!("{err:#}").contains(&format!(
            "aws ssm put-parameter --type SecureString --name {}",
            user.refresh_token_parameter
        )),
        "{err:#}"
    );

    // The smoke user signs in once (here with a password; the refresh token is what counts).
    let pool = d.outputs["values"]["authUserPoolId"].as_str().unwrap();
    let client = d.outputs["values"]["authUserPoolClientId"]
        .as_str()
        .unwrap();
    cognito(
        &d,
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": user.username, "MessageAction": "SUPPRESS"}),
    );
    cognito(
        &d,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool, "Username": user.username, "Password": "Smoke-test-1!", "Permanent": true}),
    );
    let auth = cognito(
        &d,
        "AdminInitiateAuth",
        json!({"UserPoolId": pool, "ClientId": client,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": user.username, "PASSWORD": "Smoke-test-1!"}}),
    );
    let refresh = auth["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{auth}"));
    run(d
        .session
        .clients
        .ssm
        .put_parameter()
        .name(user.refresh_token_parameter)
        .r#type(sdk::ssm::types::ParameterType::SecureString)
        .value(refresh)
        .send())
    .unwrap();

    let before = d.session.ui.lines().len();
    run(d.session.smoke(&d.templates, &opts)).expect("smoke passes");
    let said = d.session.ui.lines()[before..].join("\n");
    for line in [
        "smoke: ok   POST /auth/login → 400",
        "smoke: ok   POST /auth/verify → 400",
        "smoke: ok   GET /public/b/smoke-test → 404",
        "smoke: ok   GET /batches → 401",
        "smoke: ok   GET /batches → 200",
        "smoke: 5 call(s) passed against http://127.0.0.1:",
    ] {
        assert!(said.contains(line), "{line}\n{said}");
    }

    // A public route failing, and an authenticated route answering without a token.
    let broken = FakeApi::start(|method, path, auth| match (method, path) {
        ("POST", "/auth/login") => 502,
        ("GET", "/batches") => 200,
        _ => api_like(method, path, auth),
    });
    let err = run(d.session.smoke(
        &d.templates,
        &SmokeOptions {
            url: Some(broken.url.clone()),
        },
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("smoke test failed"), "{err}");
    assert!(
        err.contains(
            "FAIL POST /auth/login → 502 (expected an answer below 500, not 401 (public route))"
        ),
        "{err}"
    );
    assert!(
        err.contains("FAIL GET /batches → 200 (expected 401 without a token)"),
        "{err}"
    );

    // Without --smoke-url on the emulator: skipped, with the reason.
    run(d.session.smoke(&d.templates, &SmokeOptions::default())).unwrap();
    assert!(d
        .session
        .ui
        .transcript()
        .contains("smoke: skipped: the emulator serves no execute-api traffic"));
}

fn cli(d: &Deployed, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .envs(d.moto.aws_env())
        .env("CI", "1")
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
