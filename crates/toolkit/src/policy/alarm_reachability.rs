//! ALARM_REACHABLE: an alarm on a Lambda function's `Errors` (or `AsyncEventsDropped`)
//! must be able to fire. For a function whose only trigger is a `rate(...)` schedule the
//! metric has a ceiling: at most one run per interval, each tried at most 1 + retries
//! times (the function's `AWS::Lambda::EventInvokeConfig`, else Lambda's default of 2).
//! An alarm whose period's threshold, or whose count of breaching periods, lies above
//! that ceiling never fires (e.g. "> 10 errors in a minute" on a 5-minute schedule).
//!
//! Written in Rust rather than Guard: the check is arithmetic across resources of
//! different stacks. It runs on the stage document (all stacks merged) in both the
//! built-in and the cfn-guard evaluation, and a resource opts out like from any rule.
use serde_json::{Map, Value};
use std::collections::HashMap;

use super::Violation;

pub const RULE: &str = "ALARM_REACHABLE";

/// Lambda's retries of a failed asynchronous invocation when nothing bounds them.
const DEFAULT_ASYNC_RETRIES: u64 = 2;

/// Metrics counting at most one data point per invocation attempt.
const PER_ATTEMPT_METRICS: [&str; 2] = ["Errors", "AsyncEventsDropped"];

/// Resource types through which something other than the schedule can invoke a function.
const OTHER_TRIGGERS: [&str; 3] = [
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Url",
];

/// A function whose invocations are bounded by a schedule.
struct Scheduled<'a> {
    schedule: &'a str,
    interval_seconds: u64,
    attempts_per_run: u64,
}

/// The stage's resources: `(stack name, logical id, resource)`, stack by stack.
fn all<'a>(
    stacks: &'a [(&'a str, &'a Map<String, Value>)],
) -> impl Iterator<Item = (&'a str, &'a str, &'a Value)> + 'a {
    stacks
        .iter()
        .flat_map(|(stack, resources)| resources.iter().map(|(id, r)| (*stack, id.as_str(), r)))
}

/// What the rule looks up for each alarm, gathered in one pass over the stage: looking
/// each alarm's function up across all resources made a 1,000-function stage take seconds.
#[derive(Default)]
struct Index<'a> {
    /// FunctionName → (stack, logical ID) of the first function with that name.
    functions: HashMap<&'a str, (&'a str, &'a str)>,
    /// (stack, properties) of every schedule.
    schedules: Vec<(&'a str, &'a Value)>,
    /// Resources through which something else can invoke a function.
    other_triggers: Vec<&'a Value>,
    invoke_configs: Vec<&'a Value>,
}

