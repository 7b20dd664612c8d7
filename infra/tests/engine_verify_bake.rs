//! Alarms as rollback triggers and the bake, driven by a scripted CloudFormation and
//! scripted alarm states (the emulator neither evaluates alarms nor rolls back on them).
#![cfg(feature = "aws")]
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use infra::stacks::stage::Stage;
use toolkit::engine::alarms::{self, AlarmSource, AlarmState, LocalFuture};
use toolkit::engine::bake::{self, BakePlan};
use toolkit::engine::cfn::*;
use toolkit::engine::deploy::{Engine, Outcome, Safety, StackDeployment, Timing};
use toolkit::engine::run::{scripted_ui, templates};

/// CloudFormation with scripted stack states; records what it was asked.
struct ScriptedCfn {
    describe: Mutex<VecDeque<&'static str>>,
    events_after_execute: Vec<StackEvent>,
    events: Mutex<Vec<StackEvent>>,
    requests: Mutex<Vec<ChangeSetRequest>>,
    calls: Mutex<Vec<String>>,
}

impl ScriptedCfn {
    /// Deployed (UPDATE_COMPLETE), then these states after ExecuteChangeSet.
    fn updating(after_execute: &[&'static str], events: Vec<StackEvent>) -> ScriptedCfn {
        let mut states: VecDeque<&'static str> = after_execute.iter().copied().collect();
        states.push_front("UPDATE_COMPLETE");
        ScriptedCfn {
            describe: Mutex::new(states),
            events_after_execute: events,
            events: Mutex::new(vec![event("e0", "UPDATE_COMPLETE", "")]),
            requests: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
        }
    }
    fn called(&self, name: &str) -> bool {
        self.calls.lock().unwrap().iter().any(|c| c == name)
    }
    fn rollback_sent(&self) -> Option<RollbackConfig> {
        self.requests.lock().unwrap()[0].rollback.clone()
    }
}

fn event(id: &str, status: &str, reason: &str) -> StackEvent {
    StackEvent {
        event_id: id.into(),
        logical_id: "bubblebatch-prod-api".into(),
        resource_type: "AWS::CloudFormation::Stack".into(),
        status: status.into(),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    }
}

impl Cfn for ScriptedCfn {
    async fn describe_stack(&self, name: &str) -> CfnResult<Option<StackInfo>> {
        let mut q = self.describe.lock().unwrap();
        let status = if q.len() > 1 {
            q.pop_front().unwrap()
        } else {
            q[0]
        };
        Ok(Some(StackInfo {
            name: name.into(),
            status: status.into(),
            ..Default::default()
        }))
    }
    async fn get_template(&self, _name: &str) -> CfnResult<String> {
        Ok(OLD.into())
    }
    async fn create_change_set(&self, req: &ChangeSetRequest) -> CfnResult<String> {
        self.requests.lock().unwrap().push(req.clone());
        Ok("cs".into())
    }
    async fn describe_change_set(&self, _s: &str, _n: &str) -> CfnResult<ChangeSetInfo> {
        Ok(ChangeSetInfo {
            status: "CREATE_COMPLETE".into(),
            status_reason: None,
            changes: vec![],
        })
    }
    async fn execute_change_set(&self, _s: &str, _n: &str) -> CfnResult<()> {
        self.calls.lock().unwrap().push("ExecuteChangeSet".into());
        let mut events = self.events.lock().unwrap();
        let mut fresh = self.events_after_execute.clone();
        fresh.append(&mut events);
        *events = fresh;
        Ok(())
    }
    async fn delete_change_set(&self, _s: &str, _n: &str) -> CfnResult<()> {
        self.calls.lock().unwrap().push("DeleteChangeSet".into());
        Ok(())
    }
    async fn stack_events(&self, _s: &str) -> CfnResult<Vec<StackEvent>> {
        Ok(self.events.lock().unwrap().clone())
    }
    async fn delete_stack(&self, _s: &str) -> CfnResult<()> {
        Ok(())
    }
    async fn continue_update_rollback(&self, _s: &str) -> CfnResult<()> {
        Ok(())
    }
    async fn cancel_update_stack(&self, _s: &str) -> CfnResult<()> {
        self.calls.lock().unwrap().push("CancelUpdateStack".into());
        Ok(())
    }
    async fn physical_id(&self, _s: &str, _l: &str) -> CfnResult<Option<String>> {
        Ok(None)
    }
    async fn detect_drift(&self, _s: &str) -> CfnResult<String> {
        Ok(String::new())
    }
    async fn drift_status(&self, _id: &str) -> CfnResult<DriftStatus> {
        unreachable!()
    }
    async fn resource_drifts(&self, _s: &str) -> CfnResult<Vec<ResourceDrift>> {
        Ok(vec![])
    }
}

/// DescribeAlarms answering from a script: each call takes the next snapshot (the last
/// one stays).
struct ScriptedAlarms {
    snapshots: Mutex<VecDeque<BTreeMap<String, (&'static str, &'static str)>>>,
    calls: Mutex<usize>,
}

impl ScriptedAlarms {
    /// Every named alarm exists; `changes[i]` are the states that differ from OK in the
    /// i-th answer.
    fn new(changes: Vec<Vec<(&str, &'static str, &'static str)>>) -> ScriptedAlarms {
        ScriptedAlarms {
            snapshots: Mutex::new(
                changes
                    .into_iter()
                    .map(|c| {
                        c.into_iter()
                            .map(|(n, s, r)| (n.to_string(), (s, r)))
                            .collect()
                    })
                    .collect(),
            ),
            calls: Mutex::new(0),
        }
    }
}

impl AlarmSource for ScriptedAlarms {
    fn describe<'a>(&'a self, names: &'a [String]) -> LocalFuture<'a, CfnResult<Vec<AlarmState>>> {
        Box::pin(async move {
            *self.calls.lock().unwrap() += 1;
            let mut q = self.snapshots.lock().unwrap();
            let snapshot = if q.len() > 1 {
                q.pop_front().unwrap()
            } else {
                q.front().cloned().unwrap_or_default()
            };
            Ok(names
                .iter()
                .map(|n| {
                    let (state, reason) = snapshot.get(n).copied().unwrap_or(("OK", ""));
                    AlarmState {
                        name: n.clone(),
                        arn: arn(n),
                        state: state.into(),
                        reason: reason.into(),
                    }
                })
                .collect())
        })
    }
}

fn arn(alarm: &str) -> String {
    format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm}")
}

