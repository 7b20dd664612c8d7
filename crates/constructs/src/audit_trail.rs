//! A CloudTrail trail of the account's management events into a bucket of its own.
//!
//! The first trail's management events are free. The bucket is the construct's secure
//! bucket (encrypted, public access blocked, TLS only) with lifecycle expiry; the trail
//! validates its log files (digest files) and covers every region and global services.
use crate::bucket::Bucket;
use crate::stack::Stack;
use cfn::cloudtrail::trail::Trail;
use cfn_core::iam::actions::s3;
use cfn_core::iam::{Principal, Statement};
use cfn_core::{Expr, LogicalId};

pub struct AuditTrail {
    id: LogicalId,
    bucket: Bucket,
    trail_name: String,
}

impl AuditTrail {
    /// Logs kept `retention_days` days, then expired; `retain` keeps the bucket when the
    /// stack goes (prod: an audit log must outlive the stack that wrote it).
    pub fn new(stack: &Stack, id: &str, retention_days: u32, retain: bool) -> AuditTrail {
        let trail_name = stack.stage.physical_name(id);
        let trail_arn = Expr::sub(format!(
            "arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{trail_name}"
        ));
        // Versioned: an audit log file overwritten or deleted keeps its previous version.
        let bucket = Bucket::new(stack, &format!("{id}-logs"))
            .versioned(true)
            .retain(retain)
            .expire_after_days("ExpireAuditLogs", None, retention_days)
            .exempt_if(
                true,
                "CKV_AWS_18",
                "only CloudTrail writes here (bucket policy) and log file validation \
                 detects a changed log; access logs would mostly record the trail's own \
                 deliveries",
            );
        let bucket_arn = bucket.arn();
        let prefix = Expr::sub(format!(
            "${{{}.Arn}}/AWSLogs/${{AWS::AccountId}}/*",
            LogicalId::from_path(&[&format!("{id}-logs"), "bucket"])
        ));
        // CloudTrail checks the ACL, then writes under AWSLogs/<account>/; only this
        // trail may (aws:SourceArn), the confused-deputy guard AWS recommends.
        let service = Principal::Service("cloudtrail.amazonaws.com".into());
        let bucket = bucket
            .policy_statement(
                Statement::allow(&[s3::GET_BUCKET_ACL], vec![bucket_arn])
                    .sid("CloudTrailAclCheck")
                    .principal(service.clone())
                    .condition("StringEquals", "aws:SourceArn", trail_arn.clone()),
            )
            .policy_statement(
                Statement::allow(&[s3::PUT_OBJECT], vec![prefix])
                    .sid("CloudTrailWrite")
                    .principal(service)
                    .condition("StringEquals", "aws:SourceArn", trail_arn),
            );
        AuditTrail {
            id: LogicalId::from_path(&[id]),
            bucket,
            trail_name,
        }
    }

    pub fn add_to(self, stack: &mut Stack) -> LogicalId {
        let bucket = self.bucket.add_to(stack);
        let trail = Trail {
            trail_name: Some(self.trail_name.as_str().into()),
            enable_log_file_validation: Some(true.into()),
            include_global_service_events: Some(true.into()),
            is_multi_region_trail: Some(true.into()),
            ..Trail::new(true, Expr::reference(&bucket))
        };
        stack.add(self.id.clone(), &trail);
        stack.suppress(
            &self.id,
            "CKV_AWS_35",
            "log files are encrypted at rest with S3-managed keys (SSE-S3); a customer-managed \
             KMS key would add a key policy to keep right and a monthly cost, for logs only \
             the account's administrators read",
        );
        // The bucket policy must exist before CloudTrail checks it on create.
        stack.add_dependency(&self.id, &bucket.child("Policy"));
        self.id
    }
}
