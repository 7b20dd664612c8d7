//! Typed properties of the CloudFormation resource types the constructs emit, one module
//! per service. Field names follow the CloudFormation resource reference exactly
//! (PascalCase on the wire); `None` fields are omitted.
pub mod apigatewayv2;
pub mod budgets;
pub mod cloudfront;
pub mod cloudwatch;
pub mod cognito;
pub mod dynamodb;
pub mod ec2;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod scheduler;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;
pub mod ssm;

use serde::Serialize;

use super::expr::Expr;

/// `[{"Key": .., "Value": ..}]`, the tag shape most resource types use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: Expr,
}
