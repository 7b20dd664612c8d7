//! What the stacks declare: least-privilege grants, stage differences, the app's binaries.
use infra::stacks::stage::Stage;
use infra::synth_stage;
use serde_json::Value;
use std::collections::BTreeMap;
use toolkit::synth::report::{permissions, FunctionPermissions};
use toolkit::synth::SynthesizedStack;

fn stage(stage: Stage) -> Vec<SynthesizedStack> {
    synth_stage(stage).expect("synth")
}

fn template(stacks: &[SynthesizedStack], name: &str) -> Value {
    let stack = stacks
        .iter()
        .find(|s| s.name == name)
        .expect("stack exists");
    serde_json::from_str(&stack.template_json).unwrap()
}

fn resources_of_type<'a>(template: &'a Value, resource_type: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == resource_type)
        .collect()
}

/// The actions come from the contract's per-function permissions (what the code calls);
/// `tests/contract.rs` also checks each action's resource and the removal of one.
#[test]
fn each_function_gets_exactly_the_actions_the_contract_declares() {
    let report: BTreeMap<String, FunctionPermissions> = permissions(&stage(Stage::Dev))
        .into_iter()
        .map(|f| {
            (
                f.function
                    .trim_start_matches("bubblebatch-dev-")
                    .to_string(),
                f,
            )
        })
        .collect();
    // Every function writes its own logs (the runtime does, not the code).
    let logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
    let mut declared: Vec<&str> = contract::Function::ALL.iter().map(|f| f.binary()).collect();
    declared.sort();
    let synthesized: Vec<&str> = report.keys().map(String::as_str).collect();
    assert_eq!(synthesized, declared, "functions");
    for function in contract::Function::ALL {
        let mut want: Vec<String> = function
            .permissions()
            .iter()
            .flat_map(|p| p.actions())
            .chain(logs)
            .map(str::to_string)
            .collect();
        want.sort();
        want.dedup();
        assert_eq!(
            report[function.binary()].actions(),
            want,
            "actions of {function}"
        );
    }
}

#[test]
fn grants_are_scoped_to_the_resource_never_a_wildcard() {
    for function in permissions(&stage(Stage::Prod)) {
        for line in &function.statements {
            for resource in &line.resources {
                assert_ne!(resource, "*", "{} has Resource *", function.function);
                assert!(
                    resource.starts_with("arn:aws:"),
                    "{}: {resource}",
                    function.function
                );
            }
            assert!(line.actions.iter().all(|a| !a.contains('*')));
        }
        let by_service = |prefix: &str| -> Vec<&String> {
            function
                .statements
                .iter()
                .filter(|l| l.actions.iter().any(|a| a.starts_with(prefix)))
                .flat_map(|l| &l.resources)
                .collect()
        };
        for resource in by_service("dynamodb:") {
            assert!(
                resource.contains(":table/bubblebatch-prod-table"),
                "{resource}"
            );
        }
        for resource in by_service("s3:") {
            assert!(
                resource.ends_with("/users/*"),
                "photos only under users/: {resource}"
            );
        }
        for resource in by_service("logs:") {
            let own = format!("log-group:/aws/lambda/{}:*", function.function);
            assert!(
                resource.ends_with(&own),
                "logs only to its own group: {resource}"
            );
        }
    }
    let public = permissions(&stage(Stage::Dev))
        .into_iter()
        .find(|f| f.function == "bubblebatch-dev-public")
        .unwrap();
    let resources: Vec<&String> = public
        .statements
        .iter()
        .flat_map(|l| &l.resources)
        .collect();
    assert!(resources
        .iter()
        .any(|r| r.ends_with("table/bubblebatch-dev-table/index/GSI1")));
}

#[test]
fn the_schedule_role_may_invoke_only_the_reminder_processor() {
    let scheduler = template(&stage(Stage::Dev), "Scheduler");
    let role = &scheduler["Resources"]["RemindersScheduleRole"]["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "scheduler.amazonaws.com");
    assert_eq!(
        trust["Condition"]["StringEquals"]["aws:SourceAccount"]["Ref"],
        "AWS::AccountId"
    );
    let statements = role["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let invoke: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Action"][0] == "lambda:InvokeFunction")
        .collect();
    assert_eq!(invoke.len(), 1);
    assert_eq!(
        invoke[0]["Resource"],
        serde_json::json!([{"Fn::GetAtt": ["ReminderProcessorFunction", "Arn"]}])
    );
    let schedule = &scheduler["Resources"]["RemindersSchedule"]["Properties"];
    assert_eq!(schedule["ScheduleExpression"], "rate(5 minutes)");
}

