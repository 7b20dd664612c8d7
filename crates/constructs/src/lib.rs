//! Constructs: typed building blocks with secure defaults. Each one renders one or more
//! template resources into a [`Stack`]; IAM comes only from grants ([`Grantable`]).
pub mod alarm;
pub mod alias;
pub mod api_domain;
pub mod assembly;
pub mod audit_trail;
pub mod billing_alarm;
pub mod bucket;
pub mod bucket_trigger;
pub mod budget;
pub mod cdn;
pub mod cost_reports;
pub mod cost_tags;
pub mod dashboard;
pub mod delivery;
pub mod function;
pub mod grant;
pub mod http_api;
pub mod pool_domain;
pub mod postgres;
pub mod role;
pub mod schedule;
pub mod secret;
pub mod stack;
pub mod stage;
pub mod table;
pub mod topic;
pub mod user_pool;
pub mod vpc;

pub use assembly::{LambdaCode, SynthesizedStack, ASSETS_BUCKET_PARAMETER};
pub use bucket::{Bucket, BucketRef};
/// The generated L1 types, for properties a construct takes as they are (a bucket's
/// lifecycle rules): apps reach them without their own feature list.
pub use cfn;
pub use function::{Function, FunctionRef};
pub use grant::Grantable;
pub use stack::Stack;
pub use stage::StageConfig;
pub use table::{Table, TableRef};

use cfn_core::Expr;

/// `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`: an ARN
/// built from a physical name known at synth time, valid in any stack of the account.
/// This is how stacks refer to each other's resources without exports.
pub fn regional_arn(service: &str, resource: &str) -> Expr {
    Expr::sub(format!(
        "arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"
    ))
}
