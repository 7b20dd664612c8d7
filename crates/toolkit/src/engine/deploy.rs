//! Deploying one stack through a change set, and a stage in dependency order.
//!
//! Per stack: settle stuck states → skip if unchanged → CreateChangeSet → wait → show the
//! diff → safety check → execute → follow events → outcome.
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Result};
use serde_json::Value;

use super::alarms::AlarmSource;
use super::bake::{self, AlarmWatch, BakePlan};
use super::cfn::*;
use super::order;
use super::ui::{StackProgress, Ui};
use crate::app::Stage;
use crate::diff::{self, CodeChange, PlanReport, Replacement, StackTemplates};

/// CloudFormation's limit for an inline `TemplateBody`.
pub const MAX_TEMPLATE_BODY: usize = 51_200;

#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Between two polls of a change set or stack.
    pub poll: Duration,
    /// How long to wait for a stack another deployment is changing.
    pub in_progress_wait: Duration,
    /// How long a change set may take to compute.
    pub change_set_wait: Duration,
    /// How long a stack operation may take.
    pub stack_wait: Duration,
    pub backoff: Backoff,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll: Duration::from_secs(2),
            in_progress_wait: Duration::from_secs(600),
            change_set_wait: Duration::from_secs(600),
            stack_wait: Duration::from_secs(3600),
            backoff: Backoff::default(),
        }
    }
}

impl Timing {
    /// Fast polls against a local emulator.
    pub fn for_endpoint(local: bool) -> Timing {
        if local {
            Timing {
                poll: Duration::from_millis(100),
                ..Timing::default()
            }
        } else {
            Timing::default()
        }
    }
}

/// What to do without asking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Safety {
    /// Accept IAM broadening (not in prod).
    pub yes: bool,
    /// Accept replacing or deleting stateful resources.
    pub allow_replace: bool,
}

