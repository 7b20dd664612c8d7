use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Queue {
    pub queue_name: Option<Expr>,
    pub sqs_managed_sse_enabled: Option<bool>,
    pub message_retention_period: Option<u32>,
}

impl ResourceProperties for Queue {
    const TYPE: &'static str = "AWS::SQS::Queue";
}