const OLD: &str = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
const NEW: &str =
    r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}}}}"#;
const BREACH: &str = "Threshold Crossed: 1 datapoint [12.0 (30/11/26 14:00:00)] was greater than the threshold (10.0).";

fn timing() -> Timing {
    Timing {
        poll: Duration::from_millis(2),
        in_progress_wait: Duration::from_millis(60),
        change_set_wait: Duration::from_millis(200),
        stack_wait: Duration::from_secs(5),
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

fn api_deployment() -> StackDeployment {
    StackDeployment {
        name: "Api".into(),
        stack_name: "bubblebatch-prod-api".into(),
        template: NEW.into(),
        template_url: None,
        parameters: BTreeMap::new(),
        code_parameters: BTreeMap::new(),
        depends_on: vec![],
    }
}

/// The real prod stage's bake plans, every declared alarm deployed.
fn prod_plans(alarms: &ScriptedAlarms) -> BTreeMap<String, BakePlan> {
    let stage = Stage::Prod.info();
    let stacks = templates(&infra::synth_stage(Stage::Prod).unwrap()).unwrap();
    let watched = alarms::watched_by_stack(&stacks);
    let names: Vec<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
    run(bake::plan_stage(alarms, &watched, &names, stage, false)).unwrap()
}

fn in_progress(n: usize) -> Vec<&'static str> {
    vec!["UPDATE_IN_PROGRESS"; n]
}

#[test]
fn the_rollback_configuration_names_the_alarms_watching_each_stack() {
    let alarms = ScriptedAlarms::new(vec![vec![]]);
    let plans = prod_plans(&alarms);
    let triggers = |stack: &str| -> Vec<String> {
        plans[stack]
            .triggers
            .iter()
            .map(|a| a.name.clone())
            .collect()
    };
    // The Api stack has 16 alarms: the API's 5xx and functions' errors are the 5 triggers.
    assert_eq!(
        triggers("bubblebatch-prod-api"),
        [
            "bubblebatch-prod-http-api-5xx",
            "bubblebatch-prod-auth-errors",
            "bubblebatch-prod-batches-errors",
            "bubblebatch-prod-devices-errors",
            "bubblebatch-prod-events-errors",
        ]
    );
    let api = &plans["bubblebatch-prod-api"];
    assert_eq!(api.engine_watched.len(), 11, "{}", api.describe());
    assert_eq!(api.engine_watched[0].name, "bubblebatch-prod-export-errors");
    assert!(api
        .engine_watched
        .iter()
        .any(|a| a.name == "bubblebatch-prod-http-api-latency"));
    assert_eq!(
        triggers("bubblebatch-prod-data"),
        [
            "bubblebatch-prod-table-ReadThrottleEvents",
            "bubblebatch-prod-table-WriteThrottleEvents",
        ]
    );
    assert_eq!(
        triggers("bubblebatch-prod-scheduler"),
        [
            "bubblebatch-prod-reminder-processor-errors",
            "bubblebatch-prod-reminder-processor-dropped",
            "bubblebatch-prod-reminder-processor-throttles",
            "bubblebatch-prod-reminders-dlq-messages",
        ]
    );
    assert!(triggers("bubblebatch-prod-auth").is_empty());
    assert!(triggers("bubblebatch-prod-monitoring").is_empty());

    // What CloudFormation receives for the Api stack: those 5 ARNs and prod's 10 minutes.
    let cfn = ScriptedCfn::updating(&["UPDATE_COMPLETE"], vec![]);
    let ui = scripted_ui(false, &[]);
    let expected: Vec<String> = triggers("bubblebatch-prod-api")
        .iter()
        .map(|n| arn(n))
        .collect();
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Prod.info()).with_bake(&alarms, plans);
    let outcome = run(engine.deploy_stack(&api_deployment(), Safety::default(), false)).unwrap();
    assert_eq!(outcome, Outcome::Updated);
    let sent = cfn
        .rollback_sent()
        .expect("a rollback configuration is sent");
    assert_eq!(sent.monitoring_minutes, 10);
    assert_eq!(sent.triggers, expected);

    // Dev: the same triggers, no bake.
    let dev = Stage::Dev.info();
    assert_eq!(dev.bake_minutes, 0);
    let stacks = templates(&infra::synth_stage(Stage::Dev).unwrap()).unwrap();
    let watched = alarms::watched_by_stack(&stacks);
    let names: Vec<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
    let dev_plans = run(bake::plan_stage(&alarms, &watched, &names, dev, false)).unwrap();
    let dev_api = dev_plans["bubblebatch-dev-api"].rollback_config();
    assert_eq!(dev_api.monitoring_minutes, 0);
    assert_eq!(dev_api.triggers[0], arn("bubblebatch-dev-http-api-5xx"));
}

