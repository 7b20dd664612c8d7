//! The bake: each stack's change set carries a `RollbackConfiguration` whose triggers are
//! the stage's alarms watching that stack, and whose monitoring time is the stage's bake
//! time. CloudFormation rolls the stack back when one of them goes into ALARM during the
//! update or the bake; the engine shows the alarms' states meanwhile and says which alarm
//! rolled it back, and why.
//!
//! CloudFormation takes at most 5 triggers per stack. With more alarms, the 5 with the
//! highest [`WatchedAlarm::priority`] (an API's 5xx, then functions' errors, latency,
//! the rest; by name within each) are triggers;
//! the engine watches the rest itself and cancels the update (`CancelUpdateStack`, which
//! rolls it back) when one of them goes into ALARM while the update or its bake runs.
//! Unlike the triggers, those only protect while the engine runs.
use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};

use super::alarms::{AlarmSource, AlarmState, WatchedAlarm};
use super::cfn::{RollbackConfig, MAX_MONITORING_MINUTES, MAX_ROLLBACK_TRIGGERS};
use super::ui::Prompter;
use crate::app::Stage;

/// What one stack's deploy watches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BakePlan {
    /// Sent to CloudFormation as rollback triggers (deployed alarms, at most 5).
    pub triggers: Vec<AlarmState>,
    /// Deployed alarms beyond the 5: watched by the engine, which cancels the update.
    pub engine_watched: Vec<AlarmState>,
    /// Declared alarms not deployed yet (first deploy: their stack comes later).
    /// CloudFormation fails an operation whose trigger does not exist, so they are left out.
    pub not_deployed: Vec<String>,
    pub minutes: u32,
    /// `--no-bake`: no triggers, no monitoring time (and the stack's old triggers cleared).
    pub disabled: bool,
}

impl BakePlan {
    /// The plan for one stack from its declared alarms and what DescribeAlarms found.
    pub fn new(declared: &[WatchedAlarm], deployed: &[AlarmState], minutes: u32) -> BakePlan {
        let mut ranked: Vec<&WatchedAlarm> = declared.iter().collect();
        ranked.sort_by(|a, b| (a.priority(), &a.name).cmp(&(b.priority(), &b.name)));
        let mut seen = BTreeSet::new();
        let mut plan = BakePlan {
            minutes: minutes.min(MAX_MONITORING_MINUTES),
            ..BakePlan::default()
        };
        for alarm in ranked {
            if !seen.insert(alarm.name.clone()) {
                continue;
            }
            match deployed.iter().find(|d| d.name == alarm.name) {
                Some(state) if plan.triggers.len() < MAX_ROLLBACK_TRIGGERS => {
                    plan.triggers.push(state.clone())
                }
                Some(state) => plan.engine_watched.push(state.clone()),
                None => plan.not_deployed.push(alarm.name.clone()),
            }
        }
        plan
    }

    /// `--no-bake`: nothing watched, and the stack's saved triggers replaced by none.
    pub fn disabled() -> BakePlan {
        BakePlan {
            disabled: true,
            ..BakePlan::default()
        }
    }

    pub fn rollback_config(&self) -> RollbackConfig {
        RollbackConfig {
            triggers: self.triggers.iter().map(|a| a.arn.clone()).collect(),
            monitoring_minutes: self.minutes,
        }
    }

    /// Every deployed alarm the engine reads during the deploy.
    pub fn alarm_names(&self) -> Vec<String> {
        self.triggers
            .iter()
            .chain(&self.engine_watched)
            .map(|a| a.name.clone())
            .collect()
    }

    pub fn is_trigger(&self, name: &str) -> bool {
        self.triggers.iter().any(|a| a.name == name)
    }

