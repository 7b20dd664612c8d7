use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::iam::PolicyDocument;
use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Topic {
    pub topic_name: Option<Expr>,
    pub display_name: Option<String>,
    pub kms_master_key_id: Option<Expr>,
    pub subscription: Option<Vec<Subscription>>,
}

impl ResourceProperties for Topic {
    const TYPE: &'static str = "AWS::SNS::Topic";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    pub endpoint: Expr,
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicPolicy {
    pub topics: Vec<Expr>,
    pub policy_document: PolicyDocument,
}

impl ResourceProperties for TopicPolicy {
    const TYPE: &'static str = "AWS::SNS::TopicPolicy";
}
