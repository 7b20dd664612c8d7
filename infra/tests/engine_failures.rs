//! The engine's failure, recovery and safety paths, driven by a scripted CloudFormation
//! (moto never produces rollbacks, in-progress stacks or throttling).
#![cfg(feature = "aws")]
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use infra::stacks::stage::Stage;
use toolkit::engine::cfn::*;
use toolkit::engine::deploy::{Engine, Outcome, Safety, StackDeployment, Timing};
use toolkit::engine::run::scripted_ui;
use toolkit::engine::stage_ops;
use toolkit::engine::ui::Ui;

struct Script {
    describe: VecDeque<CfnResult<Option<StackInfo>>>,
    template: String,
    create: VecDeque<CfnResult<String>>,
    change_set: ChangeSetInfo,
    execute: CfnResult<()>,
    events: Vec<StackEvent>,
    events_after_execute: Vec<StackEvent>,
    drifts: Vec<ResourceDrift>,
    calls: Vec<String>,
    /// Per stack name, a template other than `template` (stack refactorings rewrite them).
    templates: BTreeMap<String, String>,
    /// Stacks DescribeStacks does not find.
    missing: Vec<String>,
    refactors: Vec<RefactorRequest>,
    change_sets: Vec<ChangeSetRequest>,
    /// DescribeStackRefactor answers in turn (the last one repeats).
    refactor_info: VecDeque<RefactorInfo>,
}

struct ScriptedCfn(Mutex<Script>);

impl ScriptedCfn {
    fn new(describe: Vec<CfnResult<Option<StackInfo>>>, template: &str) -> ScriptedCfn {
        ScriptedCfn(Mutex::new(Script {
            describe: describe.into(),
            template: template.into(),
            create: VecDeque::new(),
            change_set: ChangeSetInfo {
                status: "CREATE_COMPLETE".into(),
                status_reason: None,
                changes: vec![],
            },
            execute: Ok(()),
            events: vec![],
            events_after_execute: vec![],
            drifts: vec![],
            calls: vec![],
            templates: BTreeMap::new(),
            missing: vec![],
            refactors: vec![],
            change_sets: vec![],
            refactor_info: VecDeque::from([
                RefactorInfo {
                    status: "CREATE_COMPLETE".into(),
                    execution_status: "AVAILABLE".into(),
                    ..Default::default()
                },
                RefactorInfo {
                    status: "CREATE_COMPLETE".into(),
                    execution_status: "EXECUTE_COMPLETE".into(),
                    ..Default::default()
                },
            ]),
        }))
    }
    fn with(self, f: impl FnOnce(&mut Script)) -> Self {
        f(&mut self.0.lock().unwrap());
        self
    }
    fn log(&self, call: impl Into<String>) {
        self.0.lock().unwrap().calls.push(call.into());
    }
    fn calls(&self) -> Vec<String> {
        self.0.lock().unwrap().calls.clone()
    }
    fn called(&self, name: &str) -> bool {
        self.calls().iter().any(|c| c.starts_with(name))
    }
}

impl Cfn for ScriptedCfn {
    async fn describe_stack(&self, name: &str) -> CfnResult<Option<StackInfo>> {
        self.log("DescribeStacks");
        let mut s = self.0.lock().unwrap();
        if s.missing.iter().any(|m| m == name) {
            return Ok(None);
        }
        if s.describe.len() > 1 {
            s.describe.pop_front().unwrap()
        } else {
            s.describe.front().cloned().expect("scripted describe")
        }
    }
    async fn get_template(&self, name: &str) -> CfnResult<String> {
        self.log("GetTemplate");
        let s = self.0.lock().unwrap();
        Ok(s.templates.get(name).unwrap_or(&s.template).clone())
    }
    async fn create_stack_refactor(&self, req: &RefactorRequest) -> CfnResult<String> {
        self.log("CreateStackRefactor");
        self.0.lock().unwrap().refactors.push(req.clone());
        Ok("refactor-1".into())
    }
    async fn describe_stack_refactor(&self, _id: &str) -> CfnResult<RefactorInfo> {
        self.log("DescribeStackRefactor");
        let mut s = self.0.lock().unwrap();
        if s.refactor_info.len() > 1 {
            Ok(s.refactor_info.pop_front().unwrap())
        } else {
            Ok(s.refactor_info.front().cloned().expect("scripted refactor"))
        }
    }
    async fn execute_stack_refactor(&self, _id: &str) -> CfnResult<()> {
        self.log("ExecuteStackRefactor");
        // The stacks now hold the refactoring's templates (and exist).
        let mut s = self.0.lock().unwrap();
        let req = s.refactors.last().cloned().expect("created first");
        s.missing.retain(|m| !req.stacks.contains_key(m));
        s.templates.extend(req.stacks);
        Ok(())
    }
    async fn create_change_set(&self, req: &ChangeSetRequest) -> CfnResult<String> {
        self.log(format!("CreateChangeSet:{:?}", req.kind));
        self.0.lock().unwrap().change_sets.push(req.clone());
        self.0
            .lock()
            .unwrap()
            .create
            .pop_front()
            .unwrap_or(Ok("cs-id".into()))
    }
    async fn describe_change_set(&self, _s: &str, _n: &str) -> CfnResult<ChangeSetInfo> {
        self.log("DescribeChangeSet");
        Ok(self.0.lock().unwrap().change_set.clone())
    }
    async fn execute_change_set(&self, _s: &str, _n: &str) -> CfnResult<()> {
        self.log("ExecuteChangeSet");
        let mut s = self.0.lock().unwrap();
        let mut fresh = std::mem::take(&mut s.events_after_execute);
        fresh.append(&mut s.events);
        s.events = fresh;
        s.execute.clone()
    }
    async fn delete_change_set(&self, _s: &str, _n: &str) -> CfnResult<()> {
        self.log("DeleteChangeSet");
        Ok(())
    }
    async fn stack_events(&self, _s: &str) -> CfnResult<Vec<StackEvent>> {
        Ok(self.0.lock().unwrap().events.clone())
    }
    async fn delete_stack(&self, _s: &str) -> CfnResult<()> {
        self.log("DeleteStack");
        Ok(())
    }
    async fn continue_update_rollback(&self, _s: &str) -> CfnResult<()> {
        self.log("ContinueUpdateRollback");
        Ok(())
    }
    async fn physical_id(&self, _s: &str, _l: &str) -> CfnResult<Option<String>> {
        Ok(None)
    }
    async fn detect_drift(&self, _s: &str) -> CfnResult<String> {
        self.log("DetectStackDrift");
        Ok("drift-1".into())
    }
    async fn drift_status(&self, _id: &str) -> CfnResult<DriftStatus> {
        Ok(DriftStatus {
            detection: "DETECTION_COMPLETE".into(),
            stack_drift: Some("DRIFTED".into()),
            reason: None,
        })
    }
    async fn resource_drifts(&self, _s: &str) -> CfnResult<Vec<ResourceDrift>> {
        Ok(self.0.lock().unwrap().drifts.clone())
    }
}

