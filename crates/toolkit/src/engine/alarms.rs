//! Which of a stage's CloudWatch alarms watch which stack, read from the synthesized
//! templates, and the alarms' live states (DescribeAlarms).
//!
//! An alarm watches a stack when one of its metric dimensions names something that stack
//! creates: a literal name under the property of the same name (`FunctionName:
//! bubblebatch-dev-auth` → the stack with a resource whose `FunctionName` is that; a
//! schedule *named* `bubblebatch-dev-reminders` is not that function), or a `Ref` to an
//! SSM-typed parameter whose SSM
//! parameter another stack publishes from one of its resources (`ApiId` →
//! `/bubblebatch/dev/api/id` → the Api stack's `HttpApi`).
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use super::cfn::CfnResult;
use super::template::{ref_target, StackTemplate};

/// An alarm of the stage, and what it watches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WatchedAlarm {
    pub name: String,
    /// `AWS/Lambda Errors`.
    pub metric: String,
    /// `FunctionName=bubblebatch-dev-auth`.
    pub watches: String,
}

impl WatchedAlarm {
    /// Lower first: alarms on error metrics catch a bad version fastest, so they are the
    /// first CloudFormation triggers when a stack has more alarms than it takes. An API's
    /// 5xx comes first: it sums every function behind it as users see them.
    pub fn priority(&self) -> u8 {
        let metric = self.metric.rsplit(' ').next().unwrap_or_default();
        match metric {
            "5xx" | "5XXError" => 0,
            "Errors" | "ExecutionsFailed" | "DeadLetterErrors" => 1,
            "Latency" | "Duration" | "IntegrationLatency" => 2,
            _ => 3,
        }
    }
}

/// `Property=value` names (and `ssm:<path>` of published SSM parameters) a stack creates.
fn owned_names(stack: &StackTemplate) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let resources = stack.template.get("Resources").and_then(Value::as_object);
    for (_, resource) in resources.into_iter().flatten() {
        let Some(props) = resource.get("Properties").and_then(Value::as_object) else {
            continue;
        };
        for (key, value) in props {
            if key.ends_with("Name") {
                if let Some(name) = value.as_str() {
                    names.insert(format!("{key}={name}"));
                }
            }
        }
        // An SSM parameter publishing one of this stack's resources.
        let publishes_resource = resource.get("Type").and_then(Value::as_str)
            == Some("AWS::SSM::Parameter")
            && props.get("Value").and_then(ref_target).is_some();
        if publishes_resource {
            if let Some(path) = props.get("Name").and_then(Value::as_str) {
                names.insert(format!("ssm:{path}"));
            }
        }
    }
    names
}

/// `(name, value)` of every dimension of an alarm (also inside metric-math queries).
fn dimensions(props: &Value) -> Vec<(&str, &Value)> {
    let mut lists: Vec<&Value> = props.get("Dimensions").into_iter().collect();
    for m in props
        .get("Metrics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(d) = m.pointer("/MetricStat/Metric/Dimensions") {
            lists.push(d);
        }
    }
    lists
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|d| Some((d.get("Name")?.as_str()?, d.get("Value")?)))
        .collect()
}

fn metric(props: &Value) -> String {
    let one = |v: &Value| {
        Some(format!(
            "{} {}",
            v.get("Namespace")?.as_str()?,
            v.get("MetricName")?.as_str()?
        ))
    };
    one(props)
        .or_else(|| {
            props
                .get("Metrics")?
                .as_array()?
                .iter()
                .find_map(|m| one(m.pointer("/MetricStat/Metric")?))
        })
        .unwrap_or_else(|| "metric math".into())
}

/// Per stack name, the alarms watching that stack's resources (sorted by name). Alarms
/// without a literal `AlarmName` are left out: their names exist only once deployed.
pub fn watched_by_stack(stacks: &[StackTemplate]) -> BTreeMap<String, Vec<WatchedAlarm>> {
    let owners: Vec<(&StackTemplate, BTreeSet<String>)> =
        stacks.iter().map(|s| (s, owned_names(s))).collect();
    let mut out: BTreeMap<String, BTreeSet<WatchedAlarm>> = BTreeMap::new();
    for stack in stacks {
        for (_, props) in stack.resources_of("AWS::CloudWatch::Alarm") {
            let Some(name) = props.get("AlarmName").and_then(Value::as_str) else {
                continue;
            };
            for (dimension, value) in dimensions(props) {
                let key = match (value.as_str(), ref_target(value)) {
                    (Some(literal), _) => format!("{dimension}={literal}"),
                    (None, Some(r)) => match stack.ssm_parameter_path(r) {
                        Some(path) => format!("ssm:{path}"),
                        // A resource of the alarm's own stack.
                        None if stack.resource(r).is_some() => {
                            out.entry(stack.stack_name.clone())
                                .or_default()
                                .insert(WatchedAlarm {
                                    name: name.to_string(),
                                    metric: metric(props),
                                    watches: format!("{dimension}={r}"),
                                });
                            continue;
                        }
                        None => continue,
                    },
                    _ => continue,
                };
                for (owner, names) in &owners {
                    if names.contains(&key) {
                        let shown = match value.as_str() {
                            Some(v) => v.to_string(),
                            None => format!("{} ({})", key.trim_start_matches("ssm:"), owner.name),
                        };
                        out.entry(owner.stack_name.clone())
                            .or_default()
                            .insert(WatchedAlarm {
                                name: name.to_string(),
                                metric: metric(props),
                                watches: format!("{dimension}={shown}"),
                            });
                    }
                }
            }
        }
    }
    out.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

/// An alarm as CloudWatch reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmState {
    pub name: String,
    pub arn: String,
    /// OK, ALARM, INSUFFICIENT_DATA.
    pub state: String,
    /// CloudWatch's explanation, e.g. "Threshold Crossed: 1 datapoint [12.0] ...".
    pub reason: String,
}

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// DescribeAlarms, behind a trait so tests can script alarm states.
pub trait AlarmSource {
    /// The alarms of these names that exist (missing ones are left out).
    fn describe<'a>(&'a self, names: &'a [String]) -> LocalFuture<'a, CfnResult<Vec<AlarmState>>>;
}