impl<'a> Index<'a> {
    fn of(stacks: &'a [(&'a str, &'a Map<String, Value>)]) -> Index<'a> {
        let mut index = Index::default();
        for (stack, id, resource) in all(stacks) {
            match resource["Type"].as_str().unwrap_or("") {
                "AWS::Lambda::Function" => {
                    if let Some(name) = resource["Properties"]["FunctionName"].as_str() {
                        index.functions.entry(name).or_insert((stack, id));
                    }
                }
                "AWS::Scheduler::Schedule" => {
                    index.schedules.push((stack, &resource["Properties"]));
                }
                "AWS::Lambda::EventInvokeConfig" => index.invoke_configs.push(resource),
                kind if OTHER_TRIGGERS.contains(&kind) => index.other_triggers.push(resource),
                _ => {}
            }
        }
        index
    }
}

/// `stacks` are the stage's, each with its resources.
pub fn violations(stacks: &[(&str, &Map<String, Value>)]) -> Vec<Violation> {
    let mut found = Vec::new();
    let index = Index::of(stacks);
    for (stack, id, alarm) in all(stacks) {
        if alarm["Type"] != "AWS::CloudWatch::Alarm" || suppressed(alarm) {
            continue;
        }
        let p = &alarm["Properties"];
        let Some(metric) = p["MetricName"].as_str() else {
            continue; // metric math: not bounded by invocations
        };
        if p["Namespace"] != "AWS/Lambda"
            || !PER_ATTEMPT_METRICS.contains(&metric)
            || p["Statistic"] != "Sum"
        {
            continue;
        }
        let Some(function_name) = function_dimension(p) else {
            continue;
        };
        let Some(scheduled) = scheduled_function(&index, function_name) else {
            continue;
        };
        if let Some(why) = unreachable(p, &scheduled) {
            found.push(Violation {
                rule: RULE.into(),
                resource: Some(id.to_string()),
                stack: stack.to_string(),
                message: format!(
                    "alarm on {metric} of {function_name} can never fire: {function_name} runs \
                     once every {} s ({}) with at most {} attempts per run, {why}; \
                     alarm on any error over the schedule's interval instead",
                    scheduled.interval_seconds, scheduled.schedule, scheduled.attempts_per_run
                ),
            });
        }
    }
    found
}

fn suppressed(resource: &Value) -> bool {
    resource["Metadata"]["guard"]["SuppressedRules"]
        .as_array()
        .is_some_and(|rules| rules.iter().any(|r| r == RULE))
}

fn function_dimension(properties: &Value) -> Option<&str> {
    properties["Dimensions"]
        .as_array()?
        .iter()
        .find(|d| d["Name"] == "FunctionName")?["Value"]
        .as_str()
}

/// Why the alarm's threshold cannot be met, or `None` when it can.
fn unreachable(p: &Value, scheduled: &Scheduled) -> Option<String> {
    let period = p["Period"].as_u64()?;
    let threshold = p["Threshold"].as_f64()?;
    let evaluation_periods = p["EvaluationPeriods"].as_u64().unwrap_or(1);
    let datapoints = p["DatapointsToAlarm"]
        .as_u64()
        .unwrap_or(evaluation_periods);
    let runs_per_period = period.div_ceil(scheduled.interval_seconds);
    let most_per_period = (runs_per_period * scheduled.attempts_per_run) as f64;
    let reaches = match p["ComparisonOperator"].as_str()? {
        "GreaterThanThreshold" => most_per_period > threshold,
        "GreaterThanOrEqualToThreshold" => most_per_period >= threshold,
        _ => return None, // a lower bound is reached by no traffic at all
    };
    if !reaches {
        return Some(format!(
            "so at most {most_per_period} in a {period} s period, never above the threshold {threshold}"
        ));
    }
    // Each attempt lands in at most one period: that many periods of the window can breach.
    let runs_in_window = (period * evaluation_periods).div_ceil(scheduled.interval_seconds);
    let breaching_periods = runs_in_window * scheduled.attempts_per_run;
    (breaching_periods < datapoints).then(|| {
        format!(
            "so at most {breaching_periods} of {evaluation_periods} periods of {period} s can \
             breach, fewer than the {datapoints} the alarm needs"
        )
    })
}

/// The schedule bounding `function_name`'s invocations, if a `rate(...)` schedule is its
/// only trigger.
fn scheduled_function<'a>(index: &Index<'a>, function_name: &str) -> Option<Scheduled<'a>> {
    let &(stack, logical_id) = index.functions.get(function_name)?;
    let invokes_it = |target: &Value| {
        target["Fn::GetAtt"][0] == logical_id
            || target
                .as_str()
                .is_some_and(|arn| arn.ends_with(&format!(":function:{function_name}")))
    };
    let mut schedule = None;
    for &(schedule_stack, p) in &index.schedules {
        if schedule_stack == stack && invokes_it(&p["Target"]["Arn"]) {
            if schedule.is_some() {
                return None; // two schedules: this rule keeps to the simple case
            }
            let expression = p["ScheduleExpression"].as_str()?;
            let interval = constructs::schedule::rate_seconds(expression)?;
            schedule = Some((expression, u64::from(interval)));
        }
    }
    // Asked only of scheduled functions: most functions have no schedule.
    let (expression, interval_seconds) = schedule?;
    if index
        .other_triggers
        .iter()
        .any(|r| mentions(r, logical_id, function_name))
    {
        return None;
    }
    let retries = index
        .invoke_configs
        .iter()
        .find(|r| mentions(&r["Properties"]["FunctionName"], logical_id, function_name))
        .and_then(|config| config["Properties"]["MaximumRetryAttempts"].as_u64())
        .unwrap_or(DEFAULT_ASYNC_RETRIES);
    Some(Scheduled {
        schedule: expression,
        interval_seconds,
        attempts_per_run: 1 + retries,
    })
}