/// One stack, ready for CloudFormation.
#[derive(Debug, Clone, PartialEq)]
pub struct StackDeployment {
    pub name: String,
    pub stack_name: String,
    pub template: String,
    /// `TemplateURL` to use instead of the body (templates over 51,200 bytes).
    pub template_url: Option<String>,
    /// Parameters we pass (assets bucket, code keys); the rest keep their defaults.
    pub parameters: BTreeMap<String, String>,
    /// Code key parameter → physical function name.
    pub code_parameters: BTreeMap<String, String>,
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

pub struct Engine<'a, C: Cfn> {
    pub cfn: &'a C,
    pub ui: &'a Ui,
    pub timing: Timing,
    pub stage: Stage,
    /// Per stack name: the alarms its change set names as rollback triggers, and the
    /// bake. A stack without a plan gets no rollback configuration (it keeps its last).
    pub bake: BTreeMap<String, BakePlan>,
    /// Reads the plans' alarms while a stack deploys.
    pub alarms: Option<&'a dyn AlarmSource>,
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn in_progress(status: &str) -> bool {
    status.ends_with("_IN_PROGRESS") && status != "REVIEW_IN_PROGRESS"
}

fn same_template(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<Value>(a),
        serde_json::from_str::<Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

impl<'a, C: Cfn> Engine<'a, C> {
    pub fn new(cfn: &'a C, ui: &'a Ui, timing: Timing, stage: Stage) -> Self {
        Engine {
            cfn,
            ui,
            timing,
            stage,
            bake: BTreeMap::new(),
            alarms: None,
        }
    }

    /// Deploys with alarms as rollback triggers and a bake, per stack.
    pub fn with_bake(
        mut self,
        alarms: &'a dyn AlarmSource,
        plans: BTreeMap<String, BakePlan>,
    ) -> Self {
        self.alarms = Some(alarms);
        self.bake = plans;
        self
    }

    /// A CloudFormation call with backoff on throttling.
    pub async fn call<T, F, Fut>(&self, what: &str, op: F) -> CfnResult<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = CfnResult<T>>,
    {
        with_backoff(
            &self.timing.backoff,
            |attempt, e, delay| {
                self.ui.say(format!(
                    "throttled on {what} ({e}); retry {attempt} in {} ms",
                    delay.as_millis()
                ))
            },
            op,
        )
        .await
    }

    pub async fn describe(&self, stack: &str) -> Result<Option<StackInfo>> {
        Ok(self
            .call("DescribeStacks", || self.cfn.describe_stack(stack))
            .await?)
    }

    /// Waits while another operation runs on the stack; `None` once it is gone.
    async fn wait_settled(&self, stack: &str, limit: Duration) -> Result<Option<StackInfo>> {
        let deadline = Instant::now() + limit;
        loop {
            let info = self.describe(stack).await?;
            match &info {
                Some(s) if in_progress(&s.status) && Instant::now() < deadline => {
                    tokio::time::sleep(self.timing.poll).await
                }
                _ => return Ok(info),
            }
        }
    }

    /// Brings a stack into a state a change set can start from, or explains why not.
    async fn settle(
        &self,
        d: &StackDeployment,
        progress: &StackProgress<'_>,
        safety: Safety,
    ) -> Result<Option<StackInfo>> {
        let stack = &d.stack_name;
        let mut continued = false;
        loop {
            let Some(info) = self.describe(stack).await? else {
                return Ok(None);
            };
            let status = info.status.as_str();
            if in_progress(status) {
                progress.step(&format!(
                    "{status}: waiting for the running operation to finish"
                ));
                let after = self
                    .wait_settled(stack, self.timing.in_progress_wait)
                    .await?;
                if let Some(s) = &after {
                    if in_progress(&s.status) {
                        bail!(
                            "{} ({stack}) is still {} after {} s: another deployment is changing it. \
                             Wait for it to finish, or cancel it (`aws cloudformation cancel-update-stack \
                             --stack-name {stack}`), then deploy again.",
                            d.name,
                            s.status,
                            self.timing.in_progress_wait.as_secs()
                        );
                    }
                }
                continue;
            }
            match status {
                "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" => {
                    let reason = self.first_failure(stack, None).await;
                    progress.step(&format!("{status}: the first create failed ({reason})"));
                    let question = format!(
                        "{} ({stack}) is {status} after a failed first create and cannot be updated. \
                         Delete it and create it again?",
                        d.name
                    );
                    let yes = if self.stage.production {
                        self.ui.prompter.confirm(&question)
                    } else {
                        safety.yes || self.ui.prompter.confirm(&question)
                    };
                    if !yes {
                        bail!(
                            "{} ({stack}) is {status} after a failed first create: {reason}. \
                             It must be deleted before it can be created again: rerun with --yes{} \
                             or run `aws cloudformation delete-stack --stack-name {stack}`.",
                            d.name,
                            if self.stage.production {
                                " in a terminal (prod asks)"
                            } else {
                                ""
                            }
                        );
                    }
                    progress.step("deleting the rolled-back stack");
                    self.call("DeleteStack", || self.cfn.delete_stack(stack))
                        .await?;
                    self.wait_deleted(d, progress).await?;
                }
                "UPDATE_ROLLBACK_FAILED" if !continued => {
                    progress.step("UPDATE_ROLLBACK_FAILED: continuing the rollback");
                    self.call("ContinueUpdateRollback", || {
                        self.cfn.continue_update_rollback(stack)
                    })
                    .await?;
                    continued = true;
                    self.wait_settled(stack, self.timing.stack_wait).await?;
                }
                "UPDATE_ROLLBACK_FAILED" => {
                    let reason = self.first_failure(stack, None).await;
                    bail!(
                        "{} ({stack}) is UPDATE_ROLLBACK_FAILED and continuing the rollback did not \
                         help: {reason}. Fix the resource by hand, or skip it: `aws cloudformation \
                         continue-update-rollback --stack-name {stack} --resources-to-skip <LogicalId>`, \
                         then deploy again.",
                        d.name
                    );
                }
                "DELETE_FAILED" | "CREATE_FAILED" | "UPDATE_FAILED" | "IMPORT_ROLLBACK_FAILED" => {
                    let reason = self.first_failure(stack, None).await;
                    bail!(
                        "{} ({stack}) is {status}: {reason}. Fix the cause (see the stack's events), \
                         delete the stack if it holds no data, then deploy again.",
                        d.name
                    );
                }
                _ => return Ok(Some(info)),
            }
        }
    }

    async fn wait_deleted(&self, d: &StackDeployment, progress: &StackProgress<'_>) -> Result<()> {
        let after = self
            .wait_settled(&d.stack_name, self.timing.stack_wait)
            .await?;
        match after {
            None => Ok(()),
            Some(s) => {
                let reason = self.first_failure(&d.stack_name, None).await;
                progress.step(&format!("{}: {reason}", s.status));
                bail!(
                    "{} ({}) could not be deleted: {} ({reason}). Empty or detach what blocks it, \
                     then run the command again.",
                    d.name,
                    d.stack_name,
                    s.status
                )
            }
        }
    }

    /// The oldest resource failure since `since` (an event ID), else the stack's reason.
    pub async fn first_failure(&self, stack: &str, since: Option<&str>) -> String {
        let events = self
            .call("DescribeStackEvents", || self.cfn.stack_events(stack))
            .await
            .unwrap_or_default();
        let recent: Vec<&StackEvent> = events
            .iter()
            .take_while(|e| Some(e.event_id.as_str()) != since)
            .collect();
        let failed = recent.iter().rev().find(|e| {
            e.status.ends_with("_FAILED") && e.reason.as_deref().is_some_and(|r| !r.is_empty())
        });
        match failed {
            Some(e) => format!(
                "{} ({}) {}: {}",
                e.logical_id,
                e.resource_type,
                e.status,
                e.reason.as_deref().unwrap_or("")
            ),
            None => recent
                .iter()
                .find_map(|e| e.reason.clone().filter(|r| !r.is_empty()))
                .unwrap_or_else(|| "no failure reason in the stack events".to_string()),
        }
    }

    /// Deploys one stack. `upstream_changed`: a stack it depends on changed in this run
    /// (its SSM parameters may have new values), so "unchanged" can't be decided locally.
    pub async fn deploy_stack(
        &self,
        d: &StackDeployment,
        safety: Safety,
        upstream_changed: bool,
    ) -> Result<Outcome> {
        let progress = self.ui.stack(&d.name);
        let result = self
            .deploy_stack_inner(d, safety, upstream_changed, &progress)
            .await;
        match &result {
            Ok(Outcome::Created) => progress.finish("created"),
            Ok(Outcome::Updated) => progress.finish("updated"),
            Ok(Outcome::Unchanged) => progress.finish("no changes"),
            Err(_) => progress.finish("FAILED"),
        }
        result
    }

    async fn deploy_stack_inner(
        &self,
        d: &StackDeployment,
        safety: Safety,
        upstream_changed: bool,
        progress: &StackProgress<'_>,
    ) -> Result<Outcome> {
        let stack = d.stack_name.as_str();
        let existing = self.settle(d, progress, safety).await?;
        let kind = match &existing {
            Some(s) if s.status != "REVIEW_IN_PROGRESS" => ChangeSetKind::Update,
            _ => ChangeSetKind::Create,
        };
        let old_template = match kind {
            ChangeSetKind::Update => Some(
                self.call("GetTemplate", || self.cfn.get_template(stack))
                    .await?,
            ),
            ChangeSetKind::Create | ChangeSetKind::Import => None,
        };
        let deployed_params = existing
            .as_ref()
            .map(|s| s.parameters.clone())
            .unwrap_or_default();
        let params_same = d
            .parameters
            .iter()
            .all(|(k, v)| deployed_params.get(k) == Some(v));
        if let Some(old) = &old_template {
            // A stack deployed before its tags (or with others) is updated for them alone.
            let tags_same = self
                .call("DescribeStacks", || self.cfn.stack_tags(stack))
                .await?
                .is_none_or(|tags| tags == stage_tags(self.stage));
            if !upstream_changed && params_same && tags_same && same_template(old, &d.template) {
                return Ok(Outcome::Unchanged);
            }
        }

        let change_set = format!("bb-{}", now_ms());
        let request = ChangeSetRequest {
            stack_name: stack.to_string(),
            change_set_name: change_set.clone(),
            kind,
            template: match &d.template_url {
                Some(url) => TemplateSource::Url(url.clone()),
                None => TemplateSource::Body(d.template.clone()),
            },
            parameters: d.parameters.clone(),
            tags: stage_tags(self.stage),
            rollback: self.bake.get(stack).map(BakePlan::rollback_config),
            resources_to_import: Vec::new(),
        };
        progress.step("creating change set");
        match self
            .call("CreateChangeSet", || self.cfn.create_change_set(&request))
            .await
        {
            Ok(_) => {}
            Err(e) if e.is_no_changes() => return Ok(Outcome::Unchanged),
            Err(e) => bail!("{} ({stack}): CreateChangeSet failed: {e}", d.name),
        }
        let info = self.wait_change_set(d, &change_set).await?;
        if info.status == "FAILED" {
            let reason = info.status_reason.clone().unwrap_or_default();
            let _ = self.cfn.delete_change_set(stack, &change_set).await;
            if is_no_changes_reason(&reason) {
                return Ok(Outcome::Unchanged);
            }
            bail!("{} ({stack}): the change set failed: {reason}", d.name);
        }

        // Show what will change, then decide.
        let report = self.review(d, old_template.as_deref(), &deployed_params, &info)?;
        self.ui.say(
            diff::text::render(&report, self.ui.color())
                .trim_end()
                .to_string(),
        );
        if let Err(refusal) = self.check_safety(&report, safety) {
            let _ = self.cfn.delete_change_set(stack, &change_set).await;
            return Err(refusal);
        }
        if let Err(refusal) = self.check_alarms_quiet(d, progress).await {
            let _ = self.cfn.delete_change_set(stack, &change_set).await;
            return Err(refusal);
        }

        let last_event = match kind {
            ChangeSetKind::Update => self
                .call("DescribeStackEvents", || self.cfn.stack_events(stack))
                .await?
                .first()
                .map(|e| e.event_id.clone()),
            ChangeSetKind::Create | ChangeSetKind::Import => None,
        };
        progress.step("executing change set");
        if let Err(e) = self
            .call("ExecuteChangeSet", || {
                self.cfn.execute_change_set(stack, &change_set)
            })
            .await
        {
            let status = self
                .describe(stack)
                .await
                .ok()
                .flatten()
                .map(|s| s.status)
                .unwrap_or_else(|| "unknown".into());
            bail!(
                "{} ({stack}): executing the change set failed: {e}. Stack status: {status}. \
                 What to do: check the template and the stack's events, then deploy again{}.",
                d.name,
                if status == "REVIEW_IN_PROGRESS" {
                    " (the stack was never created; deploy creates it anew)"
                } else {
                    ""
                }
            );
        }
        self.follow(d, last_event.as_deref(), progress).await?;
        Ok(match kind {
            ChangeSetKind::Create => Outcome::Created,
            ChangeSetKind::Update | ChangeSetKind::Import => Outcome::Updated,
        })
    }

    pub async fn wait_change_set(&self, d: &StackDeployment, name: &str) -> Result<ChangeSetInfo> {
        let deadline = Instant::now() + self.timing.change_set_wait;
        loop {
            let info = self
                .call("DescribeChangeSet", || {
                    self.cfn.describe_change_set(&d.stack_name, name)
                })
                .await?;
            let pending = matches!(
                info.status.as_str(),
                "CREATE_PENDING" | "CREATE_IN_PROGRESS"
            );
            if !pending {
                return Ok(info);
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} ({}): change set {name} still {} after {} s",
                    d.name,
                    d.stack_name,
                    info.status,
                    self.timing.change_set_wait.as_secs()
                );
            }
            tokio::time::sleep(self.timing.poll).await;
        }
    }

