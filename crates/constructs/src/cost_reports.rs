//! Lets AWS Cost and Usage Reports deliver into a bucket: the bucket-policy statements
//! AWS documents for `billingreports.amazonaws.com`, limited to this account's report
//! definitions.
use super::bucket::Bucket;
use cfn_core::iam::{actions, Principal, Statement};
use cfn_core::{Expr, Pseudo};

pub fn allow_report_delivery(bucket: Bucket) -> Bucket {
    let objects = crate::concat(vec![bucket.arn(), Expr::from("/*")]);
    let scoped = |statement: Statement, sid: &str| {
        statement
            .sid(sid)
            .principal(Principal::Service("billingreports.amazonaws.com".into()))
            .condition(
                "StringEquals",
                "aws:SourceAccount",
                Expr::pseudo(Pseudo::AccountId),
            )
            .condition(
                "ArnLike",
                "aws:SourceArn",
                // CUR definitions live in us-east-1 whatever the bucket's region.
                Expr::sub("arn:${AWS::Partition}:cur:us-east-1:${AWS::AccountId}:definition/*"),
            )
    };
    let check = Statement::allow(
        &[actions::s3::GET_BUCKET_ACL, actions::s3::GET_BUCKET_POLICY],
        vec![bucket.arn()],
    );
    let deliver = Statement::allow(&[actions::s3::PUT_OBJECT], vec![objects]);
    bucket
        .policy_statement(scoped(check, "AllowReportDeliveryCheck"))
        .policy_statement(scoped(deliver, "AllowReportDelivery"))
}
