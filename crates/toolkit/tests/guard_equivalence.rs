//! The built-in Guard evaluator reports exactly what cfn-guard 3.2.1 reports — same
//! rules, stacks, resources and messages — on the committed stages and on templates
//! broken in every way the policies look for. Needs `--features toolkit/guard-reference`
//! (CI's `--all-features` has it).
#![cfg(feature = "guard-reference")]
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use toolkit::policy::Policies;
use toolkit::synth::SynthesizedStack;

const STACKS: [&str; 5] = ["Auth", "Data", "Api", "Scheduler", "Monitoring"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn policies() -> Policies {
    Policies::load(&repo().join("policies")).unwrap()
}

/// The committed templates of a stage, as JSON to break.
fn stage(name: &str) -> Vec<(String, Value)> {
    STACKS
        .iter()
        .map(|stack| {
            let path = repo().join(format!("stacks/{name}/{stack}.json"));
            let text = std::fs::read_to_string(&path).unwrap();
            (stack.to_string(), serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn synthesized(templates: &[(String, Value)]) -> Vec<SynthesizedStack> {
    templates
        .iter()
        .map(|(name, template)| SynthesizedStack::new(name, &name.to_lowercase(), template.clone()))
        .collect()
}

/// Both evaluators agree; returns the violations as `rule stack resource: message` lines.
fn agree(stage_name: &str, templates: &[(String, Value)]) -> Vec<String> {
    let stacks = synthesized(templates);
    let policies = policies();
    let ours = policies.check_stage(stage_name, &stacks).unwrap();
    let guard = policies
        .check_stage_with_cfn_guard(stage_name, &stacks)
        .unwrap();
    assert_eq!(
        ours, guard,
        "built-in evaluator (left) vs cfn-guard (right)"
    );
    ours.iter().map(ToString::to_string).collect()
}

/// Where cfn-guard 3.2.1 writes a report that is not JSON (synth used to stop with
/// "cannot read the cfn-guard report"), the built-in evaluator still names the failure.
fn guard_report_unreadable(stage_name: &str, templates: &[(String, Value)]) -> Vec<String> {
    let stacks = synthesized(templates);
    let policies = policies();
    let error = policies
        .check_stage_with_cfn_guard(stage_name, &stacks)
        .expect_err("cfn-guard's report is unreadable here");
    assert!(
        format!("{error:#}").contains("report is not JSON"),
        "{error:#}"
    );
    let ours = policies.check_stage(stage_name, &stacks).unwrap();
    ours.iter().map(ToString::to_string).collect()
}

fn resource<'a>(templates: &'a mut [(String, Value)], stack: &str, id: &str) -> &'a mut Value {
    let (_, template) = templates.iter_mut().find(|(n, _)| n == stack).unwrap();
    &mut template["Resources"][id]
}

fn add(templates: &mut [(String, Value)], stack: &str, id: &str, value: Value) {
    let (_, template) = templates.iter_mut().find(|(n, _)| n == stack).unwrap();
    template["Resources"][id] = value;
}

/// The Data stack's bucket policies: the photos bucket's and its access-log bucket's.
const DATA_BUCKET_POLICIES: [&str; 2] = ["PhotosBucketPolicy", "AccessLogsBucketPolicy"];

fn remove(value: &mut Value, key: &str) {
    value.as_object_mut().unwrap().remove(key);
}

/// Breaks the dev (or prod) stage one way, checks agreement and that something failed.
fn broken(stage_name: &str, rule: &str, breaking: impl FnOnce(&mut Vec<(String, Value)>)) {
    let mut templates = stage(stage_name);
    breaking(&mut templates);
    let found = agree(stage_name, &templates);
    assert!(
        found.iter().any(|v| v.starts_with(&format!("{rule} "))),
        "expected {rule}: {found:#?}"
    );
}

#[test]
fn committed_stages_pass_in_both() {
    for stage_name in ["dev", "prod"] {
        assert_eq!(agree(stage_name, &stage(stage_name)), Vec::<String>::new());
    }
}

#[test]
fn buckets() {
    broken("dev", "S3_PUBLIC_ACCESS_BLOCKED", |t| {
        remove(
            &mut resource(t, "Data", "PhotosBucket")["Properties"],
            "PublicAccessBlockConfiguration",
        )
    });
    broken("dev", "S3_PUBLIC_ACCESS_BLOCKED", |t| {
        resource(t, "Data", "PhotosBucket")["Properties"]["PublicAccessBlockConfiguration"]
            ["BlockPublicAcls"] = json!(false)
    });
    broken("dev", "S3_PUBLIC_ACCESS_BLOCKED", |t| {
        resource(t, "Data", "PhotosBucket")["Properties"]["PublicAccessBlockConfiguration"]
            ["IgnorePublicAcls"] = json!("true")
    });
    broken("dev", "S3_ENCRYPTED", |t| {
        remove(
            &mut resource(t, "Data", "PhotosBucket")["Properties"],
            "BucketEncryption",
        )
    });
    broken("dev", "S3_ENCRYPTED", |t| {
        resource(t, "Data", "PhotosBucket")["Properties"]["BucketEncryption"]
            ["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["SSEAlgorithm"] = json!("none")
    });
    broken("dev", "S3_ENCRYPTED", |t| {
        resource(t, "Data", "PhotosBucket")["Properties"]["BucketEncryption"]
            ["ServerSideEncryptionConfiguration"] = json!([])
    });
    broken("dev", "S3_TLS_ONLY", |t| {
        // Every bucket policy of the stack: the rule asks for one where there are buckets.
        let (_, data) = t.iter_mut().find(|(n, _)| n == "Data").unwrap();
        for policy in DATA_BUCKET_POLICIES {
            remove(&mut data["Resources"], policy);
        }
    });
    // The rule looks at the stack's bucket policies together: each is broken.
    broken("dev", "S3_TLS_ONLY_STATEMENT", |t| {
        for policy in DATA_BUCKET_POLICIES {
            let statements =
                &mut resource(t, "Data", policy)["Properties"]["PolicyDocument"]["Statement"];
            for statement in statements.as_array_mut().unwrap() {
                statement["Effect"] = json!("Allow");
            }
        }
    });
    broken("dev", "S3_TLS_ONLY_STATEMENT", |t| {
        for policy in DATA_BUCKET_POLICIES {
            remove(
                &mut resource(t, "Data", policy)["Properties"],
                "PolicyDocument",
            )
        }
    });
    // A second stack with a bare bucket, a suppressed one, and one whose suppression lost its reason.
    broken("dev", "S3_ENCRYPTED", |t| {
        t.push(("Bad".into(), json!({"Resources": {
            "Leaky": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "leaky"}},
            "Excused": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "excused"},
                "Metadata": {"guard": {"SuppressedRules": ["S3_ENCRYPTED", "S3_PUBLIC_ACCESS_BLOCKED"]},
                             "SuppressionReasons": {"S3_ENCRYPTED": "fixture"}}},
            "Other": {"Type": "AWS::S3::Bucket",
                "Metadata": {"guard": {"SuppressedRules": ["SQS_ENCRYPTED"]}}}
        }})));
    });
}

