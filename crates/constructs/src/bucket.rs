//! An S3 bucket that is private, encrypted and TLS-only unless told otherwise.
use super::access_logs::AccessLogTarget;
use super::grant::Grantable;
use super::stack::Stack;
use cfn::s3::bucket::{self as s3, ObjectOwnership, SSEAlgorithm};
use cfn::s3::BucketPolicy;
use cfn_core::iam::{actions, Action, PolicyDocument, Principal, Statement, S3};
use cfn_core::{Expr, LogicalId};

/// In [`browser_cors`]'s and [`Bucket::cors`]'s signatures.
pub use cfn::s3::bucket::{AllowedMethods, CorsRule};

#[derive(Debug, Clone)]
pub struct Bucket {
    pub id: LogicalId,
    /// `<app>-<stage>-<id>-<account>-<region>`: bucket names are global.
    reference: BucketRef,
    versioned: bool,
    retain: bool,
    cors: Vec<CorsRule>,
    lifecycle: Vec<s3::Rule>,
    intelligent_tiering: Vec<s3::IntelligentTieringConfiguration>,
    notifications: Vec<s3::LambdaConfiguration>,
    policy_statements: Vec<Statement>,
    access_logs: Option<AccessLogTarget>,
    /// Policy checks this bucket deliberately does not follow, each with its reason
    /// (written onto the resource by [`Stack::suppress`]).
    exemptions: Vec<(String, String)>,
}

/// A bucket by its name expression: usable from any stack of the stage.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketRef {
    /// A `Fn::Sub` template string (only pseudo parameters), e.g.
    /// `bubblebatch-dev-photos-${AWS::AccountId}-${AWS::Region}`.
    pub name_template: String,
}

/// What a grant allows on a bucket's objects. Only object actions exist here, so a
/// bucket cannot be made to grant a DynamoDB (or bucket-level) action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectAction {
    Get,
    Put,
    Delete,
}

impl ObjectAction {
    fn action(self) -> Action<S3> {
        match self {
            ObjectAction::Get => actions::s3::GET_OBJECT,
            ObjectAction::Put => actions::s3::PUT_OBJECT,
            ObjectAction::Delete => actions::s3::DELETE_OBJECT,
        }
    }
}

/// CORS for browsers that upload and download with presigned URLs: the headers a
/// presigned PUT sends, `ETag` exposed (multipart uploads read it back), preflight
/// answers cached for 50 minutes.
pub fn browser_cors(methods: &[AllowedMethods], origins: &[&str]) -> CorsRule {
    let methods: Vec<_> = methods.iter().map(|&method| method.into()).collect();
    let origins: Vec<_> = origins.iter().map(|&origin| origin.into()).collect();
    CorsRule {
        allowed_headers: Some(vec!["content-type".into(), "content-length".into()]),
        exposed_headers: Some(vec!["ETag".into()]),
        max_age: Some(3000.into()),
        ..CorsRule::new(methods, origins)
    }
}

impl Bucket {
    pub fn new(stack: &Stack, id: &str) -> Bucket {
        Bucket {
            id: LogicalId::from_path(&[id, "bucket"]),
            reference: BucketRef::for_stage(stack, id),
            versioned: false,
            retain: false,
            cors: Vec::new(),
            lifecycle: Vec::new(),
            intelligent_tiering: Vec::new(),
            notifications: Vec::new(),
            policy_statements: Vec::new(),
            access_logs: None,
            exemptions: Vec::new(),
        }
    }

    /// Exempts the bucket from one policy check (`CKV_AWS_21`), with the reason a reviewer
    /// reads in the template. Only when `applies`: e.g. versioning off in dev only.
    pub fn exempt_if(mut self, applies: bool, rule: &str, reason: &str) -> Bucket {
        if applies {
            self.exemptions.push((rule.to_string(), reason.to_string()));
        }
        self
    }

    pub fn versioned(mut self, versioned: bool) -> Bucket {
        self.versioned = versioned;
        self
    }

    pub fn retain(mut self, retain: bool) -> Bucket {
        self.retain = retain;
        self
    }

    /// A CORS rule; [`browser_cors`] makes the usual one.
    pub fn cors(mut self, rule: CorsRule) -> Bucket {
        self.cors.push(rule);
        self
    }