    /// Before any change set of the stage: a replacement that keeps a fixed physical name
    /// (compared with the deployed templates) is refused, with the ways out. It would
    /// fail in CloudFormation, after the stacks before it were updated.
    pub async fn refuse_name_conflicts(&self, stacks: &[StackDeployment]) -> Result<()> {
        let mut refusals = Vec::new();
        for d in stacks {
            let deployed = self.describe(&d.stack_name).await?;
            if deployed.is_none_or(|s| s.status == "REVIEW_IN_PROGRESS") {
                continue;
            }
            let old = self
                .call("GetTemplate", || self.cfn.get_template(&d.stack_name))
                .await?;
            let parse = |t: &str| serde_json::from_str::<Value>(t).ok();
            let stack_diff = diff::diff_stack(&StackTemplates {
                name: d.name.clone(),
                stack_name: d.stack_name.clone(),
                old: parse(&old),
                new: parse(&d.template),
            });
            refusals.extend(
                stack_diff
                    .resources
                    .iter()
                    .filter_map(|r| r.name_conflict_message(&d.name)),
            );
        }
        if refusals.is_empty() {
            return Ok(());
        }
        bail!(
            "refusing to deploy: {} replacement(s) CloudFormation would fail:\n  {}",
            refusals.len(),
            refusals.join("\n  ")
        )
    }