#[test]
fn tables_and_queues() {
    broken("dev", "DYNAMODB_ENCRYPTED", |t| {
        remove(
            &mut resource(t, "Data", "Table")["Properties"],
            "SSESpecification",
        )
    });
    broken("dev", "DYNAMODB_ENCRYPTED", |t| {
        resource(t, "Data", "Table")["Properties"]["SSESpecification"]["SSEEnabled"] = json!(false)
    });
    broken("dev", "SQS_ENCRYPTED", |t| {
        remove(
            &mut resource(t, "Scheduler", "RemindersScheduleDeadLetterQueue")["Properties"],
            "SqsManagedSseEnabled",
        )
    });
    // One queue encrypted one way, one the other: each clause of the `or` fails on one.
    broken("dev", "SQS_ENCRYPTED", |t| {
        add(
            t,
            "Scheduler",
            "KmsQueue",
            json!({"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": "alias/aws/sqs"}}),
        );
    });
    let mut both_kms = stage("dev");
    remove(
        &mut resource(
            &mut both_kms,
            "Scheduler",
            "RemindersScheduleDeadLetterQueue",
        )["Properties"],
        "SqsManagedSseEnabled",
    );
    resource(
        &mut both_kms,
        "Scheduler",
        "RemindersScheduleDeadLetterQueue",
    )["Properties"]["KmsMasterKeyId"] = json!("k");
    assert_eq!(agree("dev", &both_kms), Vec::<String>::new());
}