const OLD: &str = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
const NEW: &str =
    r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}}}}"#;

fn stack(status: &str) -> CfnResult<Option<StackInfo>> {
    Ok(Some(StackInfo {
        name: "bubblebatch-dev-data".into(),
        status: status.into(),
        ..Default::default()
    }))
}

fn event(id: &str, logical: &str, status: &str, reason: &str) -> StackEvent {
    StackEvent {
        event_id: id.into(),
        logical_id: logical.into(),
        resource_type: if logical == "bubblebatch-dev-data" {
            "AWS::CloudFormation::Stack"
        } else {
            "AWS::SNS::Topic"
        }
        .into(),
        status: status.into(),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    }
}

fn deployment(template: &str) -> StackDeployment {
    StackDeployment {
        name: "Data".into(),
        stack_name: "bubblebatch-dev-data".into(),
        template: template.into(),
        template_url: None,
        parameters: BTreeMap::new(),
        code_parameters: BTreeMap::new(),
        depends_on: vec![],
    }
}

fn timing() -> Timing {
    Timing {
        poll: Duration::from_millis(5),
        in_progress_wait: Duration::from_millis(60),
        change_set_wait: Duration::from_millis(200),
        stack_wait: Duration::from_millis(500),
        backoff: Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(4),
            attempts: 4,
        },
    }
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn deploy(
    cfn: &ScriptedCfn,
    ui: &Ui,
    stage: Stage,
    template: &str,
    safety: Safety,
) -> anyhow::Result<Outcome> {
    let engine = Engine::new(cfn, ui, timing(), stage.info());
    run(engine.deploy_stack(&deployment(template), safety, false))
}

const YES: Safety = Safety {
    yes: true,
    allow_replace: false,
};

#[test]
fn rollback_complete_after_failed_create_is_refused_without_yes() {
    let cfn = ScriptedCfn::new(vec![stack("ROLLBACK_COMPLETE")], OLD).with(|s| {
        s.events = vec![
            event("e3", "bubblebatch-dev-data", "ROLLBACK_COMPLETE", ""),
            event("e2", "Topic", "CREATE_FAILED", "Topic name already exists"),
        ]
    });
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, NEW, Safety::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ROLLBACK_COMPLETE after a failed first create"),
        "{err}"
    );
    assert!(
        err.contains("Topic name already exists"),
        "first failure reason: {err}"
    );
    assert!(err.contains("--yes"), "{err}");
    assert!(!cfn.called("DeleteStack"));
    assert!(!cfn.called("CreateChangeSet"));
}

#[test]
fn rollback_complete_is_deleted_and_recreated_with_yes() {
    let cfn = ScriptedCfn::new(
        vec![
            stack("ROLLBACK_COMPLETE"),
            Ok(None),
            Ok(None),
            stack("CREATE_COMPLETE"),
        ],
        OLD,
    );
    let ui = scripted_ui(false, &[]);
    let outcome = deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap();
    assert_eq!(outcome, Outcome::Created);
    let calls = cfn.calls();
    let del = calls
        .iter()
        .position(|c| c == "DeleteStack")
        .expect("deleted");
    let create = calls
        .iter()
        .position(|c| c == "CreateChangeSet:Create")
        .expect("recreated");
    assert!(del < create, "{calls:?}");
}

#[test]
fn prod_rollback_complete_needs_an_answer_not_yes() {
    let cfn = ScriptedCfn::new(vec![stack("ROLLBACK_COMPLETE")], OLD);
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Prod, NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("prod asks"), "{err}");
    assert!(!cfn.called("DeleteStack"));
}

#[test]
fn update_rollback_failed_continues_the_rollback_then_updates() {
    let cfn = ScriptedCfn::new(
        vec![
            stack("UPDATE_ROLLBACK_FAILED"),
            stack("UPDATE_ROLLBACK_COMPLETE"),
            stack("UPDATE_ROLLBACK_COMPLETE"),
            stack("UPDATE_COMPLETE"),
        ],
        OLD,
    );
    let ui = scripted_ui(false, &[]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap(),
        Outcome::Updated
    );
    let calls = cfn.calls();
    assert!(
        calls.contains(&"ContinueUpdateRollback".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"CreateChangeSet:Update".to_string()),
        "{calls:?}"
    );
    assert!(ui.transcript().contains("continuing the rollback"));
}

#[test]
fn update_rollback_failed_twice_explains_how_to_skip_resources() {
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_ROLLBACK_FAILED")], OLD)
        .with(|s| s.events = vec![event("e1", "Topic", "UPDATE_FAILED", "Access denied")]);
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--resources-to-skip"), "{err}");
    assert!(err.contains("Access denied"), "{err}");
}

