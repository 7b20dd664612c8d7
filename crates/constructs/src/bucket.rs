//! An S3 bucket that is private, encrypted and TLS-only unless told otherwise.
use super::grant::Grantable;
use super::stack::Stack;
use cfn_core::iam::{Action, PolicyDocument, Principal, Statement};
use cfn_core::resources::s3;
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Bucket {
    pub id: LogicalId,
    /// `<app>-<stage>-<id>-<account>-<region>`: bucket names are global.
    name: Expr,
    versioned: bool,
    retain: bool,
    cors: Vec<s3::CorsRule>,
    lifecycle: Vec<s3::LifecycleRule>,
    intelligent_tiering: Vec<s3::IntelligentTieringConfiguration>,
    notifications: Vec<s3::LambdaConfiguration>,
    policy_statements: Vec<Statement>,
}

/// A bucket by its name expression: usable from any stack of the stage.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketRef {
    /// A `Fn::Sub` template string (only pseudo parameters), e.g.
    /// `bubblebatch-dev-photos-${AWS::AccountId}-${AWS::Region}`.
    pub name_template: String,
}

impl Bucket {
    pub fn new(stack: &Stack, id: &str) -> Bucket {
        let reference = BucketRef::for_stage(stack, id);
        Bucket {
            id: LogicalId::from_path(&[id, "bucket"]),
            name: reference.name(),
            versioned: false,
            retain: false,
            cors: Vec::new(),
            lifecycle: Vec::new(),
            intelligent_tiering: Vec::new(),
            notifications: Vec::new(),
            policy_statements: Vec::new(),
        }
    }

    pub fn versioned(mut self, versioned: bool) -> Bucket {
        self.versioned = versioned;
        self
    }

    pub fn retain(mut self, retain: bool) -> Bucket {
        self.retain = retain;
        self
    }

    pub fn cors(mut self, rule: s3::CorsRule) -> Bucket {
        self.cors.push(rule);
        self
    }

    /// Expires objects (and old versions) after `days`; always cleans up failed uploads.
    pub fn expire_after_days(mut self, rule_id: &str, prefix: Option<&str>, days: u32) -> Bucket {
        self.lifecycle.push(s3::LifecycleRule {
            id: rule_id.to_string(),
            status: "Enabled".into(),
            prefix: prefix.map(str::to_string),
            expiration_in_days: Some(days),
            noncurrent_version_expiration: Some(s3::NoncurrentVersionExpiration {
                noncurrent_days: days,
            }),
            abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload {
                days_after_initiation: 1,
            }),
            transitions: None,
        });
        self
    }

    pub fn lifecycle_rule(mut self, rule: s3::LifecycleRule) -> Bucket {
        self.lifecycle.push(rule);
        self
    }

    pub fn intelligent_tiering(mut self, config: s3::IntelligentTieringConfiguration) -> Bucket {
        self.intelligent_tiering.push(config);
        self
    }

    pub fn notify_lambda(mut self, config: s3::LambdaConfiguration) -> Bucket {
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
        Expr::get_att(&self.id, "Arn")
    }

    pub fn add_to(self, stack: &mut Stack) -> LogicalId {
        let resource = stack.add(
            self.id.clone(),
            &s3::Bucket {
                bucket_name: Some(self.name.clone()),
                bucket_encryption: Some(s3::BucketEncryption {
                    server_side_encryption_configuration: vec![s3::ServerSideEncryptionRule {
                        server_side_encryption_by_default: s3::ServerSideEncryptionByDefault {
                            sse_algorithm: "AES256".into(),
                            kms_master_key_id: None,
                        },
                        bucket_key_enabled: None,
                    }],
                }),
                public_access_block_configuration: Some(s3::PublicAccessBlockConfiguration {
                    block_public_acls: true,
                    block_public_policy: true,
                    ignore_public_acls: true,
                    restrict_public_buckets: true,
                }),
                ownership_controls: Some(s3::OwnershipControls {
                    rules: vec![s3::OwnershipControlsRule {
                        object_ownership: "BucketOwnerEnforced".into(),
                    }],
                }),
                versioning_configuration: self.versioned.then(|| s3::VersioningConfiguration {
                    status: "Enabled".into(),
                }),
                cors_configuration: (!self.cors.is_empty()).then(|| s3::CorsConfiguration {
                    cors_rules: self.cors.clone(),
                }),
                lifecycle_configuration: (!self.lifecycle.is_empty()).then(|| {
                    s3::LifecycleConfiguration {
                        rules: self.lifecycle.clone(),
                    }
                }),
                intelligent_tiering_configurations: (!self.intelligent_tiering.is_empty())
                    .then(|| self.intelligent_tiering.clone()),
                notification_configuration: (!self.notifications.is_empty()).then(|| {
                    s3::NotificationConfiguration {
                        lambda_configurations: Some(self.notifications.clone()),
                    }
                }),
            },
        );
        resource.retain(self.retain);
        let bucket = Expr::reference(&self.id);
        let arn = Expr::get_att(&self.id, "Arn");
        let objects = Expr::Join(String::new(), vec![arn.clone(), Expr::from("/*")]);
        let deny_plain_http = Statement::deny(&[TLS_ACTIONS], vec![arn, objects])
            .sid("DenyInsecureTransport")
            .principal(Principal::Aws(Expr::from("*")))
            .condition("Bool", "aws:SecureTransport", "false");
        stack.add(
            self.id.child("Policy"),
            &s3::BucketPolicy {
                bucket,
                policy_document: PolicyDocument::new(
                    std::iter::once(deny_plain_http)
                        .chain(self.policy_statements)
                        .collect(),
                ),
            },
        );
        self.id
    }
}

/// Denying every S3 action over plain HTTP is the one place a wildcard action is right:
/// a Deny narrows access, and listing actions would let new ones through.
const TLS_ACTIONS: Action = Action::deny_pattern("s3:*");

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

    pub fn grant_objects(&self, grantee: &mut impl Grantable, prefix: &str, granted: &[Action]) {
        for action in granted {
            assert_eq!(action.service(), "s3", "a bucket can only grant s3 actions");
        }
        grantee.grant(Statement::allow(granted, vec![self.objects_arn(prefix)]));
    }

    pub fn grant_list(&self, grantee: &mut impl Grantable) {
        grantee.grant(Statement::allow(
            &[cfn_core::iam::actions::s3::LIST_BUCKET],
            vec![self.arn()],
        ));
    }
}
