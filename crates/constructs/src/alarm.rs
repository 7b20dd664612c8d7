//! CloudWatch alarms for the metrics a serverless API lives by.
use super::stack::Stack;
use cfn::cloudwatch::alarm::{self as cw, ComparisonOperator, Statistic, TreatMissingData};
use cfn_core::{Expr, LogicalId};

/// What an alarm aggregates per period: a standard statistic or a percentile (`p90`),
/// which CloudFormation takes in a different property.
#[derive(Debug, Clone, Copy, PartialEq)]
enum AlarmStatistic {
    Standard(Statistic),
    Percentile(&'static str),
}

/// The two throttle metrics of a DynamoDB table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamoDbThrottles {
    Read,
    Write,
}

impl DynamoDbThrottles {
    fn metric(self) -> &'static str {
        match self {
            DynamoDbThrottles::Read => "ReadThrottleEvents",
            DynamoDbThrottles::Write => "WriteThrottleEvents",
        }
    }
}

/// One metric alarm: a threshold on a statistic over one-minute periods.
#[derive(Debug, Clone)]
pub struct Alarm {
    pub id: LogicalId,
    name: String,
    description: String,
    namespace: &'static str,
    metric: &'static str,
    dimensions: Vec<(&'static str, Expr)>,
    statistic: AlarmStatistic,
    threshold: f64,
    evaluation_periods: u32,
}

impl Alarm {
    fn new(
        id: LogicalId,
        name: String,
        description: String,
        namespace: &'static str,
        metric: &'static str,
    ) -> Alarm {
        Alarm {
            id,
            name,
            description,
            namespace,
            metric,
            dimensions: Vec::new(),
            statistic: AlarmStatistic::Standard(Statistic::Sum),
            threshold: 1.0,
            evaluation_periods: 1,
        }
    }

    /// Errors of one Lambda function, `threshold` per minute.
    pub fn lambda_errors(function_name: &str, threshold: f64) -> Alarm {
        Alarm {
            threshold,
            dimensions: vec![("FunctionName", Expr::from(function_name))],
            ..Alarm::new(
                LogicalId::from_path(&[function_name, "errors", "alarm"]),
                format!("{function_name}-errors"),
                format!("{function_name}: more than {threshold} errors in a minute"),
                "AWS/Lambda",
                "Errors",
            )
        }
    }

    pub fn lambda_throttles(function_name: &str) -> Alarm {
        Alarm {
            dimensions: vec![("FunctionName", Expr::from(function_name))],
            ..Alarm::new(
                LogicalId::from_path(&[function_name, "throttles", "alarm"]),
                format!("{function_name}-throttles"),
                format!("{function_name}: invocations throttled"),
                "AWS/Lambda",
                "Throttles",
            )
        }
    }

    /// 5xx responses of an HTTP API's `$default` stage.
    pub fn api_server_errors(api_name: &str, api_id: Expr, threshold: f64) -> Alarm {
        Alarm {
            threshold,
            dimensions: vec![("ApiId", api_id), ("Stage", Expr::from("$default"))],
            ..Alarm::new(
                LogicalId::from_path(&[api_name, "5xx", "alarm"]),
                format!("{api_name}-5xx"),
                format!("{api_name}: more than {threshold} 5xx responses in a minute"),
                "AWS/ApiGateway",
                "5xx",
            )
        }
    }

    /// p90 latency above `millis` for three consecutive minutes.
    pub fn api_latency(api_name: &str, api_id: Expr, millis: f64) -> Alarm {
        Alarm {
            threshold: millis,
            statistic: AlarmStatistic::Percentile("p90"),
            evaluation_periods: 3,
            dimensions: vec![("ApiId", api_id), ("Stage", Expr::from("$default"))],
            ..Alarm::new(
                LogicalId::from_path(&[api_name, "latency", "alarm"]),
                format!("{api_name}-latency"),
                format!("{api_name}: p90 latency above {millis} ms for 3 minutes"),
                "AWS/ApiGateway",
                "Latency",
            )
        }
    }

    /// Read or write throttle events of a DynamoDB table.
    pub fn dynamodb_throttles(table_name: &str, throttles: DynamoDbThrottles) -> Alarm {
        let metric = throttles.metric();
        Alarm {
            dimensions: vec![("TableName", Expr::from(table_name))],
            ..Alarm::new(
                LogicalId::from_path(&[table_name, metric, "alarm"]),
                format!("{table_name}-{metric}"),
                format!("{table_name}: {metric}"),
                "AWS/DynamoDB",
                metric,
            )
        }
    }

    pub fn add_to(self, stack: &mut Stack, topic_arn: &Expr) {
        let (statistic, extended_statistic) = match self.statistic {
            AlarmStatistic::Standard(statistic) => (Some(statistic.into()), None),
            AlarmStatistic::Percentile(percentile) => (None, Some(percentile.into())),
        };
        let dimensions = self
            .dimensions
            .into_iter()
            .map(|(name, value)| cw::Dimension::new(name, value))
            .collect();
        stack.add(
            self.id,
            &cw::Alarm {
                alarm_name: Some(self.name.into()),
                alarm_description: Some(self.description.into()),
                namespace: Some(self.namespace.into()),
                metric_name: Some(self.metric.into()),
                dimensions: Some(dimensions),
                statistic,
                extended_statistic,
                period: Some(60.into()),
                evaluation_periods: Some(self.evaluation_periods.into()),
                threshold: Some(self.threshold.into()),
                comparison_operator: Some(ComparisonOperator::GreaterThanThreshold.into()),
                // No traffic is not an outage for these metrics.
                treat_missing_data: Some(TreatMissingData::NotBreaching.into()),
                alarm_actions: Some(vec![topic_arn.into()]),
                ok_actions: Some(vec![topic_arn.into()]),
                ..cw::Alarm::new()
            },
        );
    }
}