    /// The stack's diff: templates compared, replacement from the change set where AWS
    /// reports it, code changes from the key parameters.
    pub fn review(
        &self,
        d: &StackDeployment,
        old_template: Option<&str>,
        deployed_params: &BTreeMap<String, String>,
        info: &ChangeSetInfo,
    ) -> Result<PlanReport> {
        let old = old_template
            .map(serde_json::from_str::<Value>)
            .transpose()
            .map_err(|e| anyhow!("{}: deployed template is not JSON: {e}", d.name))?;
        let new: Value = serde_json::from_str(&d.template)
            .map_err(|e| anyhow!("{}: template is not JSON: {e}", d.name))?;
        let mut stack_diff = diff::diff_stack(&StackTemplates {
            name: d.name.clone(),
            stack_name: d.stack_name.clone(),
            old,
            new: Some(new),
        });
        let verdicts = replacement_verdicts(info);
        stack_diff.apply_change_set_replacements(&verdicts);
        if old_template.is_some() {
            stack_diff.add_code_changes(code_changes(d, deployed_params));
        }
        Ok(PlanReport {
            stage: self.stage.name().to_string(),
            against: "deployed".into(),
            commit: None,
            stacks: vec![stack_diff],
            cost: None,
        })
    }

    /// `Err` with the reason when the change needs a flag or an answer it didn't get.
    pub fn check_safety(&self, report: &PlanReport, safety: Safety) -> Result<()> {
        let prod = self.stage.production;
        for s in &report.stacks {
            let destructive: Vec<String> = s
                .destructive()
                .iter()
                .map(|r| {
                    format!(
                        "{} ({}, {})",
                        r.logical_id,
                        r.resource_type,
                        r.action.label()
                    )
                })
                .collect();
            if !destructive.is_empty() {
                let list = destructive.join(", ");
                if !safety.allow_replace {
                    bail!(
                        "{}: refusing to replace or delete stateful resources: {list}. Their data \
                         would be lost. Rerun with --allow-replace if that is intended.",
                        s.name
                    );
                }
                if prod
                    && !self.ui.prompter.typed(
                        &format!("PROD {}: {list} will lose their data.", s.name),
                        &s.stack_name,
                    )
                {
                    bail!(
                        "{}: replacing or deleting stateful resources in prod ({list}) needs \
                         --allow-replace and a typed confirmation in a terminal.",
                        s.name
                    );
                }
                self.ui
                    .say(format!("{}: data loss accepted for {list}", s.name));
            }
            if s.iam.broadening {
                let n = s.iam.broadening_statements.len();
                let accepted = if safety.yes && !prod {
                    true
                } else {
                    self.ui.prompter.interactive()
                        && self.ui.prompter.confirm(&format!(
                            "{}: {n} IAM statement(s) broaden permissions (see above). Deploy?",
                            s.name
                        ))
                };
                if !accepted {
                    bail!(
                        "{}: the change broadens IAM permissions ({n} statement(s)). {}",
                        s.name,
                        if prod {
                            "In prod, answer the question in a terminal (--yes does not apply)."
                        } else {
                            "Rerun with --yes to accept, or answer the question in a terminal."
                        }
                    );
                }
            }
        }
        Ok(())
    }

