//! An EventBridge Scheduler schedule that invokes one Lambda function, through a role
//! that may invoke only that function, with retries and a dead-letter queue.
use super::function::FunctionRef;
use super::grant::Grantable;
use super::role::Role;
use super::stack::Stack;
use cfn::scheduler::schedule::{
    DeadLetterConfig, FlexibleTimeWindow, FlexibleTimeWindowMode, RetryPolicy,
    Schedule as ScheduleProps, ScheduleState, Target,
};
use cfn::sqs::Queue;
use cfn_core::iam::{actions, Statement};
use cfn_core::{Expr, LogicalId, Val};

/// When a run may start relative to its scheduled time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeWindow {
    /// At the scheduled time (`Mode: OFF`).
    Exact,
    /// Anywhere within this many minutes after it, which lets Scheduler spread load
    /// (`Mode: FLEXIBLE` with its required `MaximumWindowInMinutes`).
    Flexible { maximum_minutes: u32 },
}

/// What a schedule tells the alarms watching it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledRuns {
    /// Seconds between runs, for a `rate(...)` expression.
    pub interval_seconds: Option<u32>,
    /// The dead-letter queue of runs Scheduler could not deliver.
    pub dead_letter_queue: String,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: LogicalId,
    name: String,
    expression: String,
    description: String,
    window: TimeWindow,
}

impl Schedule {
    /// `expression` is a scheduler expression, e.g. `rate(5 minutes)`.
    pub fn new(stack: &Stack, id: &str, expression: &str, description: &str) -> Schedule {
        Schedule {
            id: LogicalId::from_path(&[id, "schedule"]),
            name: stack.stage.physical_name(id),
            expression: expression.to_string(),
            description: description.to_string(),
            window: TimeWindow::Exact,
        }
    }

    pub fn time_window(mut self, window: TimeWindow) -> Schedule {
        self.window = window;
        self
    }

    /// Seconds between runs of a `rate(N minutes|hours|days)` expression; `None` for
    /// `cron(...)` and `at(...)`.
    pub fn interval_seconds(&self) -> Option<u32> {
        rate_seconds(&self.expression)
    }

    pub fn invoke(self, stack: &mut Stack, target: &FunctionRef) -> ScheduledRuns {
        let runs = ScheduledRuns {
            interval_seconds: self.interval_seconds(),
            dead_letter_queue: format!("{}-dlq", self.name),
        };
        let queue_id = self.id.child("DeadLetterQueue");
        let retain = stack.stage.retain_data;
        stack
            .add(
                queue_id.clone(),
                &Queue {
                    queue_name: Some(runs.dead_letter_queue.as_str().into()),
                    sqs_managed_sse_enabled: Some(true.into()),
                    message_retention_period: Some((14 * 24 * 3600).into()),
                    ..Queue::new()
                },
            )
            // Undelivered runs are evidence: kept with the stage's data.
            .retain(retain);
        stack.suppress(
            &queue_id,
            "CKV_AWS_27",
            "Encrypted with SQS-managed keys (SSE-SQS); the messages are schedule payloads without user data",
        );
        let queue_arn = Queue::att_arn(&queue_id);
        let mut role = Role::for_service(
            self.id.child("Role"),
            "scheduler.amazonaws.com",
            &format!("Lets schedule {} invoke its target", self.name),
        )
        .require_source_account();
        role.grant(Statement::allow(
            &[actions::lambda::INVOKE_FUNCTION],
            vec![target.arn()],
        ));
        role.grant(Statement::allow(
            &[actions::sqs::SEND_MESSAGE],
            vec![queue_arn.clone()],
        ));
        let role_arn = role.arn();
        role.render(stack);
        let target = Target {
            retry_policy: Some(RetryPolicy {
                // A run older than the interval is superseded by the next one.
                maximum_event_age_in_seconds: Some(whole_number(300)),
                maximum_retry_attempts: Some(whole_number(2)),
            }),
            dead_letter_config: Some(DeadLetterConfig {
                arn: Some(queue_arn.into()),
            }),
            ..Target::new(target.arn(), role_arn)
        };
        stack.add(
            self.id.clone(),
            &ScheduleProps {
                name: Some(self.name.as_str().into()),
                description: Some(self.description.as_str().into()),
                state: Some(ScheduleState::Enabled.into()),
                ..ScheduleProps::new(
                    flexible_time_window(self.window),
                    self.expression.as_str(),
                    target,
                )
            },
        );
        runs
    }
}

/// `rate(5 minutes)` → 300. The unit may be singular (`rate(1 hour)`).
pub fn rate_seconds(expression: &str) -> Option<u32> {
    let inner = expression.strip_prefix("rate(")?.strip_suffix(')')?;
    let (value, unit) = inner.trim().split_once(' ')?;
    let value: u32 = value.parse().ok()?;
    let unit_seconds = match unit.trim().trim_end_matches('s') {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        _ => return None,
    };
    value.checked_mul(unit_seconds)
}

fn flexible_time_window(window: TimeWindow) -> FlexibleTimeWindow {
    match window {
        TimeWindow::Exact => FlexibleTimeWindow::new(FlexibleTimeWindowMode::Off),
        TimeWindow::Flexible { maximum_minutes } => FlexibleTimeWindow {
            maximum_window_in_minutes: Some(whole_number(maximum_minutes.into())),
            ..FlexibleTimeWindow::new(FlexibleTimeWindowMode::Flexible)
        },
    }
}

/// The schema types these counts as `number`; written as an integer (`300`, not `300.0`),
/// as CloudFormation documents them and as the committed templates have them.
fn whole_number(n: i64) -> Val<f64> {
    Expr::Int(n).into()
}