#[test]
fn in_progress_stack_is_waited_for_then_refused() {
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_IN_PROGRESS")], OLD);
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("still UPDATE_IN_PROGRESS"), "{err}");
    assert!(err.contains("cancel-update-stack"), "{err}");
    assert!(
        cfn.calls()
            .iter()
            .filter(|c| *c == "DescribeStacks")
            .count()
            > 2,
        "it polled"
    );
    assert!(!cfn.called("CreateChangeSet"));
}

#[test]
fn in_progress_stack_that_finishes_is_deployed() {
    let cfn = ScriptedCfn::new(
        vec![
            stack("UPDATE_IN_PROGRESS"),
            stack("UPDATE_IN_PROGRESS"),
            stack("UPDATE_COMPLETE"),
        ],
        OLD,
    );
    let ui = scripted_ui(false, &[]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap(),
        Outcome::Updated
    );
}

#[test]
fn throttling_is_retried_with_backoff() {
    let throttled = || Err(CfnError::new("Throttling", "Rate exceeded"));
    let cfn = ScriptedCfn::new(
        vec![throttled(), throttled(), stack("UPDATE_COMPLETE")],
        OLD,
    );
    let ui = scripted_ui(false, &[]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap(),
        Outcome::Updated
    );
    let t = ui.transcript();
    assert!(t.contains("throttled on DescribeStacks"), "{t}");
    assert!(t.contains("retry 2"), "{t}");
}

#[test]
fn failed_execute_reports_status_and_next_step() {
    let cfn = ScriptedCfn::new(vec![Ok(None), stack("REVIEW_IN_PROGRESS")], OLD)
        .with(|s| s.execute = Err(CfnError::new("InternalFailure", "boom")));
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("executing the change set failed: InternalFailure: boom"),
        "{err}"
    );
    assert!(err.contains("Stack status: REVIEW_IN_PROGRESS"), "{err}");
    assert!(err.contains("deploy creates it anew"), "{err}");
}

#[test]
fn failed_update_names_the_first_failing_resource() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE"), stack("UPDATE_ROLLBACK_COMPLETE")],
        OLD,
    )
    .with(|s| {
        s.events = vec![event("old", "bubblebatch-dev-data", "UPDATE_COMPLETE", "")];
        s.events_after_execute = vec![
            event("n4", "bubblebatch-dev-data", "UPDATE_ROLLBACK_COMPLETE", ""),
            event("n3", "Other", "UPDATE_FAILED", "Resource update cancelled"),
            event(
                "n2",
                "Topic",
                "UPDATE_FAILED",
                "Invalid parameter: DisplayName",
            ),
            event("n1", "Topic", "UPDATE_IN_PROGRESS", ""),
        ];
    });
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Topic (AWS::SNS::Topic) UPDATE_FAILED: Invalid parameter: DisplayName"),
        "{err}"
    );
    assert!(
        err.contains("Stack status: UPDATE_ROLLBACK_COMPLETE"),
        "{err}"
    );
    assert!(err.contains("previous version is live"), "{err}");
    assert!(
        ui.transcript().contains("[Data] Topic UPDATE_IN_PROGRESS"),
        "events are followed"
    );
}

#[test]
fn unchanged_stack_creates_no_change_set() {
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], NEW);
    let ui = scripted_ui(false, &[]);
    // Same JSON, different formatting and key order.
    let reordered =
        r#"{"Resources":{"Topic":{"Properties":{"DisplayName":"x"},"Type":"AWS::SNS::Topic"}}}"#;
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, reordered, YES).unwrap(),
        Outcome::Unchanged
    );
    assert!(!cfn.called("CreateChangeSet"));
}

#[test]
fn empty_change_sets_are_no_ops_in_both_dialects() {
    // Real AWS: a FAILED change set that "didn't contain changes".
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], OLD).with(|s| {
        s.change_set.status = "FAILED".into();
        s.change_set.status_reason =
            Some("The submitted information didn't contain changes. Submit different information to create a change set.".into());
    });
    let ui = scripted_ui(false, &[]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap(),
        Outcome::Unchanged
    );
    assert!(cfn.called("DeleteChangeSet"));
    assert!(!cfn.called("ExecuteChangeSet"));
    // moto: HTTP 400 "No updates are to be performed."
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], OLD).with(|s| {
        s.create.push_back(Err(CfnError::new(
            "ValidationError",
            "No updates are to be performed.",
        )))
    });
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, NEW, YES).unwrap(),
        Outcome::Unchanged
    );
    assert!(!cfn.called("ExecuteChangeSet"));
}

const TABLE_OLD: &str = r#"{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}}}"#;
const TABLE_NEW: &str = r#"{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}}}"#;

#[test]
fn replacing_a_table_needs_allow_replace_not_yes() {
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], TABLE_OLD);
    let ui = scripted_ui(true, &["y", "y"]);
    let err = deploy(&cfn, &ui, Stage::Dev, TABLE_NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refusing to replace or delete stateful resources: Table (AWS::DynamoDB::Table, replace)"), "{err}");
    assert!(err.contains("--allow-replace"), "{err}");
    assert!(
        cfn.called("DeleteChangeSet"),
        "the refused change set is cleaned up"
    );
    assert!(!cfn.called("ExecuteChangeSet"));

    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], TABLE_OLD);
    let allow = Safety {
        yes: false,
        allow_replace: true,
    };
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, TABLE_NEW, allow).unwrap(),
        Outcome::Updated
    );
}

