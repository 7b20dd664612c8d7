//! CloudWatch alarms for the metrics a serverless API lives by. Each constructor derives
//! its period and threshold from what it watches, so that the alarm can fire: a function
//! run every N minutes alarms on any error in N minutes (a per-minute count above 1 could
//! never be reached), a dead-letter queue on any message, an API on its 5xx rate.
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

/// Where an alarm's numbers come from.
#[derive(Debug, Clone)]
enum Source {
    /// One metric aggregated per period.
    Metric {
        metric: &'static str,
        statistic: AlarmStatistic,
    },
    /// `100 × part / whole` in percent, both summed per period (metric math); 0 when
    /// `whole` is 0, so no traffic is no error rate.
    Percentage {
        part: &'static str,
        whole: &'static str,
    },
}

/// One alarm: a threshold on a metric (or a percentage of two) per period.
#[derive(Debug, Clone)]
pub struct Alarm {
    pub id: LogicalId,
    name: String,
    description: String,
    namespace: &'static str,
    dimensions: Vec<(&'static str, Expr)>,
    source: Source,
    period_seconds: u32,
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
            dimensions: Vec::new(),
            source: Source::Metric {
                metric,
                statistic: AlarmStatistic::Standard(Statistic::Sum),
            },
            period_seconds: 60,
            threshold: 1.0,
            evaluation_periods: 1,
        }
    }

    /// Errors of one Lambda function invoked on demand (API, queue), `threshold` per minute.
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

    /// Errors of a function run on a schedule every `interval_seconds`: any error in one
    /// interval. (At one run per interval, a per-minute threshold above the attempts of
    /// one run is never reached.)
    pub fn scheduled_lambda_errors(function_name: &str, interval_seconds: u32) -> Alarm {
        Alarm {
            threshold: 0.0,
            period_seconds: interval_seconds,
            dimensions: vec![("FunctionName", Expr::from(function_name))],
            ..Alarm::new(
                LogicalId::from_path(&[function_name, "errors", "alarm"]),
                format!("{function_name}-errors"),
                format!(
                    "{function_name}: any error within one scheduled interval ({})",
                    duration(interval_seconds)
                ),
                "AWS/Lambda",
                "Errors",
            )
        }
    }

    /// Asynchronous runs of a function dropped after their bounded retries or maximum
    /// age (its event-invoke config): any such run in `period_seconds`.
    pub fn lambda_runs_dropped(function_name: &str, period_seconds: u32) -> Alarm {
        Alarm {
            threshold: 0.0,
            period_seconds,
            dimensions: vec![("FunctionName", Expr::from(function_name))],
            ..Alarm::new(
                LogicalId::from_path(&[function_name, "dropped", "alarm"]),
                format!("{function_name}-dropped"),
                format!(
                    "{function_name}: a run was given up after its retries (within {})",
                    duration(period_seconds)
                ),
                "AWS/Lambda",
                "AsyncEventsDropped",
            )
        }
    }

    pub fn lambda_throttles(function_name: &str) -> Alarm {
        Alarm {
            dimensions: vec![("FunctionName", Expr::from(function_name))],
            ..Alarm::new(
                LogicalId::from_path(&[function_name, "throttles", "alarm"]),
                format!("{function_name}-throttles"),
                format!("{function_name}: more than 1 invocation throttled in a minute"),
                "AWS/Lambda",
                "Throttles",
            )
        }
    }

    /// Any message visible in a dead-letter queue: each one is a run that failed for good.
    pub fn dead_letter_queue(queue_name: &str) -> Alarm {
        Alarm {
            threshold: 0.0,
            // SQS publishes its queue metrics every five minutes.
            period_seconds: 300,
            source: Source::Metric {
                metric: "ApproximateNumberOfMessagesVisible",
                statistic: AlarmStatistic::Standard(Statistic::Maximum),
            },
            dimensions: vec![("QueueName", Expr::from(queue_name))],
            ..Alarm::new(
                LogicalId::from_path(&[queue_name, "messages", "alarm"]),
                format!("{queue_name}-messages"),
                format!("{queue_name}: a message is waiting in the dead-letter queue"),
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
            )
        }
    }

    /// The share of 5xx responses of an HTTP API's `$default` stage above `percent` over
    /// five minutes (metric math on `5xx` and `Count`): a rate, so it means the same at
    /// ten requests a minute as at ten thousand.
    pub fn api_server_error_rate(api_name: &str, api_id: Expr, percent: f64) -> Alarm {
        Alarm {
            threshold: percent,
            period_seconds: 300,
            source: Source::Percentage {
                part: "5xx",
                whole: "Count",
            },
            dimensions: vec![("ApiId", api_id), ("Stage", Expr::from("$default"))],
            ..Alarm::new(
                LogicalId::from_path(&[api_name, "5xx", "alarm"]),
                format!("{api_name}-5xx"),
                format!("{api_name}: more than {percent}% of responses are 5xx over 5 minutes"),
                "AWS/ApiGateway",
                "5xx",
            )
        }
    }

    /// p90 latency above `millis` for three consecutive minutes.
    pub fn api_latency(api_name: &str, api_id: Expr, millis: f64) -> Alarm {
        Alarm {
            threshold: millis,
            source: Source::Metric {
                metric: "Latency",
                statistic: AlarmStatistic::Percentile("p90"),
            },
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
                format!("{table_name}: more than 1 {metric} in a minute"),
                "AWS/DynamoDB",
                metric,
            )
        }
    }

    /// The alarm's name and what makes it fire, for documentation tables.
    pub fn summary(&self) -> (&str, &str) {
        (&self.name, &self.description)
    }

    pub fn add_to(self, stack: &mut Stack, topic_arn: &Expr) {
        let dimensions = || -> Vec<cw::Dimension> {
            self.dimensions
                .iter()
                .map(|(name, value)| cw::Dimension::new(*name, value.clone()))
                .collect()
        };
        let mut alarm = cw::Alarm {
            alarm_name: Some(self.name.as_str().into()),
            alarm_description: Some(self.description.as_str().into()),
            evaluation_periods: Some(self.evaluation_periods.into()),
            threshold: Some(self.threshold.into()),
            comparison_operator: Some(ComparisonOperator::GreaterThanThreshold.into()),
            // No traffic is not an outage for these metrics.
            treat_missing_data: Some(TreatMissingData::NotBreaching.into()),
            alarm_actions: Some(vec![topic_arn.into()]),
            ok_actions: Some(vec![topic_arn.into()]),
            ..cw::Alarm::new()
        };
        match self.source {
            Source::Metric { metric, statistic } => {
                let (statistic, extended_statistic) = match statistic {
                    AlarmStatistic::Standard(statistic) => (Some(statistic.into()), None),
                    AlarmStatistic::Percentile(percentile) => (None, Some(percentile.into())),
                };
                alarm.namespace = Some(self.namespace.into());
                alarm.metric_name = Some(metric.into());
                alarm.dimensions = Some(dimensions());
                alarm.statistic = statistic;
                alarm.extended_statistic = extended_statistic;
                alarm.period = Some(self.period_seconds.into());
            }
            Source::Percentage { part, whole } => {
                let summed = |id: &str, metric: &'static str| cw::MetricDataQuery {
                    metric_stat: Some(cw::MetricStat::new(
                        cw::Metric {
                            namespace: Some(self.namespace.into()),
                            metric_name: Some(metric.into()),
                            dimensions: Some(dimensions()),
                        },
                        self.period_seconds,
                        "Sum",
                    )),
                    return_data: Some(false.into()),
                    ..cw::MetricDataQuery::new(id)
                };
                alarm.metrics = Some(vec![
                    summed("part", part),
                    summed("whole", whole),
                    cw::MetricDataQuery {
                        expression: Some("IF(whole > 0, 100 * part / whole, 0)".into()),
                        label: Some(format!("{part} in % of {whole}").into()),
                        return_data: Some(true.into()),
                        ..cw::MetricDataQuery::new("rate")
                    },
                ]);
            }
        }
        stack.add(self.id, &alarm);
    }
}

/// `300` → `5 minutes`, for alarm descriptions.
fn duration(seconds: u32) -> String {
    match seconds {
        60 => "1 minute".to_string(),
        s if s % 3600 == 0 && s > 3600 => format!("{} hours", s / 3600),
        3600 => "1 hour".to_string(),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}