    /// One line for the deploy's output.
    pub fn describe(&self) -> String {
        if self.disabled {
            return "no bake (--no-bake): no rollback triggers, no monitoring time".into();
        }
        fn names(v: &[AlarmState]) -> Vec<&str> {
            v.iter().map(|a| a.name.as_str()).collect()
        }
        let mut out = if self.triggers.is_empty() {
            "no alarms watch this stack".to_string()
        } else {
            format!(
                "rollback triggers: {}; bake {} min",
                names(&self.triggers).join(", "),
                self.minutes
            )
        };
        if !self.engine_watched.is_empty() {
            out.push_str(&format!(
                "; watched by the engine (over CloudFormation's {MAX_ROLLBACK_TRIGGERS}): {}",
                names(&self.engine_watched).join(", ")
            ));
        }
        if !self.not_deployed.is_empty() {
            out.push_str(&format!(
                "; not deployed yet, not watched: {}",
                self.not_deployed.join(", ")
            ));
        }
        out
    }
}

/// Per stack name, the bake plan of a stage deploy: declared alarms (from the templates)
/// looked up in CloudWatch.
pub async fn plan_stage(
    alarms: &dyn AlarmSource,
    watched: &BTreeMap<String, Vec<WatchedAlarm>>,
    stack_names: &[String],
    stage: Stage,
    no_bake: bool,
) -> Result<BTreeMap<String, BakePlan>> {
    if no_bake {
        return Ok(stack_names
            .iter()
            .map(|s| (s.clone(), BakePlan::disabled()))
            .collect());
    }
    let mut names: Vec<String> = watched.values().flatten().map(|a| a.name.clone()).collect();
    names.sort();
    names.dedup();
    let deployed = if names.is_empty() {
        Vec::new()
    } else {
        alarms
            .describe(&names)
            .await
            .map_err(|e| anyhow::anyhow!("DescribeAlarms failed: {e}"))?
    };
    Ok(stack_names
        .iter()
        .map(|s| {
            let declared = watched.get(s).map(Vec::as_slice).unwrap_or_default();
            (
                s.clone(),
                BakePlan::new(declared, &deployed, stage.bake_minutes),
            )
        })
        .collect())
}

/// `--no-bake` skips the rollback triggers: refused in production unless the person at
/// the terminal types the confirmation.
pub fn confirm_no_bake(stage: Stage, prompter: &dyn Prompter) -> Result<()> {
    if !stage.production {
        return Ok(());
    }
    let expected = format!("deploy {stage} without bake");
    if prompter.typed(
        &format!(
            "--no-bake: {stage} deploys without alarms as rollback triggers and without the \
             {}-minute bake.",
            stage.bake_minutes
        ),
        &expected,
    ) {
        return Ok(());
    }
    bail!(
        "--no-bake is refused in {stage} without the typed confirmation '{expected}' (in a \
         terminal). It is for emergencies, e.g. a fix for the very alarm that would roll \
         the deploy back."
    )
}

/// Alarms in ALARM right now, among these.
pub fn firing(states: &[AlarmState]) -> Vec<&AlarmState> {
    states.iter().filter(|a| a.state == "ALARM").collect()
}

/// `name (reason)` for messages.
pub fn explain(alarm: &AlarmState) -> String {
    if alarm.reason.is_empty() {
        alarm.name.clone()
    } else {
        format!("{} ({})", alarm.name, alarm.reason)
    }
}

/// What the engine has seen of one stack's alarms while following its update.
#[derive(Debug)]
pub struct AlarmWatch<'p> {
    pub plan: &'p BakePlan,
    last: BTreeMap<String, String>,
    /// Alarms seen in ALARM, by name (the latest state).
    pub fired: BTreeMap<String, AlarmState>,
    /// The engine-watched alarm it cancelled the update for.
    pub cancelled_for: Option<String>,
}

impl<'p> AlarmWatch<'p> {
    pub fn new(plan: &'p BakePlan) -> AlarmWatch<'p> {
        AlarmWatch {
            plan,
            last: BTreeMap::new(),
            fired: BTreeMap::new(),
            cancelled_for: None,
        }
    }

    /// Takes fresh states; returns the lines worth showing (first sight, changes).
    pub fn observe(&mut self, states: &[AlarmState]) -> Vec<String> {
        let mut lines = Vec::new();
        if self.last.is_empty() && !states.is_empty() {
            lines.push(format!("alarms: {}", summary(states)));
        }
        for a in states {
            let before = self.last.insert(a.name.clone(), a.state.clone());
            if let Some(before) = before.filter(|b| b != &a.state) {
                lines.push(format!(
                    "alarm {}: {before} → {}{}",
                    a.name,
                    a.state,
                    if a.reason.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", a.reason)
                    }
                ));
            }
            if a.state == "ALARM" {
                self.fired.insert(a.name.clone(), a.clone());
            }
        }
        lines
    }