    /// Shows the stack's bake plan; refuses when one of its alarms is in ALARM already
    /// (CloudFormation would roll the update back at once).
    async fn check_alarms_quiet(
        &self,
        d: &StackDeployment,
        progress: &StackProgress<'_>,
    ) -> Result<()> {
        let Some(plan) = self.bake.get(&d.stack_name) else {
            return Ok(());
        };
        progress.step(&plan.describe());
        let (Some(source), false) = (self.alarms, plan.alarm_names().is_empty()) else {
            return Ok(());
        };
        let names = plan.alarm_names();
        let states = source
            .describe(&names)
            .await
            .map_err(|e| anyhow!("{}: DescribeAlarms failed: {e}", d.name))?;
        let firing = bake::firing(&states);
        if firing.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = firing.iter().map(|a| bake::explain(a)).collect();
        bail!(
            "{} ({}): not deploying: alarm(s) watching it are in ALARM already: {}. \
             CloudFormation would roll the update back at once. If this deploy is the fix, \
             deploy with --no-bake{}.",
            d.name,
            d.stack_name,
            list.join("; "),
            if self.stage.production {
                " (prod asks for a typed confirmation)"
            } else {
                ""
            }
        )
    }

    /// Reads the stack's alarms during its update: shows changes, and cancels the update
    /// when an alarm the engine watches beyond CloudFormation's triggers fires.
    async fn watch_alarms(
        &self,
        d: &StackDeployment,
        watch: &mut AlarmWatch<'_>,
        status: &str,
        progress: &StackProgress<'_>,
    ) {
        let Some(source) = self.alarms else { return };
        let names = watch.plan.alarm_names();
        match source.describe(&names).await {
            Ok(states) => {
                for line in watch.observe(&states) {
                    progress.step(&line);
                }
            }
            Err(e) => progress.step(&format!("DescribeAlarms failed ({e}); still waiting")),
        }
        if status != "UPDATE_IN_PROGRESS" {
            return;
        }
        let Some(alarm) = watch.to_cancel_for().cloned() else {
            return;
        };
        progress.step(&format!(
            "alarm {} is in ALARM (watched by the engine, beyond CloudFormation's triggers): \
             cancelling the update",
            alarm.name
        ));
        match self
            .call("CancelUpdateStack", || {
                self.cfn.cancel_update_stack(&d.stack_name)
            })
            .await
        {
            Ok(()) => watch.cancelled_for = Some(alarm.name.clone()),
            Err(e) => progress.step(&format!("CancelUpdateStack failed: {e}")),
        }
    }

