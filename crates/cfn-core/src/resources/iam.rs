use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::iam::PolicyDocument;
use crate::ResourceProperties;

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub description: Option<String>,
    pub assume_role_policy_document: PolicyDocument,
    pub policies: Option<Vec<InlinePolicy>>,
}

impl ResourceProperties for Role {
    const TYPE: &'static str = "AWS::IAM::Role";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: PolicyDocument,
}