#[test]
fn alarms_not_deployed_yet_are_left_out_of_the_triggers() {
    // First deploy: the Monitoring stack (which creates the alarms) comes last.
    struct NoAlarms;
    impl AlarmSource for NoAlarms {
        fn describe<'a>(
            &'a self,
            _names: &'a [String],
        ) -> LocalFuture<'a, CfnResult<Vec<AlarmState>>> {
            Box::pin(async { Ok(vec![]) })
        }
    }
    let stacks = templates(&infra::synth_stage(Stage::Prod).unwrap()).unwrap();
    let watched = alarms::watched_by_stack(&stacks);
    let names: Vec<String> = stacks.iter().map(|s| s.stack_name.clone()).collect();
    let plans = run(bake::plan_stage(
        &NoAlarms,
        &watched,
        &names,
        Stage::Prod.info(),
        false,
    ))
    .unwrap();
    let api = &plans["bubblebatch-prod-api"];
    assert!(api.triggers.is_empty());
    assert_eq!(api.not_deployed.len(), 16);
    assert!(api.describe().contains("not deployed yet, not watched"));
    // An empty trigger list (not none) is sent: stale triggers of the stack are cleared.
    assert_eq!(
        api.rollback_config(),
        RollbackConfig {
            triggers: vec![],
            monitoring_minutes: 10
        }
    );
}