#[test]
fn change_set_replacement_verdict_wins_over_property_knowledge() {
    // A property change our table calls in-place, reported as a replacement by AWS.
    let old = r#"{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PROVISIONED"}}}}"#;
    let new = r#"{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}}}"#;
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], old).with(|s| {
        s.change_set.changes = vec![ChangeSetChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: "AWS::DynamoDB::Table".into(),
            replacement: Some("True".into()),
        }]
    });
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, new, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(
        ui.transcript().contains("replaced (change set)"),
        "{}",
        ui.transcript()
    );
}

#[test]
fn prod_replacement_also_needs_a_typed_confirmation() {
    let allow = Safety {
        yes: true,
        allow_replace: true,
    };
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], TABLE_OLD);
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Prod, TABLE_NEW, allow)
        .unwrap_err()
        .to_string();
    assert!(err.contains("typed confirmation"), "{err}");
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], TABLE_OLD);
    let ui = scripted_ui(true, &["bubblebatch-dev-data"]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Prod, TABLE_NEW, allow).unwrap(),
        Outcome::Updated
    );
}

const ROLE_OLD: &str = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}}}}}"#;
const ROLE_NEW: &str = r#"{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}, "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}}}}"#;

#[test]
fn iam_broadening_asks_yes_answers_in_dev_only() {
    // Non-interactive, no --yes: refused.
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], ROLE_OLD);
    let ui = scripted_ui(false, &[]);
    let err = deploy(&cfn, &ui, Stage::Dev, ROLE_NEW, Safety::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broadens IAM permissions (1 statement(s))"),
        "{err}"
    );
    assert!(!cfn.called("ExecuteChangeSet"));
    // --yes in dev: accepted.
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], ROLE_OLD);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Dev, ROLE_NEW, YES).unwrap(),
        Outcome::Updated
    );
    // --yes in prod: not enough.
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], ROLE_OLD);
    let err = deploy(&cfn, &ui, Stage::Prod, ROLE_NEW, YES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--yes does not apply"), "{err}");
    // A person answering yes in prod: accepted.
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], ROLE_OLD);
    let ui = scripted_ui(true, &["y"]);
    assert_eq!(
        deploy(&cfn, &ui, Stage::Prod, ROLE_NEW, Safety::default()).unwrap(),
        Outcome::Updated
    );
}

#[test]
fn drift_lists_drifted_resources() {
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], OLD).with(|s| {
        s.drifts = vec![ResourceDrift {
            logical_id: "Topic".into(),
            resource_type: "AWS::SNS::Topic".into(),
            status: "MODIFIED".into(),
            differences: vec!["DisplayName: x → y".into()],
        }]
    });
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let n = run(stage_ops::drift(&engine, &[deployment(OLD)])).unwrap();
    assert_eq!(n, 1);
    let t = ui.transcript();
    assert!(t.contains("Data: Topic (AWS::SNS::Topic) MODIFIED"), "{t}");
    assert!(t.contains("DisplayName: x → y"), "{t}");
}

#[test]
fn destroy_deletes_in_reverse_order_and_reports_delete_failed() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE"), stack("DELETE_FAILED")],
        r#"{"Resources": {"Photos": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}"#,
    )
    .with(|s| {
        s.events = vec![event(
            "e1",
            "Photos",
            "DELETE_FAILED",
            "The bucket you tried to delete is not empty",
        )]
    });
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let err = run(stage_ops::destroy(&engine, &[deployment(OLD)]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("could not be deleted"), "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert!(
        ui.transcript().contains("keeping Photos (AWS::S3::Bucket)"),
        "{}",
        ui.transcript()
    );
}

#[test]
fn destroy_confirmation_rules() {
    use clap::Parser;
    use cli::aws_commands::EngineCommand;
    use cli::engine_commands::confirm_destroy;
    use toolkit::engine::ui::ScriptedPrompter;
    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: EngineCommand,
    }
    let args = |extra: &[&str]| {
        let mut v = vec!["infra", "destroy", "--stage", "prod"];
        v.extend_from_slice(extra);
        match Cli::parse_from(v).cmd {
            EngineCommand::Destroy(a) => a,
            _ => unreachable!(),
        }
    };
    let typed = ScriptedPrompter::new(true, &["destroy prod"]);
    assert!(
        !confirm_destroy(Stage::Prod.info(), &args(&["--yes"]), &typed),
        "prod needs --force"
    );
    let typed = ScriptedPrompter::new(true, &["destroy prod"]);
    assert!(confirm_destroy(
        Stage::Prod.info(),
        &args(&["--force"]),
        &typed
    ));
    let wrong = ScriptedPrompter::new(true, &["yes"]);
    assert!(!confirm_destroy(
        Stage::Prod.info(),
        &args(&["--force"]),
        &wrong
    ));
    let ci = ScriptedPrompter::new(false, &["destroy prod"]);
    assert!(
        !confirm_destroy(Stage::Prod.info(), &args(&["--force", "--yes"]), &ci),
        "never implied in CI"
    );
    assert!(confirm_destroy(Stage::Dev.info(), &args(&["--yes"]), &ci));
    assert!(!confirm_destroy(Stage::Dev.info(), &args(&[]), &ci));
}