    /// Expires objects (and old versions) after `days`; always cleans up failed uploads.
    pub fn expire_after_days(mut self, rule_id: &str, prefix: Option<&str>, days: u32) -> Bucket {
        self.lifecycle.push(s3::Rule {
            id: Some(rule_id.into()),
            prefix: prefix.map(Into::into),
            expiration_in_days: Some(days.into()),
            noncurrent_version_expiration: Some(s3::NoncurrentVersionExpiration::new(days)),
            abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload::new(1)),
            ..s3::Rule::new(s3::Status::Enabled)
        });
        self
    }

    pub fn lifecycle_rule(mut self, rule: s3::Rule) -> Bucket {
        self.lifecycle.push(rule);
        self
    }

    pub fn intelligent_tiering(mut self, config: s3::IntelligentTieringConfiguration) -> Bucket {
        self.intelligent_tiering.push(config);
        self
    }

    /// Only through [`crate::bucket_trigger`], which also adds the Lambda permission
    /// S3 checks when the notification is set.
    pub(crate) fn notify_lambda(mut self, config: s3::LambdaConfiguration) -> Bucket {
        self.notifications.push(config);
        self
    }

    /// Adds a statement to the bucket policy, after the TLS-only deny. For constructs that
    /// give an AWS service access (CloudFront origin access control, report delivery):
    /// a bucket has exactly one policy, so they cannot attach their own.
    pub fn policy_statement(mut self, statement: Statement) -> Bucket {
        self.policy_statements.push(statement);
        self
    }

    /// The bucket's own ARN expression (`GetAtt`), for same-stack policy statements.
    pub fn arn(&self) -> Expr {
        s3::Bucket::att_arn(&self.id)
    }

    /// The same bucket by name, for other stacks and for ARNs that must not reference it.
    pub fn reference(&self) -> &BucketRef {
        &self.reference
    }

    /// S3 server access logs into an [`crate::access_logs::AccessLogBucket`].
    pub fn access_logs(mut self, target: AccessLogTarget) -> Bucket {
        self.access_logs = Some(target);
        self
    }

    pub fn add_to(self, stack: &mut Stack) -> LogicalId {
        let encryption = s3::ServerSideEncryptionRule {
            server_side_encryption_by_default: Some(s3::ServerSideEncryptionByDefault::new(
                SSEAlgorithm::Aes256,
            )),
            ..s3::ServerSideEncryptionRule::new()
        };
        let resource = stack.add(
            self.id.clone(),
            &s3::Bucket {
                bucket_name: Some(self.reference.name().into()),
                bucket_encryption: Some(s3::BucketEncryption::new(vec![encryption])),
                public_access_block_configuration: Some(s3::PublicAccessBlockConfiguration {
                    block_public_acls: Some(true.into()),
                    block_public_policy: Some(true.into()),
                    ignore_public_acls: Some(true.into()),
                    restrict_public_buckets: Some(true.into()),
                }),
                ownership_controls: Some(s3::OwnershipControls::new(vec![
                    s3::OwnershipControlsRule {
                        object_ownership: Some(ObjectOwnership::BucketOwnerEnforced.into()),
                    },
                ])),
                versioning_configuration: self.versioned.then(|| {
                    s3::VersioningConfiguration::new(s3::VersioningConfigurationStatus::Enabled)
                }),
                cors_configuration: (!self.cors.is_empty())
                    .then(|| s3::CorsConfiguration::new(self.cors)),
                lifecycle_configuration: (!self.lifecycle.is_empty())
                    .then(|| s3::LifecycleConfiguration::new(self.lifecycle)),
                intelligent_tiering_configurations: (!self.intelligent_tiering.is_empty())
                    .then_some(self.intelligent_tiering),
                notification_configuration: (!self.notifications.is_empty()).then(|| {
                    s3::NotificationConfiguration {
                        lambda_configurations: Some(self.notifications),
                        ..s3::NotificationConfiguration::new()
                    }
                }),
                logging_configuration: self
                    .access_logs
                    .as_ref()
                    .map(AccessLogTarget::configuration),
                ..s3::Bucket::new()
            },
        );
        resource.retain(self.retain);
        for (rule, reason) in &self.exemptions {
            stack.suppress(&self.id, rule, reason);
        }
        if let Some(target) = &self.access_logs {
            // S3 checks the log bucket's policy when logging is switched on.
            stack.add_dependency(&self.id, &target.policy);
        }
        let bucket = Expr::reference(&self.id);
        let arn = s3::Bucket::att_arn(&self.id);
        let objects = crate::concat(vec![arn.clone(), Expr::from("/*")]);
        // Denying every S3 action over plain HTTP is the one place a wildcard action is
        // right: a Deny narrows access, and listing actions would let new ones through.
        let deny_plain_http = Statement::deny_every::<S3>(vec![arn, objects])
            .sid("DenyInsecureTransport")
            .principal(Principal::Aws(Expr::from("*")))
            .condition("Bool", "aws:SecureTransport", "false");
        let statements = std::iter::once(deny_plain_http)
            .chain(self.policy_statements)
            .collect();
        stack.add(
            self.id.child("Policy"),
            &BucketPolicy::new(bucket, PolicyDocument::new(statements)),
        );
        self.id
    }
}

impl BucketRef {
    pub fn for_stage(stack: &Stack, id: &str) -> BucketRef {
        BucketRef {
            name_template: format!(
                "{}-${{AWS::AccountId}}-${{AWS::Region}}",
                stack.stage.physical_name(id)
            ),
        }
    }

    pub fn name(&self) -> Expr {
        Expr::sub(&self.name_template)
    }

    pub fn arn(&self) -> Expr {
        Expr::sub(format!(
            "arn:${{AWS::Partition}}:s3:::{}",
            self.name_template
        ))
    }

    /// ARN of the objects under `prefix` (e.g. `users/`); `""` for all objects.
    pub fn objects_arn(&self, prefix: &str) -> Expr {
        Expr::sub(format!(
            "arn:${{AWS::Partition}}:s3:::{}/{prefix}*",
            self.name_template
        ))
    }

    /// One statement allowing `granted` on the objects under `prefix` (`""`: all).
    pub fn grant_objects(
        &self,
        grantee: &mut impl Grantable,
        prefix: &str,
        granted: &[ObjectAction],
    ) {
        let granted: Vec<Action<S3>> = granted.iter().map(|action| action.action()).collect();
        grantee.grant(Statement::allow(&granted, vec![self.objects_arn(prefix)]));
    }

    /// Reading the objects under `prefix`.
    pub fn grant_read(&self, grantee: &mut impl Grantable, prefix: &str) {
        self.grant_objects(grantee, prefix, &[ObjectAction::Get]);
    }

    /// Writing objects under `prefix` (also what a presigned PUT URL needs).
    pub fn grant_put(&self, grantee: &mut impl Grantable, prefix: &str) {
        self.grant_objects(grantee, prefix, &[ObjectAction::Put]);
    }

    pub fn grant_list(&self, grantee: &mut impl Grantable) {
        grantee.grant(Statement::allow(
            &[actions::s3::LIST_BUCKET],
            vec![self.arn()],
        ));
    }
}