#[test]
fn stages_differ_where_the_spec_says() {
    for (stage_name, retention, retain, pitr) in [
        (Stage::Dev, 14, "Delete", false),
        (Stage::Prod, 30, "Retain", true),
    ] {
        let stacks = stage(stage_name);
        for stack in ["Api", "Scheduler"] {
            let t = template(&stacks, stack);
            for (id, group) in resources_of_type(&t, "AWS::Logs::LogGroup") {
                assert_eq!(
                    group["Properties"]["RetentionInDays"], retention,
                    "{stack}/{id}"
                );
            }
        }
        let data = template(&stacks, "Data");
        let table = &data["Resources"]["Table"];
        assert_eq!(table["DeletionPolicy"], retain);
        assert_eq!(table["UpdateReplacePolicy"], retain);
        assert_eq!(
            table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
            pitr
        );
        assert_eq!(table["Properties"]["BillingMode"], "PAY_PER_REQUEST");
        let bucket = &data["Resources"]["PhotosBucket"];
        assert_eq!(bucket["DeletionPolicy"], retain);
        assert_eq!(
            bucket["Properties"]["VersioningConfiguration"].is_object(),
            pitr
        );
        let auth = template(&stacks, "Auth");
        assert_eq!(auth["Resources"]["Users"]["DeletionPolicy"], retain);
    }
}

