//! Constructs: typed building blocks with secure defaults. Each one renders one or more
//! template resources into a [`Stack`]; IAM comes only from grants ([`Grantable`]).
pub mod access_logs;
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
pub mod moved;
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

/// The parts joined without a separator, as one `Fn::Sub` string when every part can be
/// written in one (literals, `Ref`, `Fn::GetAtt`, `Fn::Sub` without variables): cfn-lint
/// (I1022) prefers it to `Fn::Join` with an empty separator. Anything else stays a join.
pub fn concat(parts: Vec<Expr>) -> Expr {
    let mut template = String::new();
    for part in &parts {
        match part {
            Expr::Str(text) => template.push_str(&text.replace("${", "${!")),
            Expr::Ref(name) => template.push_str(&format!("${{{name}}}")),
            Expr::GetAtt(id, attribute) => template.push_str(&format!("${{{id}.{attribute}}}")),
            Expr::Sub(inner) => template.push_str(inner),
            _ => return Expr::Join(String::new(), parts),
        }
    }
    Expr::sub(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_writes_one_sub_string_and_escapes_literal_placeholders() {
        let joined = concat(vec![
            Expr::GetAtt("Photos".into(), "Arn".into()),
            Expr::from("/${raw}/"),
            Expr::Ref("Prefix".into()),
        ]);
        assert_eq!(joined, Expr::sub("${Photos.Arn}/${!raw}/${Prefix}"));
    }

    #[test]
    fn concat_keeps_a_join_for_parts_a_sub_string_cannot_hold() {
        let parts = vec![Expr::from("a"), Expr::Int(1)];
        assert_eq!(concat(parts.clone()), Expr::Join(String::new(), parts));
    }
}
