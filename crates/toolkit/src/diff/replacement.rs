//! What CloudFormation does when a property changes, for the resource types we use.
//!
//! From the "Update requires" lines of the CloudFormation resource reference. Types and
//! properties not listed update in place; the change set (when there is one) has the last
//! word.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Replacement {
    Never,
    Conditional,
    Always,
}

/// (resource type, properties whose change replaces it, properties that may replace it)
const TABLE: &[(&str, &[&str], &[&str])] = &[
    (
        "AWS::DynamoDB::Table",
        &["TableName", "KeySchema", "LocalSecondaryIndexes"],
        &["AttributeDefinitions"],
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        &["TableName", "KeySchema", "LocalSecondaryIndexes"],
        &[],
    ),
    ("AWS::S3::Bucket", &["BucketName", "ObjectLockEnabled"], &[]),
    (
        "AWS::Cognito::UserPool",
        &[
            "AliasAttributes",
            "UsernameAttributes",
            "UsernameConfiguration",
        ],
        &["Schema"],
    ),
    (
        "AWS::Cognito::UserPoolClient",
        &["UserPoolId", "GenerateSecret"],
        &[],
    ),
    (
        "AWS::Cognito::UserPoolDomain",
        &["Domain", "UserPoolId"],
        &[],
    ),
    ("AWS::Logs::LogGroup", &["LogGroupName"], &[]),
    (
        "AWS::Lambda::Function",
        &["FunctionName", "PackageType"],
        &[],
    ),
    (
        "AWS::Lambda::Permission",
        &[
            "Action",
            "EventSourceToken",
            "FunctionName",
            "FunctionUrlAuthType",
            "Principal",
            "PrincipalOrgID",
            "SourceAccount",
            "SourceArn",
        ],
        &[],
    ),
    ("AWS::IAM::Role", &["RoleName", "Path"], &[]),
    (
        "AWS::IAM::ManagedPolicy",
        &["ManagedPolicyName", "Path"],
        &[],
    ),
    ("AWS::SNS::Topic", &["TopicName", "FifoTopic"], &[]),
    (
        "AWS::SNS::Subscription",
        &["Endpoint", "Protocol", "TopicArn"],
        &[],
    ),
    ("AWS::SQS::Queue", &["QueueName", "FifoQueue"], &[]),
    ("AWS::SSM::Parameter", &["Name"], &[]),
    ("AWS::Events::Rule", &["Name", "EventBusName"], &[]),
    ("AWS::KMS::Alias", &["AliasName"], &[]),
    ("AWS::ApiGatewayV2::Api", &["ProtocolType"], &[]),
    ("AWS::ApiGatewayV2::Stage", &["ApiId", "StageName"], &[]),
    ("AWS::ApiGatewayV2::Route", &["ApiId"], &[]),
    ("AWS::ApiGatewayV2::Integration", &["ApiId"], &[]),
    ("AWS::ApiGatewayV2::Authorizer", &["ApiId"], &[]),
    ("AWS::Scheduler::Schedule", &["Name", "GroupName"], &[]),
    ("AWS::Scheduler::ScheduleGroup", &["Name"], &[]),
    ("AWS::CloudWatch::Alarm", &["AlarmName"], &[]),
    (
        "AWS::Budgets::Budget",
        &["Budget", "NotificationsWithSubscribers"],
        &[],
    ),
];

/// Types whose replacement or deletion loses data.
const STATEFUL: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::S3::Bucket",
    "AWS::Cognito::UserPool",
    "AWS::Logs::LogGroup",
];

pub fn property_replacement(resource_type: &str, property: &str) -> Replacement {
    match TABLE.iter().find(|(t, _, _)| *t == resource_type) {
        Some((_, always, _)) if always.contains(&property) => Replacement::Always,
        Some((_, _, conditional)) if conditional.contains(&property) => Replacement::Conditional,
        _ => Replacement::Never,
    }
}

pub fn is_stateful(resource_type: &str) -> bool {
    STATEFUL.contains(&resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_schema_replaces_a_table_but_billing_mode_does_not() {
        assert_eq!(
            property_replacement("AWS::DynamoDB::Table", "KeySchema"),
            Replacement::Always
        );
        assert_eq!(
            property_replacement("AWS::DynamoDB::Table", "BillingMode"),
            Replacement::Never
        );
        assert_eq!(
            property_replacement("AWS::Cognito::UserPool", "Schema"),
            Replacement::Conditional
        );
        assert_eq!(
            property_replacement("AWS::Unknown::Thing", "Name"),
            Replacement::Never
        );
    }

    #[test]
    fn data_holding_types_are_stateful() {
        assert!(is_stateful("AWS::S3::Bucket"));
        assert!(is_stateful("AWS::Logs::LogGroup"));
        assert!(!is_stateful("AWS::Lambda::Function"));
    }
}
