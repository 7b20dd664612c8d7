//! Which resources are drawn as nodes, and their labels.
use serde_json::Value;

use super::model::Shape;
use super::template::{display, text, Template};

/// Logical ID of the node that stands for all CloudWatch alarms of one stack (one node
/// per alarm would bury the picture: BubbleBatch has 22).
pub const ALARMS: &str = "CloudWatchAlarms";

/// The types drawn as a node, with shape and kind. Everything else is drawn as edges
/// (roles, routes, permissions, SSM parameters, alarms) or left out and counted.
pub fn drawn(resource_type: &str) -> Option<(Shape, &'static str)> {
    Some(match resource_type {
        "AWS::Lambda::Function" => (Shape::Compute, "Lambda function"),
        "AWS::DynamoDB::Table" => (Shape::Store, "DynamoDB table"),
        "AWS::S3::Bucket" => (Shape::Store, "S3 bucket"),
        "AWS::RDS::DBInstance" => (Shape::Store, "RDS instance"),
        "AWS::SecretsManager::Secret" => (Shape::Store, "Secrets Manager secret"),
        "AWS::ApiGatewayV2::Api" => (Shape::Entry, "API Gateway HTTP API"),
        "AWS::CloudFront::Distribution" => (Shape::Entry, "CloudFront distribution"),
        "AWS::Cognito::UserPool" => (Shape::Plain, "Cognito user pool"),
        "AWS::Scheduler::Schedule" => (Shape::Signal, "EventBridge schedule"),
        "AWS::Events::Rule" => (Shape::Signal, "EventBridge rule"),
        "AWS::SQS::Queue" => (Shape::Signal, "SQS queue"),
        "AWS::SNS::Topic" => (Shape::Signal, "SNS topic"),
        "AWS::Budgets::Budget" => (Shape::Signal, "AWS Budgets budget"),
        "AWS::CloudWatch::Dashboard" => (Shape::Plain, "CloudWatch dashboard"),
        "AWS::EC2::VPC" => (Shape::Plain, "VPC"),
        "AWS::EC2::VPCEndpoint" => (Shape::Plain, "VPC endpoint"),
        _ => return None,
    })
}

/// The property holding a resource's physical name, for the types that have one we match
/// across stacks (`bubblebatch-dev-table` in another stack's ARN).
pub fn name_property(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::RDS::DBInstance" => "DBInstanceIdentifier",
        "AWS::SecretsManager::Secret" => "Name",
        "AWS::ApiGatewayV2::Api" => "Name",
        "AWS::Cognito::UserPool" => "UserPoolName",
        "AWS::Scheduler::Schedule" => "Name",
        "AWS::Events::Rule" => "Name",
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::CloudWatch::Dashboard" => "DashboardName",
        _ => return None,
    })
}

/// The service part of the ARNs naming a type (`arn:aws:<service>:...`).
pub fn arn_service(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::Lambda::Function" => "lambda",
        "AWS::DynamoDB::Table" => "dynamodb",
        "AWS::S3::Bucket" => "s3",
        "AWS::RDS::DBInstance" => "rds",
        "AWS::SecretsManager::Secret" => "secretsmanager",
        "AWS::Cognito::UserPool" => "cognito-idp",
        "AWS::Scheduler::Schedule" => "scheduler",
        "AWS::Events::Rule" => "events",
        "AWS::SQS::Queue" => "sqs",
        "AWS::SNS::Topic" => "sns",
        "AWS::ApiGatewayV2::Api" => "apigateway",
        "AWS::CloudWatch::Dashboard" => "cloudwatch",
        _ => return None,
    })
}

/// A resource's physical name as displayed (`bubblebatch-dev-photos-{account}-{region}`).
pub fn physical_name(template: &Template, logical_id: &str) -> Option<String> {
    let properties = template.properties(logical_id);
    let name = match template.type_of(logical_id)? {
        // The one type we draw whose name sits one level down.
        "AWS::Budgets::Budget" => &properties["Budget"]["BudgetName"],
        other => &properties[name_property(other)?],
    };
    text(name).map(|t| display(&t))
}

/// Label lines: the name without the `<app>-<stage>-` prefix, then kind and the facts
/// that matter for operations (indexes, recovery, versioning, retention, schedule).
pub fn label(template: &Template, logical_id: &str, prefix: &str, kind: &str) -> Vec<String> {
    let name = physical_name(template, logical_id)
        .map(|n| n.strip_prefix(prefix).map(str::to_string).unwrap_or(n))
        .unwrap_or_else(|| logical_id.to_string());
    let resource = &template.resources[logical_id];
    let properties = &resource["Properties"];
    let mut facts = vec![kind.to_string()];
    facts.extend(facts_of(
        template.type_of(logical_id).unwrap_or_default(),
        properties,
    ));
    if resource["DeletionPolicy"] == "Retain" {
        facts.push("retained".into());
    }
    vec![name, facts.join(" · ")]
}

fn facts_of(resource_type: &str, p: &Value) -> Vec<String> {
    let mut facts = Vec::new();
    match resource_type {
        "AWS::DynamoDB::Table" => {
            for index in p["GlobalSecondaryIndexes"].as_array().into_iter().flatten() {
                if let Some(name) = index["IndexName"].as_str() {
                    facts.push(name.to_string());
                }
            }
            if p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] == true {
                facts.push("PITR".into());
            }
        }
        "AWS::S3::Bucket" if p["VersioningConfiguration"]["Status"] == "Enabled" => {
            facts.push("versioned".into());
        }
        "AWS::Scheduler::Schedule" | "AWS::Events::Rule" => {
            if let Some(expression) = p["ScheduleExpression"].as_str() {
                facts.push(expression.to_string());
            }
        }
        "AWS::Budgets::Budget" => {
            let budget = &p["Budget"];
            if let (Some(amount), Some(unit)) = (
                budget["BudgetLimit"]["Amount"].as_f64(),
                budget["BudgetLimit"]["Unit"].as_str(),
            ) {
                let period = budget["TimeUnit"].as_str().unwrap_or("").to_lowercase();
                facts.push(format!("{amount} {unit} {period}").trim().to_string());
            }
        }
        "AWS::RDS::DBInstance" => {
            if let (Some(engine), Some(version)) =
                (p["Engine"].as_str(), p["EngineVersion"].as_str())
            {
                facts.push(format!("{engine} {version}"));
            }
            if p["MultiAZ"] == true {
                facts.push("multi-AZ".into());
            }
        }
        "AWS::EC2::VPC" => {
            if let Some(cidr) = p["CidrBlock"].as_str() {
                facts.push(cidr.to_string());
            }
        }
        "AWS::EC2::VPCEndpoint" => {
            if let Some(service) = text(&p["ServiceName"]) {
                let service = service.rsplit('.').next().unwrap_or(&service).to_string();
                facts.push(service);
            }
        }
        _ => {}
    }
    facts
}