/// Whether `value` names the function: its logical ID (`Ref`, `Fn::GetAtt`) or its name.
fn mentions(value: &Value, logical_id: &str, function_name: &str) -> bool {
    match value {
        Value::String(s) => s == logical_id || s.contains(function_name),
        Value::Array(items) => items.iter().any(|v| mentions(v, logical_id, function_name)),
        Value::Object(fields) => fields
            .values()
            .any(|v| mentions(v, logical_id, function_name)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A stage with one stack `S`: a function on `rate(5 minutes)` and the given alarm.
    fn stage(alarm: Value, extra: &[(&str, Value)]) -> Map<String, Value> {
        let mut resources = json!({
            "SFn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "app-dev-job"}},
            "SSchedule": {"Type": "AWS::Scheduler::Schedule", "Properties": {
                "ScheduleExpression": "rate(5 minutes)",
                "Target": {"Arn": {"Fn::GetAtt": ["Fn", "Arn"]}}
            }},
            "SAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": alarm},
        });
        for (id, resource) in extra {
            resources[*id] = resource.clone();
        }
        resources.as_object().unwrap().clone()
    }

    fn errors_alarm(period: u64, threshold: f64, evaluation_periods: u64) -> Value {
        json!({
            "Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum",
            "Dimensions": [{"Name": "FunctionName", "Value": "app-dev-job"}],
            "Period": period, "Threshold": threshold, "EvaluationPeriods": evaluation_periods,
            "ComparisonOperator": "GreaterThanThreshold"
        })
    }

    /// Stack `S`'s resources are the keys after its name.
    fn check(resources: &Map<String, Value>) -> Vec<Violation> {
        let own: Map<String, Value> = resources
            .iter()
            .map(|(key, r)| (key.strip_prefix('S').unwrap().to_string(), r.clone()))
            .collect();
        violations(&[("S", &own)])
    }

    #[test]
    fn more_than_ten_errors_a_minute_on_a_five_minute_schedule_is_unreachable() {
        let found = check(&stage(errors_alarm(60, 10.0, 1), &[]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, RULE);
        assert_eq!(found[0].resource.as_deref(), Some("Alarm"));
        assert!(
            found[0]
                .message
                .contains("at most 3 in a 60 s period, never above the threshold 10"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn any_error_over_the_interval_is_reachable() {
        assert_eq!(check(&stage(errors_alarm(300, 0.0, 1), &[])), vec![]);
    }

    #[test]
    fn bounded_retries_lower_the_ceiling() {
        let config = json!({"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
            "FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0
        }});
        // One attempt per run: "more than 1 error a minute" cannot happen any more.
        let found = check(&stage(errors_alarm(60, 1.0, 1), &[("SConfig", config)]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("at most 1 attempts per run"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn more_breaching_minutes_than_runs_in_the_window_is_unreachable() {
        // 3 consecutive breaching minutes out of 3, with one attempt every 5 minutes.
        let config = json!({"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
            "FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0
        }});
        let found = check(&stage(errors_alarm(60, 0.0, 3), &[("SConfig", config)]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("at most 1 of 3 periods"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_function_with_another_trigger_is_not_bounded_by_its_schedule() {
        let permission = json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]}, "Principal": "apigateway.amazonaws.com"
        }});
        let found = check(&stage(
            errors_alarm(60, 10.0, 1),
            &[("SApiPermission", permission)],
        ));
        assert_eq!(found, vec![]);
    }

    #[test]
    fn a_suppressed_alarm_is_left_alone() {
        let mut resources = stage(errors_alarm(60, 10.0, 1), &[]);
        resources["SAlarm"]["Metadata"] = json!({"guard": {"SuppressedRules": [RULE]}});
        assert_eq!(check(&resources), vec![]);
    }
}