    /// Prints new stack events until the stack settles; `Err` with the first failure.
    pub(crate) async fn follow(
        &self,
        d: &StackDeployment,
        since: Option<&str>,
        progress: &StackProgress<'_>,
    ) -> Result<()> {
        let stack = d.stack_name.as_str();
        let deadline = Instant::now() + self.timing.stack_wait;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let plan = self
            .bake
            .get(stack)
            .filter(|p| !p.disabled && !p.alarm_names().is_empty() && self.alarms.is_some());
        let mut watch = plan.map(AlarmWatch::new);
        let mut polls: u32 = 0;
        loop {
            let info = self.describe(stack).await?;
            let events = self
                .call("DescribeStackEvents", || self.cfn.stack_events(stack))
                .await
                .unwrap_or_default();
            let fresh: Vec<&StackEvent> = events
                .iter()
                .take_while(|e| Some(e.event_id.as_str()) != since)
                .collect();
            for e in fresh.iter().rev() {
                if seen.insert(e.event_id.clone()) {
                    let reason = e
                        .reason
                        .as_deref()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default();
                    progress.step(&format!("{} {}{reason}", e.logical_id, e.status));
                }
            }
            let Some(info) = info else {
                bail!("{} ({stack}) disappeared while deploying", d.name);
            };
            // Alarms every 5th poll (10 s against AWS), a waiting line every 30th.
            if let Some(w) = watch.as_mut().filter(|_| polls.is_multiple_of(5)) {
                self.watch_alarms(d, w, &info.status, progress).await;
            }
            if let Some(w) = watch.as_ref().filter(|_| polls % 30 == 29) {
                if in_progress(&info.status) {
                    progress.step(&w.waiting_line(&info.status));
                }
            }
            polls += 1;
            if in_progress(&info.status) || info.status == "REVIEW_IN_PROGRESS" {
                if Instant::now() >= deadline {
                    bail!(
                        "{} ({stack}) still {} after {} s; it keeps going in CloudFormation. \
                         Run deploy again later to continue.",
                        d.name,
                        info.status,
                        self.timing.stack_wait.as_secs()
                    );
                }
                tokio::time::sleep(self.timing.poll).await;
                continue;
            }
            return match info.status.as_str() {
                "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" => Ok(()),
                status => {
                    let reason = self.first_failure(stack, since).await;
                    if let Some(w) = watch.as_mut() {
                        // A last look: the alarm may have fired between two reads.
                        self.watch_alarms(d, w, status, progress).await;
                        let culprits = w.culprits(&reason);
                        if !culprits.is_empty() {
                            return Err(alarm_rollback(d, status, w, &culprits, &reason));
                        }
                    }
                    Err(anyhow!(
                        "{} ({stack}) failed: {reason}\nStack status: {status}.\nWhat to do: {}",
                        d.name,
                        what_to_do(status, stack)
                    ))
                }
            };
        }
    }