#[test]
fn hotswap_only_when_nothing_but_code_changed() {
    use toolkit::engine::hotswap::{plan, HotswapPlan};
    let with_code = |key: &str| {
        let mut d = deployment(OLD);
        d.parameters.insert("ApiCodeKey".into(), key.into());
        d.parameters.insert("AssetsBucket".into(), "assets".into());
        d.code_parameters
            .insert("ApiCodeKey".into(), "bubblebatch-dev-api".into());
        d
    };
    let deployed = |key: &str| {
        Ok(Some(StackInfo {
            name: "bubblebatch-dev-data".into(),
            status: "UPDATE_COMPLETE".into(),
            parameters: [
                ("ApiCodeKey".to_string(), key.to_string()),
                ("AssetsBucket".to_string(), "assets".to_string()),
            ]
            .into(),
            ..Default::default()
        }))
    };
    let ui = scripted_ui(false, &[]);
    // Only the code key changed: one function to update.
    let cfn = ScriptedCfn::new(vec![deployed("lambda/a.zip")], OLD);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    match run(plan(&engine, &[with_code("lambda/b.zip")])).unwrap() {
        HotswapPlan::Functions(f) => {
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].function_name, "bubblebatch-dev-api");
            assert_eq!(f[0].old_key.as_deref(), Some("lambda/a.zip"));
        }
        other => panic!("{other:?}"),
    }
    // The template changed too: not a hotswap.
    let cfn = ScriptedCfn::new(vec![deployed("lambda/a.zip")], NEW);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    assert_eq!(
        run(plan(&engine, &[with_code("lambda/b.zip")])).unwrap(),
        HotswapPlan::NotPossible("Data: the template changed".into())
    );
    // Not deployed yet: not a hotswap.
    let cfn = ScriptedCfn::new(vec![Ok(None)], OLD);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    assert!(matches!(
        run(plan(&engine, &[with_code("lambda/b.zip")])).unwrap(),
        HotswapPlan::NotPossible(_)
    ));
}

#[test]
fn diff_with_change_sets_takes_aws_replacement_verdicts() {
    let old = r#"{"Parameters": {"ApiCodeKey": {"Type": "String"}}, "Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PROVISIONED"}}}}"#;
    let new = r#"{"Parameters": {"ApiCodeKey": {"Type": "String"}}, "Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}}}"#;
    let deployed = Ok(Some(StackInfo {
        name: "bubblebatch-dev-data".into(),
        status: "UPDATE_COMPLETE".into(),
        parameters: [("ApiCodeKey".to_string(), "lambda/a.zip".to_string())].into(),
        ..Default::default()
    }));
    let cfn = ScriptedCfn::new(vec![deployed], old).with(|s| {
        s.change_set.changes = vec![ChangeSetChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: "AWS::DynamoDB::Table".into(),
            replacement: Some("True".into()),
        }]
    });
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let without = run(stage_ops::diff_deployed(&engine, &[deployment(new)], false)).unwrap();
    assert_eq!(
        without.stacks[0].resources[0].action,
        toolkit::diff::Action::Modify
    );
    assert!(!cfn.called("CreateChangeSet"));
    let with = run(stage_ops::diff_deployed(&engine, &[deployment(new)], true)).unwrap();
    let r = &with.stacks[0].resources[0];
    assert_eq!(r.action, toolkit::diff::Action::Replace);
    assert_eq!(
        r.replacement_source,
        toolkit::diff::ReplacementSource::ChangeSet
    );
    assert!(r.destructive());
    assert!(
        cfn.called("DeleteChangeSet"),
        "the diff's change set is removed"
    );
    assert!(!cfn.called("ExecuteChangeSet"));
}

/// For each data-holding type, one change the registry schemas (plus the reviewed
/// patches) say replaces it: the plan is destructive (exit 3) and deploy refuses it
/// without `--allow-replace`.
#[test]
fn replacing_any_data_holding_resource_is_destructive_and_refused() {
    use toolkit::diff::{diff_all, StackTemplates};
    let cases = [
        (
            "AWS::RDS::DBInstance",
            r#"{"DBInstanceIdentifier": "db-a", "Engine": "postgres"}"#,
            r#"{"DBInstanceIdentifier": "db-b", "Engine": "postgres"}"#,
        ),
        (
            "AWS::DynamoDB::Table",
            r#"{"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}"#,
            r#"{"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}"#,
        ),
        (
            "AWS::S3::Bucket",
            r#"{"BucketName": "photos-a"}"#,
            r#"{"BucketName": "photos-b"}"#,
        ),
        (
            "AWS::Cognito::UserPool",
            r#"{"UsernameAttributes": ["email"]}"#,
            r#"{"UsernameAttributes": ["phone_number"]}"#,
        ),
        (
            "AWS::Logs::LogGroup",
            r#"{"LogGroupName": "/app/a"}"#,
            r#"{"LogGroupName": "/app/b"}"#,
        ),
    ];
    let template = |ty: &str, props: &str| {
        format!(r#"{{"Resources": {{"Store": {{"Type": "{ty}", "Properties": {props}}}}}}}"#)
    };
    for (ty, old, new) in cases {
        let (old, new) = (template(ty, old), template(ty, new));
        let report = diff_all(
            "dev",
            "deployed",
            None,
            &[StackTemplates {
                name: "Data".into(),
                stack_name: "bubblebatch-dev-data".into(),
                old: Some(serde_json::from_str(&old).unwrap()),
                new: Some(serde_json::from_str(&new).unwrap()),
            }],
        );
        assert!(report.destructive(), "{ty}: {}", report.to_json());
        assert_eq!(report.plan_exit_code(), 3, "{ty}");

        let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], &old);
        let ui = scripted_ui(true, &["y", "y"]);
        let err = deploy(&cfn, &ui, Stage::Dev, &new, YES)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("Store ({ty}, replace)")) && err.contains("--allow-replace"),
            "{ty}: {err}"
        );
        assert!(!cfn.called("ExecuteChangeSet"), "{ty}");
    }
}

/// A table whose key schema changes while its name stays: CloudFormation would create
/// the replacement first and fail on the taken name.
fn named_table(key: &str, name: &str) -> String {
    serde_json::json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]}}}})
    .to_string()
}

