use serde::Serialize;
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Function {
    pub function_name: Option<Expr>,
    pub description: Option<String>,
    pub runtime: String,
    pub handler: String,
    pub architectures: Vec<String>,
    pub code: Code,
    pub role: Expr,
    pub memory_size: u32,
    pub timeout: u32,
    pub reserved_concurrent_executions: Option<u32>,
    pub environment: Option<Environment>,
    pub logging_config: Option<LoggingConfig>,
    pub vpc_config: Option<VpcConfig>,
}

impl ResourceProperties for Function {
    const TYPE: &'static str = "AWS::Lambda::Function";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Code {
    pub s3_bucket: Expr,
    pub s3_key: Expr,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Environment {
    pub variables: BTreeMap<String, Expr>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingConfig {
    pub log_group: Expr,
    pub log_format: Option<String>,
}

/// Runs the function inside a VPC: it reaches private resources (a database) and,
/// without a NAT gateway, nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcConfig {
    pub subnet_ids: Vec<Expr>,
    pub security_group_ids: Vec<Expr>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Permission {
    pub action: String,
    pub function_name: Expr,
    pub principal: String,
    pub source_arn: Option<Expr>,
    pub source_account: Option<Expr>,
}

impl ResourceProperties for Permission {
    const TYPE: &'static str = "AWS::Lambda::Permission";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Version {
    pub function_name: Expr,
    /// An `Expr`: a `Fn::Sub` of the code key makes new code publish a new version.
    pub description: Option<Expr>,
}

impl ResourceProperties for Version {
    const TYPE: &'static str = "AWS::Lambda::Version";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alias {
    pub function_name: Expr,
    pub function_version: Expr,
    pub name: String,
    pub description: Option<String>,
}

impl ResourceProperties for Alias {
    const TYPE: &'static str = "AWS::Lambda::Alias";
}