    /// An engine-watched alarm in ALARM the update has not been cancelled for yet.
    pub fn to_cancel_for(&self) -> Option<&AlarmState> {
        if self.cancelled_for.is_some() {
            return None;
        }
        self.fired.values().find(|a| !self.plan.is_trigger(&a.name))
    }

    /// Alarms that explain a rollback: seen in ALARM, or named in CloudFormation's reason.
    pub fn culprits(&self, failure: &str) -> Vec<AlarmState> {
        let mut out: Vec<AlarmState> = self.fired.values().cloned().collect();
        for a in self.plan.triggers.iter().chain(&self.plan.engine_watched) {
            let named = failure.contains(&a.arn) || failure.contains(&a.name);
            if named && !self.fired.contains_key(&a.name) {
                out.push(a.clone());
            }
        }
        out
    }

    /// The line shown while waiting: what CloudFormation does and what the alarms say.
    pub fn waiting_line(&self, status: &str) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for state in self.last.values() {
            *counts.entry(state.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        format!(
            "{status}: waiting for CloudFormation to finish{}; alarms: {}",
            if self.plan.minutes > 0 {
                format!(
                    " and its {}-minute bake (alarms as rollback triggers)",
                    self.plan.minutes
                )
            } else {
                String::new()
            },
            if counts.is_empty() {
                "not read yet".to_string()
            } else {
                counts.join(", ")
            }
        )
    }
}

fn summary(states: &[AlarmState]) -> String {
    states
        .iter()
        .map(|a| format!("{} {}", a.name, a.state))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(name: &str, metric: &str) -> WatchedAlarm {
        WatchedAlarm {
            name: name.into(),
            metric: format!("AWS/Lambda {metric}"),
            watches: "FunctionName=f".into(),
        }
    }

    fn deployed(name: &str) -> AlarmState {
        AlarmState {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:us-east-1:1:alarm:{name}"),
            state: "OK".into(),
            reason: String::new(),
        }
    }

    #[test]
    fn error_alarms_are_the_five_triggers_and_the_rest_is_watched_by_the_engine() {
        let decl = vec![
            declared("a-throttles", "Throttles"),
            declared("b-errors", "Errors"),
            declared("c-throttles", "Throttles"),
            declared("d-errors", "Errors"),
            declared("e-latency", "Duration"),
            declared("f-errors", "Errors"),
            declared("g-errors", "Errors"),
            declared("h-missing", "Errors"),
        ];
        let live: Vec<AlarmState> = decl
            .iter()
            .filter(|d| d.name != "h-missing")
            .map(|d| deployed(&d.name))
            .collect();
        let plan = BakePlan::new(&decl, &live, 500);
        let names = |v: &[AlarmState]| v.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&plan.triggers),
            ["b-errors", "d-errors", "f-errors", "g-errors", "e-latency"]
        );
        assert_eq!(names(&plan.engine_watched), ["a-throttles", "c-throttles"]);
        assert_eq!(plan.not_deployed, ["h-missing"]);
        assert_eq!(plan.minutes, 180, "CloudFormation's maximum");
        let config = plan.rollback_config();
        assert_eq!(config.triggers.len(), 5);
        assert!(config.triggers[0].ends_with(":alarm:b-errors"));
        assert!(plan
            .describe()
            .contains("not deployed yet, not watched: h-missing"));
    }

    #[test]
    fn no_bake_clears_the_triggers() {
        let plan = BakePlan::disabled();
        assert_eq!(plan.rollback_config(), RollbackConfig::default());
        assert!(plan.describe().starts_with("no bake"));
    }
}