/// [`AlarmSource`] over CloudWatch.
pub struct CloudWatchAlarms {
    pub client: aws_sdk_cloudwatch::Client,
}

impl AlarmSource for CloudWatchAlarms {
    fn describe<'a>(&'a self, names: &'a [String]) -> LocalFuture<'a, CfnResult<Vec<AlarmState>>> {
        Box::pin(async move {
            let mut out = Vec::new();
            // DescribeAlarms takes up to 100 names per call.
            for chunk in names.chunks(100) {
                let mut pages = self
                    .client
                    .describe_alarms()
                    .set_alarm_names(Some(chunk.to_vec()))
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|e| super::cfn::CfnError {
                        code: aws_sdk_cloudwatch::error::ProvideErrorMetadata::code(&e)
                            .map(str::to_string),
                        message: aws_sdk_cloudwatch::error::DisplayErrorContext(&e).to_string(),
                    })?;
                    for a in page.metric_alarms() {
                        out.push(AlarmState {
                            name: a.alarm_name().unwrap_or_default().to_string(),
                            arn: a.alarm_arn().unwrap_or_default().to_string(),
                            state: a
                                .state_value()
                                .map(|s| s.as_str().to_string())
                                .unwrap_or_default(),
                            reason: a.state_reason().unwrap_or_default().to_string(),
                        });
                    }
                }
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stack(name: &str, template: Value) -> StackTemplate {
        StackTemplate {
            name: name.into(),
            stack_name: format!("app-dev-{}", name.to_lowercase()),
            template,
        }
    }

    #[test]
    fn alarms_are_mapped_to_the_stacks_whose_resources_they_name() {
        let api = stack(
            "Api",
            json!({"Resources": {
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "app-dev-fn"}},
                "HttpApi": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "app-dev-http"}},
                "ApiIdParameter": {"Type": "AWS::SSM::Parameter",
                    "Properties": {"Name": "/app/dev/api/id", "Value": {"Ref": "HttpApi"}}}}}),
        );
        let data = stack(
            "Data",
            json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table",
                "Properties": {"TableName": "app-dev-table"}},
                // Same name as the function, but not a function: not watched by fn-errors.
                "Schedule": {"Type": "AWS::Scheduler::Schedule", "Properties": {"Name": "app-dev-fn"}}}}),
        );
        let alarm = |name: &str, dims: Value, metric: &str| {
            json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "AlarmName": name, "Namespace": "AWS/X", "MetricName": metric, "Dimensions": dims}})
        };
        let monitoring = stack(
            "Monitoring",
            json!({
            "Parameters": {"ApiId": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/dev/api/id"}},
            "Resources": {
                "A": alarm("fn-errors", json!([{"Name": "FunctionName", "Value": "app-dev-fn"}]), "Errors"),
                "B": alarm("api-5xx", json!([{"Name": "ApiId", "Value": {"Ref": "ApiId"}}, {"Name": "Stage", "Value": "$default"}]), "5xx"),
                "C": alarm("table-throttles", json!([{"Name": "TableName", "Value": "app-dev-table"}]), "ReadThrottleEvents"),
                "D": alarm("elsewhere", json!([{"Name": "FunctionName", "Value": "other-fn"}]), "Errors"),
                "E": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"MetricName": "Errors",
                    "Dimensions": [{"Name": "FunctionName", "Value": "app-dev-fn"}]}}
            }}),
        );
        let watched = watched_by_stack(&[api, data, monitoring]);
        let names =
            |stack: &str| -> Vec<&str> { watched[stack].iter().map(|a| a.name.as_str()).collect() };
        assert_eq!(names("app-dev-api"), ["api-5xx", "fn-errors"]);
        assert_eq!(names("app-dev-data"), ["table-throttles"]);
        assert!(!watched.contains_key("app-dev-monitoring"));
        let api_5xx = &watched["app-dev-api"][0];
        assert_eq!(api_5xx.watches, "ApiId=/app/dev/api/id (Api)");
        assert_eq!(api_5xx.metric, "AWS/X 5xx");
        assert_eq!(api_5xx.priority(), 0);
        assert_eq!(watched["app-dev-data"][0].priority(), 3);
    }
}
