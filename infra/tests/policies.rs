//! Policy-as-code: deliberately bad stacks fail with the rule, stack and resource named.
use cfn_core::iam::{actions, Statement};
use cfn_core::{Expr, LogicalId, RawResource, Resource};
use constructs::alarm::Alarm;
use constructs::function::Function;
use constructs::role::Role;
use constructs::{Grantable, Stack};
use infra::stacks::stage::Stage;
use infra::synth_stage;
use toolkit::policy::{Policies, Violation};
use toolkit::synth::limits::{self, Finding};
use toolkit::synth::pipeline::{self, Failure};
use toolkit::synth::SynthesizedStack;

fn policies() -> Policies {
    Policies::load(&infra::APP.policies_path()).expect("policies/ loads")
}

/// The real dev stage with one stack swapped for (or added as) `bad`.
fn dev_with(bad: Stack) -> Vec<SynthesizedStack> {
    let mut stacks = synth_stage(Stage::Dev).unwrap();
    let bad = bad.synthesize();
    match stacks.iter_mut().find(|s| s.name == bad.name) {
        Some(slot) => *slot = bad,
        None => stacks.push(bad),
    }
    stacks
}

fn violations(stacks: &[SynthesizedStack], stage: &str) -> Vec<Violation> {
    policies().check_stage(stage, stacks).unwrap()
}

fn bad_stack(stage: Stage) -> Stack {
    Stack::new("Bad", &stage.config(), "deliberately non-compliant")
}

#[test]
fn the_real_stages_pass_every_rule() {
    for stage in Stage::ALL {
        let stacks = synth_stage(stage).unwrap();
        assert_eq!(violations(&stacks, stage.name()), vec![], "{stage}");
    }
}

#[test]
fn an_unencrypted_public_bucket_fails_with_rule_stack_and_resource() {
    let mut stack = bad_stack(Stage::Dev);
    stack.add_resource(
        LogicalId::new("Leaky").unwrap(),
        Resource::raw(&RawResource::new("AWS::S3::Bucket").property("BucketName", "leaky")),
    );
    let found = violations(&dev_with(stack), "dev");
    let rules: Vec<(&str, &str, Option<&str>)> = found
        .iter()
        .map(|v| (v.rule.as_str(), v.stack.as_str(), v.resource.as_deref()))
        .collect();
    assert!(
        rules.contains(&("S3_PUBLIC_ACCESS_BLOCKED", "Bad", Some("Leaky"))),
        "{found:#?}"
    );
    assert!(
        rules.contains(&("S3_ENCRYPTED", "Bad", Some("Leaky"))),
        "{found:#?}"
    );
    assert!(rules.iter().any(|r| r.0 == "S3_TLS_ONLY"), "{found:#?}");
    let shown = found
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        shown.contains("S3_ENCRYPTED in stack Bad, resource Leaky: S3 buckets must have default server-side encryption"),
        "{shown}"
    );
}

#[test]
fn a_wildcard_resource_in_an_allow_statement_fails() {
    let mut stack = bad_stack(Stage::Dev);
    let mut greedy = Role::for_service(
        LogicalId::new("Greedy").unwrap(),
        "lambda.amazonaws.com",
        "reads any table",
    );
    greedy.grant(Statement::allow(
        &[actions::dynamodb::GET_ITEM],
        vec![Expr::from("*")],
    ));
    greedy.render(&mut stack);
    let found = violations(&dev_with(stack), "dev");
    assert!(
        found
            .iter()
            .any(|v| v.rule == "IAM_NO_WILDCARD" && v.resource.as_deref() == Some("Greedy")),
        "{found:#?}"
    );
}

#[test]
fn prod_data_that_is_not_retained_fails_only_in_prod() {
    let build = |stage: Stage| {
        let mut stack = bad_stack(stage);
        constructs::Table::new(&stack, "scratch", "PK").add_to(&mut stack);
        // Undo the construct's stage default to simulate a hand-edited table.
        let table = stack
            .template
            .resources
            .get_mut(&LogicalId::new("Scratch").unwrap())
            .unwrap();
        table.retain(false);
        stack
    };
    let prod = violations(&dev_with(build(Stage::Prod)), "prod");
    assert!(
        prod.iter()
            .any(|v| v.rule == "PROD_DATA_RETAINED" && v.resource.as_deref() == Some("Scratch")),
        "{prod:#?}"
    );
    let dev = violations(&dev_with(build(Stage::Dev)), "dev");
    assert!(
        dev.iter().all(|v| v.rule != "PROD_DATA_RETAINED"),
        "{dev:#?}"
    );
}

#[test]
fn a_function_without_an_errors_alarm_fails_the_stage() {
    let mut stack = bad_stack(Stage::Dev);
    Function::new(&stack, "orphan", "no alarm watches this one").add_to(&mut stack);
    let found = violations(&dev_with(stack), "dev");
    assert!(
        found.iter().any(|v| v.rule == "LAMBDA_ERRORS_ALARM"),
        "{found:#?}"
    );
}

