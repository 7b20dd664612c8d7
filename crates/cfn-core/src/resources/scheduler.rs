use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Schedule {
    pub name: Option<Expr>,
    pub description: Option<String>,
    pub schedule_expression: String,
    pub flexible_time_window: FlexibleTimeWindow,
    pub state: String,
    pub target: Target,
}

impl ResourceProperties for Schedule {
    const TYPE: &'static str = "AWS::Scheduler::Schedule";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlexibleTimeWindow {
    pub mode: String,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Target {
    pub arn: Expr,
    pub role_arn: Expr,
    pub retry_policy: Option<RetryPolicy>,
    pub dead_letter_config: Option<DeadLetterConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RetryPolicy {
    pub maximum_event_age_in_seconds: u32,
    pub maximum_retry_attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    pub arn: Expr,
}