    /// Deploys stacks wave by wave (each wave's stacks concurrently). Stops after a wave
    /// with a failure; later stacks are reported as skipped.
    pub async fn deploy_all(
        &self,
        stacks: &[StackDeployment],
        safety: Safety,
    ) -> Result<Vec<(String, Outcome)>> {
        // Renames first: the change sets then see the moved resources under their new IDs.
        self.refactor(stacks).await?;
        self.refuse_name_conflicts(stacks).await?;
        let waves = order::waves(
            stacks
                .iter()
                .map(|s| (s.stack_name.as_str(), s.depends_on.as_slice())),
        )?;
        let mut outcomes = Vec::new();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (i, wave) in waves.iter().enumerate() {
            let jobs = wave.iter().map(|stack_name| {
                let d = stacks
                    .iter()
                    .find(|s| &s.stack_name == stack_name)
                    .expect("wave names come from the list");
                let upstream = order::ancestors(
                    stacks
                        .iter()
                        .map(|s| (s.stack_name.as_str(), s.depends_on.as_slice())),
                    stack_name,
                )
                .iter()
                .any(|a| changed.contains(a));
                async move { (d, self.deploy_stack(d, safety, upstream).await) }
            });
            let results = futures_util::future::join_all(jobs).await;
            let mut errors = Vec::new();
            for (d, r) in results {
                match r {
                    Ok(o) => {
                        if o != Outcome::Unchanged {
                            changed.insert(d.stack_name.clone());
                        }
                        outcomes.push((d.name.clone(), o));
                    }
                    Err(e) => errors.push(format!("{e:#}")),
                }
            }
            if !errors.is_empty() {
                let skipped: Vec<&str> = waves[i + 1..]
                    .iter()
                    .flatten()
                    .filter_map(|n| {
                        stacks
                            .iter()
                            .find(|s| &s.stack_name == n)
                            .map(|s| s.name.as_str())
                    })
                    .collect();
                let mut msg = errors.join("\n");
                if !skipped.is_empty() {
                    msg.push_str(&format!(
                        "\nNot deployed (after the failure): {}",
                        skipped.join(", ")
                    ));
                }
                bail!(msg);
            }
        }
        Ok(outcomes)
    }
}