#[test]
fn an_alarm_firing_during_the_bake_rolls_the_stack_back_and_is_reported() {
    let fired = "bubblebatch-prod-batches-errors";
    let rollback_reason = format!(
        "Rollback triggered by alarm(s) in ALARM state: [{}]",
        arn(fired)
    );
    let mut states = in_progress(12);
    states.extend(["UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"]);
    let cfn = ScriptedCfn::updating(
        &states,
        vec![
            event("e3", "UPDATE_ROLLBACK_COMPLETE", ""),
            event("e2", "UPDATE_ROLLBACK_IN_PROGRESS", &rollback_reason),
        ],
    );
    // OK before executing and at the first look; then the batches function breaches.
    let alarms = ScriptedAlarms::new(vec![vec![], vec![], vec![], vec![(fired, "ALARM", BREACH)]]);
    let plans = prod_plans(&alarms);
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Prod.info()).with_bake(&alarms, plans);
    let err = run(engine.deploy_stack(&api_deployment(), Safety::default(), false))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Api (bubblebatch-prod-api) rolled back"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{fired} ({BREACH})")),
        "which alarm and why: {err}"
    );
    assert!(
        err.contains("CloudFormation rolled it back through its rollback triggers"),
        "{err}"
    );
    assert!(err.contains("UPDATE_ROLLBACK_COMPLETE"), "{err}");
    assert!(
        !cfn.called("CancelUpdateStack"),
        "a trigger: CloudFormation rolls back by itself"
    );
    let said = ui.transcript();
    assert!(
        said.contains(&format!("alarm {fired}: OK → ALARM ({BREACH})")),
        "{said}"
    );
    assert!(
        said.contains("rollback triggers: bubblebatch-prod-http-api-5xx"),
        "{said}"
    );
}

#[test]
fn an_alarm_beyond_the_five_triggers_makes_the_engine_cancel_the_update() {
    let fired = "bubblebatch-prod-public-throttles";
    let mut states = in_progress(15);
    states.extend(["UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"]);
    let cfn = ScriptedCfn::updating(&states, vec![]);
    let alarms = ScriptedAlarms::new(vec![
        vec![],
        vec![],
        vec![],
        vec![(fired, "ALARM", "Threshold Crossed: 3 datapoints")],
    ]);
    let plans = prod_plans(&alarms);
    assert!(!plans["bubblebatch-prod-api"].is_trigger(fired));
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Prod.info()).with_bake(&alarms, plans);
    let err = run(engine.deploy_stack(&api_deployment(), Safety::default(), false))
        .unwrap_err()
        .to_string();
    assert!(cfn.called("CancelUpdateStack"));
    assert!(
        err.contains(&format!("the engine cancelled the update because {fired}")),
        "{err}"
    );
    assert!(err.contains("Threshold Crossed: 3 datapoints"), "{err}");
}