#[test]
fn a_replacement_keeping_a_fixed_name_is_refused_before_any_change_set() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE")],
        &named_table("pk", "bubblebatch-dev-table"),
    );
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    // Even with --yes --allow-replace: this replacement cannot succeed.
    let safety = Safety {
        yes: true,
        allow_replace: true,
    };
    let new = named_table("id", "bubblebatch-dev-table");
    let err = run(engine.deploy_all(&[deployment(&new)], safety))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("refusing to deploy: 1 replacement(s) CloudFormation would fail"),
        "{err}"
    );
    assert!(
        err.contains(
            "Data: Table (AWS::DynamoDB::Table) would be replaced (changed: KeySchema), but \
             its TableName is fixed to bubblebatch-dev-table"
        ),
        "{err}"
    );
    assert!(err.contains("give it a new TableName"), "{err}");
    assert!(err.contains("or in two deploys"), "{err}");
    assert!(!cfn.called("CreateChangeSet"), "{:?}", cfn.calls());

    // Renamed in the same change, the replacement goes ahead to a change set.
    let renamed = named_table("id", "bubblebatch-dev-table-v2");
    let _ = run(engine.deploy_all(&[deployment(&renamed)], safety));
    assert!(cfn.called("CreateChangeSet"), "{:?}", cfn.calls());
}

// ---- `moved`: renames as a stack refactoring, before the change sets ----

/// A stack with a table (logical ID `table_id`) and a function reading its name; `moved`
/// declares `(old stack, old ID)` → `table_id`, through the typed `Stack` API.
fn data_stack(name: &str, table_id: &str, moved: Option<(Option<&str>, &str)>) -> String {
    use cfn_core::{Expr, LogicalId, RawResource, Resource};
    let config = Stage::Dev.config();
    let mut stack = constructs::Stack::new(name, &config, "moved test");
    let table = LogicalId::new(table_id).unwrap();
    stack.add_resource(
        table.clone(),
        Resource::raw(
            &RawResource::new("AWS::DynamoDB::Table").property("TableName", "bubblebatch-dev-t"),
        ),
    );
    stack.add_resource(
        LogicalId::new("Reader").unwrap(),
        Resource::raw(
            &RawResource::new("AWS::SSM::Parameter").property("Value", Expr::reference(&table)),
        ),
    );
    if let Some((from_stack, from)) = moved {
        let from = LogicalId::new(from).unwrap();
        match from_stack {
            None => stack.moved(&from, &table),
            Some(other) => {
                let other = constructs::Stack::new(other, &config, "source");
                stack.moved_from_stack(&other, &from, &table)
            }
        }
    }
    stack.synthesize().template_json
}

fn named(name: &str, stack_name: &str, template: &str) -> StackDeployment {
    StackDeployment {
        name: name.into(),
        stack_name: stack_name.into(),
        ..deployment(template)
    }
}

/// The actions the dev delivery stack's DeployRole allows (CI's deploys run as it).
fn deploy_role_actions() -> std::collections::BTreeSet<String> {
    let delivery = infra::APP.delivery(Stage::Dev.info()).unwrap();
    let role = &delivery.template["Resources"]["DeployRole"]["Properties"];
    let mut actions = std::collections::BTreeSet::new();
    for policy in role["Policies"].as_array().unwrap() {
        for statement in policy["PolicyDocument"]["Statement"].as_array().unwrap() {
            if statement["Effect"] != "Allow" {
                continue;
            }
            match &statement["Action"] {
                serde_json::Value::String(a) => {
                    actions.insert(a.clone());
                }
                serde_json::Value::Array(list) => {
                    actions.extend(list.iter().filter_map(|a| a.as_str().map(str::to_string)));
                }
                _ => {}
            }
        }
    }
    actions
}

fn pos(calls: &[String], name: &str) -> usize {
    calls
        .iter()
        .position(|c| c.starts_with(name))
        .unwrap_or_else(|| panic!("{name} not called: {calls:?}"))
}

#[test]
fn a_rename_is_a_stack_refactoring_before_the_change_set_not_a_replacement() {
    let deployed = data_stack("Data", "Table", None);
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], &deployed);
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let renamed = data_stack("Data", "OrdersTable", Some((None, "Table")));
    // No --allow-replace: were the rename a delete + create of the table, it'd be refused.
    run(engine.deploy_all(&[deployment(&renamed)], Safety::default())).unwrap();

    let calls = cfn.calls();
    assert!(pos(&calls, "ExecuteStackRefactor") < pos(&calls, "CreateChangeSet"));
    // What a deploy from CI does, its delivery role may do.
    let allowed = deploy_role_actions();
    for call in &calls {
        let action = format!("cloudformation:{}", call.split(':').next().unwrap());
        assert!(
            allowed.contains(&action),
            "the delivery stack's DeployRole does not allow {action}: {allowed:?}"
        );
    }
    let req = cfn.0.lock().unwrap().refactors[0].clone();
    assert_eq!(
        req.mappings,
        vec![RefactorMapping {
            from_stack: "bubblebatch-dev-data".into(),
            from: "Table".into(),
            to_stack: "bubblebatch-dev-data".into(),
            to: "OrdersTable".into(),
        }]
    );
    assert!(!req.enable_stack_creation);
    // The refactoring's template is the deployed one renamed, references included.
    let body: serde_json::Value =
        serde_json::from_str(&req.stacks["bubblebatch-dev-data"]).unwrap();
    assert!(body["Resources"].get("Table").is_none(), "{body}");
    assert_eq!(
        body["Resources"]["Reader"]["Properties"]["Value"],
        serde_json::json!({"Ref": "OrdersTable"})
    );
    assert!(
        body.get("Metadata").is_none(),
        "nothing but the move changes"
    );

    // Deployed: the declaration is now a no-op, no second refactoring.
    let again = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], &renamed);
    let engine = Engine::new(&again, &ui, timing(), Stage::Dev.info());
    run(engine.deploy_all(&[deployment(&renamed)], Safety::default())).unwrap();
    assert!(!again.called("CreateStackRefactor"), "{:?}", again.calls());
}