#[test]
fn api_has_the_thirteen_routes_with_auth_only_where_due() {
    let api = template(&stage(Stage::Dev), "Api");
    let mut routes: Vec<(String, String)> = resources_of_type(&api, "AWS::ApiGatewayV2::Route")
        .into_iter()
        .map(|(_, r)| {
            (
                r["Properties"]["RouteKey"].as_str().unwrap().to_string(),
                r["Properties"]["AuthorizationType"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    routes.sort();
    let open = [
        "POST /auth/login",
        "POST /auth/verify",
        "GET /public/b/{batchId}",
    ];
    assert_eq!(routes.len(), 13);
    for (key, auth) in &routes {
        let expected = if open.contains(&key.as_str()) {
            "NONE"
        } else {
            "JWT"
        };
        assert_eq!(auth, expected, "{key}");
    }
    let stage = &resources_of_type(&api, "AWS::ApiGatewayV2::Stage")[0].1["Properties"];
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingRateLimit"], 1000.0);
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingBurstLimit"], 2000);
    for (_, integration) in resources_of_type(&api, "AWS::ApiGatewayV2::Integration") {
        assert_eq!(integration["Properties"]["PayloadFormatVersion"], "2.0");
    }
    for (_, function) in resources_of_type(&api, "AWS::Lambda::Function") {
        assert_eq!(function["Properties"]["Runtime"], "provided.al2023");
        assert_eq!(
            function["Properties"]["Architectures"],
            serde_json::json!(["arm64"])
        );
    }
}

#[test]
fn stacks_share_values_through_ssm_parameters_never_exports() {
    for stacks in [stage(Stage::Dev), stage(Stage::Prod)] {
        for stack in &stacks {
            assert!(
                !stack.template_json.contains("Fn::ImportValue"),
                "{}",
                stack.name
            );
            assert!(
                !stack.template_json.contains("\"Export\""),
                "{}",
                stack.name
            );
        }
        let api = template(&stacks, "Api");
        assert_eq!(
            api["Parameters"]["UserPoolId"]["Type"],
            "AWS::SSM::Parameter::Value<String>"
        );
        let auth = template(&stacks, "Auth");
        let published = &auth["Resources"]["UserPoolIdParameter"]["Properties"]["Name"];
        assert_eq!(&api["Parameters"]["UserPoolId"]["Default"], published);
    }
}

#[test]
fn templates_do_not_depend_on_app_code() {
    // Code location is a parameter; nothing in a template names a build artefact.
    for stack in stage(Stage::Dev) {
        assert!(!stack.template_json.contains(".zip\""), "{}", stack.name);
        for code in &stack.lambda_code {
            let t: Value = serde_json::from_str(&stack.template_json).unwrap();
            assert!(t["Parameters"][&code.key_parameter]["Default"].is_null());
        }
    }
}

#[test]
fn declared_lambdas_match_the_app_binaries() {
    let manifest: toml::Value = toml::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/Cargo.toml"))
            .unwrap(),
    )
    .unwrap();
    let not_lambdas: Vec<&str> = manifest["package"]["metadata"]["bubblebatch"]["not-lambdas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut binaries: Vec<String> = manifest["bin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .filter(|name| !not_lambdas.contains(&name.as_str()))
        .collect();
    binaries.sort();
    for stage_name in Stage::ALL {
        let mut declared: Vec<String> = stage(stage_name)
            .iter()
            .flat_map(|s| s.lambda_code.iter().map(|c| c.binary.clone()))
            .collect();
        declared.sort();
        assert_eq!(
            declared, binaries,
            "stacks of {stage_name} vs app/Cargo.toml [[bin]]"
        );
    }
}

/// Each open route has the stage's own limit in the API stage's route settings, and
/// only the functions behind open routes reserve concurrency, sized from those limits.
#[test]
fn open_routes_are_throttled_per_stage_and_their_functions_reserve_concurrency() {
    for which in Stage::ALL {
        let config = which.config();
        let api = template(&stage(which), "Api");
        let (_, api_stage) = resources_of_type(&api, "AWS::ApiGatewayV2::Stage")[0];
        let settings = api_stage["Properties"]["RouteSettings"]
            .as_object()
            .expect("route settings");
        let keys: Vec<&str> = settings.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "GET /public/b/{batchId}",
                "POST /auth/login",
                "POST /auth/verify"
            ],
            "{which}"
        );
        for limits in settings.values() {
            assert_eq!(
                limits["ThrottlingRateLimit"], config.open_route_throttle.rate_limit,
                "{which}"
            );
            assert_eq!(
                limits["ThrottlingBurstLimit"], config.open_route_throttle.burst_limit,
                "{which}"
            );
        }
        let per_route = config.open_route_throttle.concurrency(2.0);
        let reserved: BTreeMap<&str, u64> = resources_of_type(&api, "AWS::Lambda::Function")
            .into_iter()
            .filter_map(|(_, f)| {
                let p = &f["Properties"];
                Some((
                    p["FunctionName"].as_str()?,
                    p["ReservedConcurrentExecutions"].as_u64()?,
                ))
            })
            .collect();
        let name = |binary: &str| config.physical_name(binary);
        let expected = BTreeMap::from([
            (name("auth"), u64::from(2 * per_route)),
            (name("public"), u64::from(per_route)),
        ]);
        let reserved: BTreeMap<String, u64> = reserved
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(reserved, expected, "{which}");
    }
}

/// Logs and dead letters are evidence: prod keeps every log group (functions and API
/// access logs) and queue when its stack goes or it is replaced; dev deletes them.
#[test]
fn prod_retains_log_groups_and_queues_dev_deletes_them() {
    for (which, policy) in [(Stage::Prod, "Retain"), (Stage::Dev, "Delete")] {
        let stacks = stage(which);
        let mut seen = 0;
        for stack in &stacks {
            let template = template(&stacks, &stack.name);
            for kind in ["AWS::Logs::LogGroup", "AWS::SQS::Queue"] {
                for (id, resource) in resources_of_type(&template, kind) {
                    seen += 1;
                    assert_eq!(resource["DeletionPolicy"], policy, "{which} {id}");
                    assert_eq!(resource["UpdateReplacePolicy"], policy, "{which} {id}");
                }
            }
        }
        // 8 function log groups, the API's access logs, the schedule's dead-letter queue.
        assert_eq!(seen, 10, "{which}");
    }
}

/// The photos bucket logs its accesses into a log bucket that only S3's logging service
/// may write to, for the photos bucket of this account only, and that expires its logs.
#[test]
fn photos_bucket_access_is_logged_into_an_expiring_log_bucket() {
    let stacks = stage(Stage::Prod);
    let data = template(&stacks, "Data");
    let r = &data["Resources"];
    let logging = &r["PhotosBucket"]["Properties"]["LoggingConfiguration"];
    assert_eq!(logging["DestinationBucketName"]["Ref"], "AccessLogsBucket");
    assert_eq!(logging["LogFilePrefix"], "photos/");
    let log_bucket = &r["AccessLogsBucket"]["Properties"];
    assert_eq!(
        log_bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"],
        90
    );
    let statements = r["AccessLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let delivery = statements
        .iter()
        .find(|s| s["Principal"]["Service"] == "logging.s3.amazonaws.com")
        .expect("log delivery statement");
    assert_eq!(delivery["Action"], serde_json::json!(["s3:PutObject"]));
    assert!(delivery["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
        .as_str()
        .unwrap()
        .contains("bubblebatch-prod-photos-"));
}