#[test]
fn a_clean_bake_completes_and_shows_what_it_waits_for() {
    let mut states = in_progress(40);
    states.push("UPDATE_COMPLETE");
    let cfn = ScriptedCfn::updating(&states, vec![]);
    let alarms = ScriptedAlarms::new(vec![vec![(
        "bubblebatch-prod-auth-errors",
        "INSUFFICIENT_DATA",
        "",
    )]]);
    let plans = prod_plans(&alarms);
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Prod.info()).with_bake(&alarms, plans);
    let outcome = run(engine.deploy_stack(&api_deployment(), Safety::default(), false)).unwrap();
    assert_eq!(outcome, Outcome::Updated);
    assert!(!cfn.called("CancelUpdateStack"));
    let said = ui.transcript();
    assert!(
        said.contains(
            "UPDATE_IN_PROGRESS: waiting for CloudFormation to finish and its 10-minute bake"
        ),
        "{said}"
    );
    assert!(said.contains("1 INSUFFICIENT_DATA, 15 OK"), "{said}");
    assert!(
        said.contains("alarms: bubblebatch-prod-http-api-5xx OK, bubblebatch-prod-auth-errors INSUFFICIENT_DATA"),
        "{said}"
    );
    assert!(said.contains("[Api] updated"), "{said}");
    assert!(
        *alarms.calls.lock().unwrap() >= 3,
        "alarms read during the bake"
    );
}

#[test]
fn an_alarm_already_in_alarm_stops_the_deploy_before_it_executes() {
    let cfn = ScriptedCfn::updating(&["UPDATE_COMPLETE"], vec![]);
    let alarms = ScriptedAlarms::new(vec![vec![(
        "bubblebatch-prod-http-api-5xx",
        "ALARM",
        BREACH,
    )]]);
    let plans = prod_plans(&alarms);
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), Stage::Prod.info()).with_bake(&alarms, plans);
    let err = run(engine.deploy_stack(&api_deployment(), Safety::default(), false))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("in ALARM already: bubblebatch-prod-http-api-5xx"),
        "{err}"
    );
    assert!(err.contains("--no-bake"), "{err}");
    assert!(!cfn.called("ExecuteChangeSet"));
    assert!(cfn.called("DeleteChangeSet"));
}

#[test]
fn no_bake_clears_the_triggers_and_needs_a_typed_confirmation_in_prod() {
    let prod = Stage::Prod.info();
    let refused = scripted_ui(false, &[]);
    let err = bake::confirm_no_bake(prod, refused.prompter.as_ref())
        .unwrap_err()
        .to_string();
    assert!(err.contains("'deploy prod without bake'"), "{err}");
    let wrong = scripted_ui(true, &["yes"]);
    assert!(bake::confirm_no_bake(prod, wrong.prompter.as_ref()).is_err());
    let typed = scripted_ui(true, &["deploy prod without bake"]);
    assert!(bake::confirm_no_bake(prod, typed.prompter.as_ref()).is_ok());
    let dev = scripted_ui(false, &[]);
    assert!(bake::confirm_no_bake(Stage::Dev.info(), dev.prompter.as_ref()).is_ok());

    // The deploy then sends an empty configuration and reads no alarm.
    let alarms = ScriptedAlarms::new(vec![vec![(
        "bubblebatch-prod-http-api-5xx",
        "ALARM",
        BREACH,
    )]]);
    let stacks = templates(&infra::synth_stage(Stage::Prod).unwrap()).unwrap();
    let watched = alarms::watched_by_stack(&stacks);
    let plans = run(bake::plan_stage(
        &alarms,
        &watched,
        &["bubblebatch-prod-api".to_string()],
        prod,
        true,
    ))
    .unwrap();
    let cfn = ScriptedCfn::updating(&["UPDATE_COMPLETE"], vec![]);
    let ui = scripted_ui(false, &[]);
    let engine = Engine::new(&cfn, &ui, timing(), prod).with_bake(&alarms, plans);
    assert_eq!(
        run(engine.deploy_stack(&api_deployment(), Safety::default(), false)).unwrap(),
        Outcome::Updated,
        "an alarm in ALARM does not stop a --no-bake deploy"
    );
    assert_eq!(cfn.rollback_sent(), Some(RollbackConfig::default()));
    assert_eq!(*alarms.calls.lock().unwrap(), 0);
    assert!(ui.transcript().contains("no bake (--no-bake)"));
}
