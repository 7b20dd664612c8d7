//! One pricer per resource type, grouped by service. A type without a pricer is either
//! free by AWS's pricing ([`free::reason`]) or listed as not priced.
mod compute;
mod data;
mod free;
mod messaging;
mod monitoring;
mod network;
mod platform;

use super::context::Context;
use super::model::Pricing;
use super::template::{StackTemplate, TemplateResource};

pub fn price(r: &TemplateResource, stack: &StackTemplate, ctx: &Context) -> Pricing {
    match r.resource_type.as_str() {
        "AWS::Lambda::Function" => compute::function(r, stack, ctx),
        "AWS::Lambda::Alias" | "AWS::Lambda::Version" => compute::alias_or_version(r),
        "AWS::ApiGatewayV2::Api" => network::api(r, ctx),
        "AWS::CloudFront::Distribution" => network::distribution(r, ctx),
        "AWS::EC2::NatGateway" => network::nat_gateway(ctx),
        "AWS::EC2::EIP" => network::public_ip(ctx),
        "AWS::EC2::VPCEndpoint" => network::vpc_endpoint(r, ctx),
        "AWS::DynamoDB::Table" => data::table(r, ctx),
        "AWS::S3::Bucket" => data::bucket(r, ctx),
        "AWS::RDS::DBInstance" => data::db_instance(r, ctx),
        "AWS::CloudWatch::Alarm" => monitoring::alarm(r, ctx),
        "AWS::CloudWatch::CompositeAlarm" => monitoring::composite_alarm(ctx),
        "AWS::CloudWatch::Dashboard" => monitoring::dashboard(ctx),
        "AWS::Logs::LogGroup" => monitoring::log_group(r, stack, ctx),
        "AWS::Budgets::BudgetsAction" => monitoring::budget_action(ctx),
        "AWS::Cognito::UserPool" => platform::user_pool(r, ctx),
        "AWS::SecretsManager::Secret" => platform::secret(ctx),
        "AWS::KMS::Key" => platform::kms_key(ctx),
        "AWS::SSM::Parameter" => platform::parameter(r, ctx),
        "AWS::SQS::Queue" => messaging::queue(r, ctx),
        "AWS::SNS::Topic" => messaging::topic(ctx),
        "AWS::Scheduler::Schedule" => messaging::schedule(r, ctx),
        other => match free::reason(other) {
            Some(reason) => Pricing::NoCharge {
                reason: reason.to_string(),
            },
            None => Pricing::NotPriced {
                reason: format!("no price for {other} in the price table"),
            },
        },
    }
}

/// Types with a pricer (tests check each has prices in the table).
pub const PRICED_TYPES: &[&str] = &[
    "AWS::Lambda::Function",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Version",
    "AWS::ApiGatewayV2::Api",
    "AWS::CloudFront::Distribution",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::VPCEndpoint",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::RDS::DBInstance",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudWatch::CompositeAlarm",
    "AWS::CloudWatch::Dashboard",
    "AWS::Logs::LogGroup",
    "AWS::Budgets::BudgetsAction",
    "AWS::Cognito::UserPool",
    "AWS::SecretsManager::Secret",
    "AWS::KMS::Key",
    "AWS::SSM::Parameter",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::Scheduler::Schedule",
];

pub use free::NO_CHARGE_TYPES;

/// `Priced` with the given lines.
fn priced(lines: Vec<super::model::Line>) -> Pricing {
    Pricing::Priced { lines }
}
