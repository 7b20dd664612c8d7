//! S3 server access logs, so that presigned reads and writes leave a trace: a log bucket
//! (private, encrypted, TLS-only and owner-enforced like every [`Bucket`], its logs
//! expiring) into which the S3 logging service may write for this account's named
//! source buckets only, under one prefix each.
use super::bucket::{Bucket, BucketRef};
use super::stack::Stack;
use cfn::s3::bucket as s3;
use cfn_core::iam::{actions, Principal, Statement};
use cfn_core::{Expr, LogicalId, Pseudo};

pub struct AccessLogBucket {
    bucket: Bucket,
}

/// Where a source bucket's access logs go: set on it with [`Bucket::access_logs`].
#[derive(Debug, Clone, PartialEq)]
pub struct AccessLogTarget {
    pub(crate) bucket: LogicalId,
    pub(crate) policy: LogicalId,
    pub(crate) prefix: String,
}

impl AccessLogBucket {
    /// Log objects expire after `expire_after_days`; kept with the stage's data when
    /// `retain`.
    pub fn new(stack: &Stack, id: &str, expire_after_days: u32, retain: bool) -> AccessLogBucket {
        AccessLogBucket {
            bucket: Bucket::new(stack, id)
                .retain(retain)
                .expire_after_days("expire-access-logs", None, expire_after_days)
                .exempt_if(
                    true,
                    "CKV_AWS_18",
                    "this is the access-log bucket: logging it would log its own log \
                     deliveries into itself",
                )
                .exempt_if(
                    true,
                    "CKV_AWS_21",
                    "access logs are written once by the S3 logging service and expire; \
                     versions would only keep expired logs",
                ),
        }
    }

    /// Lets S3 deliver `source`'s access logs under `<prefix>/`; returns the target to
    /// give the source bucket.
    pub fn accept(&mut self, source: &BucketRef, prefix: &str) -> AccessLogTarget {
        let objects = crate::concat(vec![self.bucket.arn(), Expr::from(format!("/{prefix}/*"))]);
        let deliver = Statement::allow(&[actions::s3::PUT_OBJECT], vec![objects])
            .sid(&format!(
                "AllowAccessLogs{}",
                LogicalId::from_path(&[prefix])
            ))
            .principal(Principal::Service("logging.s3.amazonaws.com".into()))
            .condition("ArnLike", "aws:SourceArn", source.arn())
            .condition(
                "StringEquals",
                "aws:SourceAccount",
                Expr::pseudo(Pseudo::AccountId),
            );
        self.bucket = self.bucket.clone().policy_statement(deliver);
        AccessLogTarget {
            bucket: self.bucket.id.clone(),
            policy: self.bucket.id.child("Policy"),
            prefix: format!("{prefix}/"),
        }
    }

    pub fn add_to(self, stack: &mut Stack) -> LogicalId {
        self.bucket.add_to(stack)
    }
}

impl AccessLogTarget {
    pub(crate) fn configuration(&self) -> s3::LoggingConfiguration {
        s3::LoggingConfiguration {
            destination_bucket_name: Some(Expr::reference(&self.bucket).into()),
            log_file_prefix: Some(self.prefix.as_str().into()),
            ..s3::LoggingConfiguration::new()
        }
    }
}
