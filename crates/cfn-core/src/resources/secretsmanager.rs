//! Secrets Manager: a secret whose value CloudFormation generates (never in a template).
use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Secret {
    pub name: Option<Expr>,
    pub description: Option<String>,
    pub generate_secret_string: Option<GenerateSecretString>,
}

impl ResourceProperties for Secret {
    const TYPE: &'static str = "AWS::SecretsManager::Secret";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GenerateSecretString {
    pub password_length: u32,
    pub exclude_punctuation: Option<bool>,
}