/// The processor's alarm as it was: "more than 10 errors in a minute" on a function run
/// every 5 minutes (at most 1 + 1 retry attempts per run) can never fire.
#[test]
fn the_old_processor_alarm_is_rejected_as_unreachable() {
    let mut stack = bad_stack(Stage::Dev);
    let topic = Expr::from("arn:aws:sns:eu-west-1:123456789012:alerts");
    Alarm::lambda_errors("bubblebatch-dev-reminder-processor", 10.0).add_to(&mut stack, &topic);
    let found = violations(&dev_with(stack), "dev");
    let unreachable: Vec<&Violation> = found
        .iter()
        .filter(|v| v.rule == "ALARM_REACHABLE")
        .collect();
    assert_eq!(unreachable.len(), 1, "{found:#?}");
    assert_eq!(unreachable[0].stack, "Bad");
    assert_eq!(
        unreachable[0].resource.as_deref(),
        Some("BubblebatchDevReminderProcessorErrorsAlarm")
    );
    assert!(
        unreachable[0].message.contains(
            "runs once every 300 s (rate(5 minutes)) with at most 2 attempts per run, so at most 2 in a 60 s period, never above the threshold 10"
        ),
        "{}",
        unreachable[0].message
    );
}

#[test]
fn a_stage_without_a_budget_fails() {
    let stacks: Vec<SynthesizedStack> = synth_stage(Stage::Dev)
        .unwrap()
        .into_iter()
        .filter(|s| s.name != "Monitoring")
        .collect();
    let found = violations(&stacks, "dev");
    assert!(
        found.iter().any(|v| v.rule == "BUDGET_PRESENT"),
        "{found:#?}"
    );
}

#[test]
fn a_suppression_needs_a_reason_and_then_silences_only_its_rule() {
    let leaky = LogicalId::new("Leaky").unwrap();
    let mut stack = bad_stack(Stage::Dev);
    stack.add_resource(
        leaky.clone(),
        Resource::raw(&RawResource::new("AWS::S3::Bucket").property("BucketName", "leaky")),
    );
    stack.suppress(&leaky, "S3_ENCRYPTED", "test fixture: holds nothing");
    let found = violations(&dev_with(stack.clone()), "dev");
    assert!(found.iter().all(|v| v.rule != "S3_ENCRYPTED"), "{found:#?}");
    assert!(
        found.iter().any(|v| v.rule == "S3_PUBLIC_ACCESS_BLOCKED"),
        "{found:#?}"
    );

    // A reason removed by hand (e.g. an edited template) is itself a violation.
    let resource = stack.template.resources.get_mut(&leaky).unwrap();
    resource.metadata.remove("SuppressionReasons");
    let found = violations(&dev_with(stack), "dev");
    assert!(
        found
            .iter()
            .any(|v| v.rule == "SUPPRESSION_HAS_REASON" && v.resource.as_deref() == Some("Leaky")),
        "{found:#?}"
    );
}

#[test]
#[should_panic(expected = "needs a reason")]
fn suppressing_without_a_reason_is_refused() {
    let mut stack = bad_stack(Stage::Dev);
    let id = LogicalId::new("Leaky").unwrap();
    stack.add_resource(
        id.clone(),
        Resource::raw(&RawResource::new("AWS::S3::Bucket")),
    );
    stack.suppress(&id, "S3_ENCRYPTED", "  ");
}

fn stack_with_resources(count: usize) -> SynthesizedStack {
    let mut stack = bad_stack(Stage::Dev);
    for i in 0..count {
        stack.add_resource(
            LogicalId::new(format!("Queue{i}")).unwrap(),
            Resource::raw(
                &RawResource::new("AWS::SQS::Queue").property("SqsManagedSseEnabled", true),
            ),
        );
    }
    stack.synthesize()
}

#[test]
fn resource_limits_warn_at_400_and_fail_at_500() {
    assert!(limits::check("dev", &stack_with_resources(399)).is_empty());
    assert!(
        matches!(&limits::check("dev", &stack_with_resources(400))[0], Finding::Warning(w) if w.contains("400 resources"))
    );
    let failing = stack_with_resources(500);
    assert!(
        matches!(&limits::check("dev", &failing)[0], Finding::Error(e) if e.contains("at most 500"))
    );
    let outcome = pipeline::check("dev", &[failing], &policies()).unwrap();
    assert!(matches!(outcome, Err(Failure::Limits(_))));
}

#[test]
fn templates_over_51200_bytes_are_reported_for_s3_upload() {
    let big = stack_with_resources(450);
    assert!(big.template_json.len() > limits::INLINE_TEMPLATE_BYTES);
    let findings = limits::check("dev", &big);
    assert!(findings
        .iter()
        .any(|f| matches!(f, Finding::Note(n) if n.contains("uploads it to the assets bucket"))));
}

/// A checkov skip goes through the same `suppress` call and is refused without a reason
/// when edited by hand.
#[test]
fn a_checkov_skip_is_written_for_checkov_and_needs_a_reason() {
    let id = LogicalId::new("Leaky").unwrap();
    let mut stack = bad_stack(Stage::Dev);
    stack.add_resource(
        id.clone(),
        Resource::raw(&RawResource::new("AWS::SQS::Queue").property("SqsManagedSseEnabled", true)),
    );
    stack.suppress(&id, "CKV_AWS_27", "test fixture: holds nothing");
    let resource = stack.template.resources.get_mut(&id).unwrap();
    assert_eq!(
        resource.metadata["checkov"]["skip"],
        serde_json::json!([{"id": "CKV_AWS_27", "comment": "test fixture: holds nothing"}])
    );
    resource.metadata.get_mut("checkov").unwrap()["skip"][0]["comment"] = serde_json::json!(" ");
    let found = violations(&dev_with(stack), "dev");
    assert!(
        found.iter().any(|v| v.rule == "SUPPRESSION_HAS_REASON"
            && v.resource.as_deref() == Some("Leaky")
            && v.message.contains("CKV_AWS_27")),
        "{found:#?}"
    );
}