/// The failure of a stack an alarm rolled back: which alarm, and CloudWatch's why.
fn alarm_rollback(
    d: &StackDeployment,
    status: &str,
    watch: &AlarmWatch<'_>,
    culprits: &[super::alarms::AlarmState],
    reason: &str,
) -> anyhow::Error {
    let who = culprits
        .iter()
        .map(bake::explain)
        .collect::<Vec<_>>()
        .join("; ");
    let how = match &watch.cancelled_for {
        Some(name) => format!(
            "the engine cancelled the update because {name} (watched beyond CloudFormation's \
             rollback triggers) went into ALARM"
        ),
        None => "CloudFormation rolled it back through its rollback triggers".to_string(),
    };
    anyhow!(
        "{} ({}) rolled back: alarm in ALARM during the update or its bake: {who}.\n{how}.\n\
         CloudFormation: {reason}\nStack status: {status}.\nWhat to do: the previous version \
         is live again. Look at the alarm's metric (the new version likely caused it), fix, \
         then deploy again.",
        d.name,
        d.stack_name
    )
}

pub fn what_to_do(status: &str, stack: &str) -> String {
    match status {
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" => format!(
            "the first create failed and was rolled back. Fix the cause, then deploy again: the \
             engine offers to delete the empty stack {stack} and create it anew."
        ),
        "UPDATE_ROLLBACK_COMPLETE" => "the update was rolled back and the previous version is \
             live. Fix the cause, then deploy again."
            .to_string(),
        "UPDATE_ROLLBACK_FAILED" => format!(
            "the rollback failed. Deploy again to continue the rollback, or skip the failing \
             resources: `aws cloudformation continue-update-rollback --stack-name {stack} \
             --resources-to-skip <LogicalId>`."
        ),
        _ => "look at the stack's events in the CloudFormation console, fix the cause, then \
              deploy again."
            .to_string(),
    }
}

/// Per logical ID, the replacement AWS reports in a change set (absent in moto).
pub fn replacement_verdicts(info: &ChangeSetInfo) -> BTreeMap<String, Replacement> {
    info.changes
        .iter()
        .filter_map(|c| {
            let v = match c.replacement.as_deref()? {
                "True" => Replacement::Always,
                "Conditional" => Replacement::Conditional,
                "False" => Replacement::Never,
                _ => return None,
            };
            Some((c.logical_id.clone(), v))
        })
        .collect()
}

/// Functions whose code key parameter differs from the deployed value.
pub fn code_changes(d: &StackDeployment, deployed: &BTreeMap<String, String>) -> Vec<CodeChange> {
    d.code_parameters
        .iter()
        .filter_map(|(param, function)| {
            let new = d.parameters.get(param)?;
            let old = deployed.get(param);
            (old != Some(new)).then(|| CodeChange {
                function_name: function.clone(),
                old_key: old.cloned(),
                new_key: new.clone(),
            })
        })
        .collect()
}