#[test]
fn plan_shows_a_rename_as_moved_in_text_json_and_markdown() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE")],
        &data_stack("Data", "Table", None),
    );
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let renamed = data_stack("Data", "OrdersTable", Some((None, "Table")));
    let report = run(stage_ops::diff_deployed(
        &engine,
        &[deployment(&renamed)],
        false,
    ))
    .unwrap();
    let s = &report.stacks[0];
    assert_eq!(s.moves.len(), 1);
    assert_eq!(s.moves[0].resource_type, "AWS::DynamoDB::Table");
    assert!(
        s.resources.is_empty(),
        "moved, not removed + added: {:?}",
        s.resources
    );
    assert!(!report.destructive());
    let text = toolkit::diff::text::render(&report, false);
    assert!(
        text.contains("OrdersTable (AWS::DynamoDB::Table): moved from Table"),
        "{text}"
    );
    assert!(
        !text.contains("replace") || text.contains("0 to replace"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["stacks"][0]["moves"][0]["from"], "Table");
    assert_eq!(json["stacks"][0]["moves"][0]["to"], "OrdersTable");
    let md = toolkit::diff::markdown::render(&report);
    assert!(md.contains("**Moved**"), "{md}");
    assert!(
        md.contains("- **moved** `OrdersTable` (AWS::DynamoDB::Table) from `Table`"),
        "{md}"
    );
    assert!(!cfn.called("CreateStackRefactor"), "plan changes nothing");
}

#[test]
fn a_move_from_an_id_the_stack_does_not_have_is_a_clear_error() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE")],
        &data_stack("Data", "Table", None),
    );
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let typo = data_stack("Data", "OrdersTable", Some((None, "Tabel")));
    let err = run(engine.deploy_all(&[deployment(&typo)], Safety::default()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "moved Tabel → OrdersTable: the deployed stack bubblebatch-dev-data has no resource \
             Tabel"
        ),
        "{err}"
    );
    assert!(err.contains("resources are: Reader, Table"), "{err}");
    assert!(!cfn.called("CreateStackRefactor"), "{:?}", cfn.calls());
    assert!(!cfn.called("CreateChangeSet"), "{:?}", cfn.calls());
    let err = run(stage_ops::diff_deployed(
        &engine,
        &[deployment(&typo)],
        false,
    ))
    .unwrap_err();
    assert!(err.to_string().contains("has no resource Tabel"), "{err}");
}

#[test]
fn a_move_across_stacks_maps_both_stacks_and_creates_the_target_when_missing() {
    let source_after = serde_json::json!({"Resources": {"Keep": {"Type": "AWS::SNS::Topic"}}});
    let mut source = source_after.clone();
    source["Resources"]["Table"] = serde_json::json!({"Type": "AWS::DynamoDB::Table",
        "Properties": {"TableName": "bubblebatch-dev-t"}});
    let target = data_stack("Store", "OrdersTable", Some((Some("Data"), "Table")));
    let stacks = [
        named("Data", "bubblebatch-dev-data", &source_after.to_string()),
        named("Store", "bubblebatch-dev-store", &target),
    ];
    for target_deployed in [true, false] {
        let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], "{}").with(|s| {
            s.templates
                .insert("bubblebatch-dev-data".into(), source.to_string());
            if target_deployed {
                s.templates.insert(
                    "bubblebatch-dev-store".into(),
                    r#"{"Resources": {"Other": {"Type": "AWS::SNS::Topic"}}}"#.into(),
                );
            } else {
                s.missing.push("bubblebatch-dev-store".into());
            }
        });
        let ui = scripted_ui(false, &[]);
        let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
        let report = run(stage_ops::diff_deployed(&engine, &stacks, false)).unwrap();
        assert_eq!(
            report.stacks[1].moves[0].describe(),
            "bubblebatch-dev-data/Table → bubblebatch-dev-store/OrdersTable"
        );
        assert!(
            report.stacks[0].resources.is_empty(),
            "not removed from Data: {:?}",
            report.stacks[0].resources
        );
        let _ = run(engine.deploy_all(&stacks, Safety::default()));
        let req = cfn.0.lock().unwrap().refactors[0].clone();
        assert_eq!(req.enable_stack_creation, !target_deployed);
        assert_eq!(
            req.stacks.keys().collect::<Vec<_>>(),
            ["bubblebatch-dev-data", "bubblebatch-dev-store"]
        );
        let data: serde_json::Value =
            serde_json::from_str(&req.stacks["bubblebatch-dev-data"]).unwrap();
        assert_eq!(data, source_after);
        let store: serde_json::Value =
            serde_json::from_str(&req.stacks["bubblebatch-dev-store"]).unwrap();
        assert_eq!(
            store["Resources"]["OrdersTable"],
            source["Resources"]["Table"]
        );
        assert_eq!(
            store["Resources"].get("Other").is_some(),
            target_deployed,
            "{store}"
        );
        assert_eq!(req.mappings[0].to_stack, "bubblebatch-dev-store");
        let calls = cfn.calls();
        assert!(pos(&calls, "ExecuteStackRefactor") < pos(&calls, "CreateChangeSet"));
    }
}

#[test]
fn a_refused_refactoring_is_reported_in_words_and_deploys_nothing() {
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE")],
        &data_stack("Data", "Table", None),
    )
    .with(|s| {
        s.refactor_info = VecDeque::from([RefactorInfo {
            status: "CREATE_FAILED".into(),
            status_reason: Some("Resource OrdersTable has a conflicting logical ID".into()),
            execution_status: "UNAVAILABLE".into(),
            ..Default::default()
        }])
    });
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Dev.info());
    let renamed = data_stack("Data", "OrdersTable", Some((None, "Table")));
    let err = run(engine.deploy_all(&[deployment(&renamed)], Safety::default()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "moving Table → OrdersTable: CloudFormation refused the refactoring (CREATE_FAILED): \
             Resource OrdersTable has a conflicting logical ID. Nothing was changed."
        ),
        "{err}"
    );
    assert!(!cfn.called("ExecuteStackRefactor"), "{:?}", cfn.calls());
    assert!(!cfn.called("CreateChangeSet"), "{:?}", cfn.calls());
}