#[test]
fn roles() {
    let statement = |t: &mut Vec<(String, Value)>| -> Value {
        resource(t, "Api", "BatchesFunctionRole")["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"][0]
            .clone()
    };
    let set = |t: &mut Vec<(String, Value)>, key: &str, value: Value| {
        resource(t, "Api", "BatchesFunctionRole")["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"][0][key] = value;
    };
    broken("dev", "IAM_NO_WILDCARD", |t| set(t, "Resource", json!("*")));
    broken("dev", "IAM_NO_WILDCARD", |t| {
        set(t, "Resource", json!(["arn:aws:s3:::b", "*"]))
    });
    broken("dev", "IAM_NO_WILDCARD", |t| {
        set(t, "Action", json!("s3:*"))
    });
    broken("dev", "IAM_NO_WILDCARD", |t| {
        set(t, "Action", json!(["s3:GetObject", "dynamodb:*"]))
    });
    broken("dev", "IAM_NO_WILDCARD", |t| {
        set(t, "Action", json!("*"));
        set(t, "Resource", json!("*"));
    });
    broken("dev", "IAM_NO_WILDCARD", |t| {
        let mut s = statement(t);
        remove(&mut s, "Resource");
        set(t, "Resource", Value::Null);
        resource(t, "Api", "BatchesFunctionRole")["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"][0] = s;
    });
    broken("dev", "IAM_NO_WILDCARD", |t| {
        remove(
            &mut resource(t, "Api", "AuthFunctionRole")["Properties"]["Policies"][0],
            "PolicyDocument",
        )
    });
    // Deny statements may say "*"; a suppressed role may too.
    let mut allowed = stage("dev");
    set(&mut allowed, "Effect", json!("Deny"));
    set(&mut allowed, "Resource", json!("*"));
    let role = resource(&mut allowed, "Api", "AuthFunctionRole");
    role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"] = json!("*");
    role["Metadata"] = json!({"guard": {"SuppressedRules": ["IAM_NO_WILDCARD"]}, "SuppressionReasons": {"IAM_NO_WILDCARD": "fixture"}});
    assert_eq!(agree("dev", &allowed), Vec::<String>::new());
}

#[test]
fn functions_and_logs() {
    broken("dev", "LAMBDA_LOG_GROUP", |t| {
        remove(
            &mut resource(t, "Api", "AuthFunction")["Properties"],
            "LoggingConfig",
        )
    });
    broken("dev", "LAMBDA_LOG_GROUP", |t| {
        resource(t, "Api", "AuthFunction")["Properties"]["LoggingConfig"]["LogGroup"] =
            json!("by-name")
    });
    broken("dev", "LOG_RETENTION", |t| {
        remove(
            &mut resource(t, "Api", "AuthFunctionLogGroup")["Properties"],
            "RetentionInDays",
        )
    });
}

#[test]
fn prod_retention() {
    for stage_name in ["prod", "dev"] {
        let mut templates = stage(stage_name);
        remove(resource(&mut templates, "Data", "Table"), "DeletionPolicy");
        resource(&mut templates, "Auth", "Users")["UpdateReplacePolicy"] = json!("Delete");
        let found = agree(stage_name, &templates);
        assert_eq!(
            found.iter().any(|v| v.starts_with("PROD_DATA_RETAINED")),
            stage_name == "prod",
            "{found:#?}"
        );
    }
}

#[test]
fn stage_rules() {
    broken("dev", "LAMBDA_ERRORS_ALARM", |t| {
        let (_, monitoring) = t.iter_mut().find(|(n, _)| n == "Monitoring").unwrap();
        remove(
            &mut monitoring["Resources"],
            "BubblebatchDevAuthErrorsAlarm",
        );
    });
    broken("dev", "LAMBDA_ERRORS_ALARM", |t| {
        remove(
            &mut resource(t, "Api", "ExportFunction")["Properties"],
            "FunctionName",
        )
    });
    // An errors alarm without dimensions leaves a value the rule cannot resolve: Guard
    // fails every function against it (cfn-guard's own report is then not even JSON).
    let mut no_dimensions = stage("dev");
    remove(
        &mut resource(
            &mut no_dimensions,
            "Monitoring",
            "BubblebatchDevAuthErrorsAlarm",
        )["Properties"],
        "Dimensions",
    );
    let found = guard_report_unreadable("dev", &no_dimensions);
    assert_eq!(found.len(), 8, "{found:#?}");
    assert!(
        found.iter().all(|v| v.starts_with("LAMBDA_ERRORS_ALARM ")),
        "{found:#?}"
    );
    // No errors alarm at all: nothing to compare with.
    broken("dev", "LAMBDA_ERRORS_ALARM", |t| {
        let (_, monitoring) = t.iter_mut().find(|(n, _)| n == "Monitoring").unwrap();
        for alarm in monitoring["Resources"]
            .as_object_mut()
            .unwrap()
            .values_mut()
        {
            if alarm["Properties"]["MetricName"] == "Errors" {
                alarm["Properties"]["MetricName"] = json!("Throttles");
            }
        }
    });
    broken("dev", "BUDGET_PRESENT", |t| {
        t.retain(|(n, _)| n != "Monitoring")
    });
    // A stack with no resources at all.
    broken("dev", "BUDGET_PRESENT", |t| {
        t.retain(|(n, _)| n != "Monitoring");
        t.push(("Empty".into(), json!({"Resources": {}})));
    });
}