// ---- `import`: adopting existing resources through an IMPORT change set ----

fn adoptable() -> String {
    serde_json::json!({"Resources": {
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Orders": {"Type": "AWS::DynamoDB::Table",
            "Properties": {"TableName": "bubblebatch-dev-orders", "BillingMode": "PAY_PER_REQUEST"}},
        "Photos": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete",
            "Properties": {"BucketName": {"Fn::Sub": "photos-${AWS::AccountId}"}}},
        "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        "Reader": {"Type": "AWS::SSM::Parameter",
            "Properties": {"Type": "String", "Value": {"Ref": "Topic"}}}
    }})
    .to_string()
}

fn import(cfn: &ScriptedCfn, given: &[(&str, &str)]) -> anyhow::Result<Vec<ResourceToImport>> {
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(cfn, &ui, timing(), Stage::Dev.info());
    let given: Vec<(String, String)> = given
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    run(engine.import(&deployment(&adoptable()), &given))
}

#[test]
fn import_sends_an_import_change_set_with_the_primary_identifiers_and_retain() {
    let deployed = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], deployed);
    let done = import(
        &cfn,
        &[
            ("Photos", "photos-123456789012"),
            ("Orders", "orders-by-hand"),
        ],
    )
    .unwrap();
    assert_eq!(done.len(), 2);
    let req = cfn.0.lock().unwrap().change_sets[0].clone();
    assert_eq!(req.kind, ChangeSetKind::Import);
    assert_eq!(
        req.resources_to_import,
        vec![
            ResourceToImport {
                resource_type: "AWS::S3::Bucket".into(),
                logical_id: "Photos".into(),
                identifier: BTreeMap::from([("BucketName".into(), "photos-123456789012".into())]),
            },
            ResourceToImport {
                resource_type: "AWS::DynamoDB::Table".into(),
                logical_id: "Orders".into(),
                identifier: BTreeMap::from([("TableName".into(), "orders-by-hand".into())]),
            },
        ]
    );
    let TemplateSource::Body(body) = &req.template else {
        panic!("inline template")
    };
    let t: serde_json::Value = serde_json::from_str(body).unwrap();
    // The deployed template plus the imported resources, each retained; nothing else.
    let ids: Vec<&String> = t["Resources"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["Topic", "Photos", "Orders"]);
    assert_eq!(t["Resources"]["Photos"]["DeletionPolicy"], "Retain");
    assert_eq!(t["Resources"]["Orders"]["DeletionPolicy"], "Retain");
    assert_eq!(t["Resources"]["Orders"]["UpdateReplacePolicy"], "Retain");
    let calls = cfn.calls();
    assert!(pos(&calls, "CreateChangeSet:Import") < pos(&calls, "ExecuteChangeSet"));

    // Without --resource: the data-holding resources the stack has not deployed, by the
    // names their template sets; a name the template computes must be given.
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], deployed);
    let err = import(&cfn, &[]).unwrap_err().to_string();
    assert!(
        err.contains(
            "the identifier of Photos (BucketName) is missing: the template does not set it \
             to a plain value. Pass it: --resource Photos=<BucketName>."
        ),
        "{err}"
    );
    let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], deployed);
    import(&cfn, &[("Orders", "bubblebatch-dev-orders")]).unwrap();
    assert_eq!(
        cfn.0.lock().unwrap().change_sets[0].resources_to_import[0].identifier["TableName"],
        "bubblebatch-dev-orders"
    );
}

#[test]
fn import_refuses_what_cloudformation_would_with_a_clear_message() {
    let deployed = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
    let refused = |given: &[(&str, &str)]| {
        let cfn = ScriptedCfn::new(vec![stack("UPDATE_COMPLETE")], deployed);
        let err = import(&cfn, given).unwrap_err().to_string();
        assert!(!cfn.called("CreateChangeSet"), "{:?}", cfn.calls());
        err
    };
    let err = refused(&[("Ordres", "t")]);
    assert!(
        err.contains("Data: Ordres is not in the stack's template"),
        "{err}"
    );
    assert!(err.contains("resources: Topic, Orders, Photos"), "{err}");
    let err = refused(&[("Handle", "h-1")]);
    assert!(
        err.contains(
            "Handle is a AWS::CloudFormation::WaitConditionHandle, which CloudFormation cannot \
             import"
        ),
        "{err}"
    );
    let err = refused(&[("Topic", "arn:aws:sns:us-east-1:1:t")]);
    assert!(
        err.contains("Topic is already part of the deployed stack"),
        "{err}"
    );
    // An import adds nothing else: a resource that refers to one not deployed waits.
    let cfn = ScriptedCfn::new(
        vec![stack("UPDATE_COMPLETE")],
        r#"{"Resources": {"Other": {"Type": "AWS::SNS::Topic"}}}"#,
    );
    let err = import(&cfn, &[("Reader", "/p")]).unwrap_err().to_string();
    assert!(
        err.contains("Reader refers to Topic, which the deployed stack does not have"),
        "{err}"
    );
    assert!(!cfn.called("CreateChangeSet"), "{:?}", cfn.calls());
    let err = refused(&[("Orders", "TableName=x,Other=y")]);
    assert!(
        err.contains("the identifier of Orders is TableName"),
        "{err}"
    );
    let e = toolkit::engine::import::parse_resource_arg("Orders").unwrap_err();
    assert!(
        e.to_string()
            .contains("expected <LogicalId>=<identifier>, e.g. Table=my-table-name"),
        "{e}"
    );
}
