//! The bootstrap stack: one assets bucket per stage for Lambda zips and large templates.
//! Built from the typed CloudFormation model like every app stack, so `synth` checks it
//! with the same policies and writes it to `stacks/bootstrap/<stage>/Bootstrap.json`,
//! where cfn-lint reads it; the deploy engine deploys exactly these bytes.
use cfn_core::iam::{PolicyDocument, Principal, Statement, S3};
use cfn_core::{Expr, LogicalId, Output, Resource, Template};
use constructs::cfn::s3::bucket::{self as s3, ObjectOwnership, SSEAlgorithm};
use constructs::cfn::s3::BucketPolicy;

use crate::app::Stage;
use crate::synth::SynthesizedStack;

/// File stem of the bootstrap template, next to the app's stacks.
pub const NAME: &str = "Bootstrap";
pub const BUCKET_LOGICAL_ID: &str = "AssetsBucket";
/// Days after which an asset object expires. Deploys re-upload a missing zip, and Lambda
/// keeps its own copy of the code, so expiry never breaks a deployed function.
pub const ASSET_EXPIRY_DAYS: u32 = 90;

pub fn stack_name(stage: Stage) -> String {
    format!("{}-{stage}-bootstrap", stage.app)
}

/// Encrypted, public access blocked, TLS only, old assets expired.
pub fn stack(stage: Stage) -> SynthesizedStack {
    let template = template(stage);
    SynthesizedStack::new(NAME, &stack_name(stage), template.to_json())
}

fn template(stage: Stage) -> Template {
    let bucket_id = id(BUCKET_LOGICAL_ID);
    let mut template = Template::new(format!(
        "{} {stage} bootstrap: the assets bucket (Lambda zips, large templates)",
        stage.app
    ));
    let tag = |key: &str, value: &str| s3::Tag {
        key: key.into(),
        value: value.into(),
    };
    let bucket = s3::Bucket {
        bucket_encryption: Some(s3::BucketEncryption::new(vec![
            s3::ServerSideEncryptionRule {
                server_side_encryption_by_default: Some(s3::ServerSideEncryptionByDefault::new(
                    SSEAlgorithm::Aes256,
                )),
                ..s3::ServerSideEncryptionRule::new()
            },
        ])),
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
        lifecycle_configuration: Some(s3::LifecycleConfiguration::new(vec![
            s3::Rule {
                id: Some("ExpireOldAssets".into()),
                expiration_in_days: Some(i64::from(ASSET_EXPIRY_DAYS).into()),
                ..s3::Rule::new(s3::Status::Enabled)
            },
            s3::Rule {
                id: Some("AbortIncompleteUploads".into()),
                abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload::new(1)),
                ..s3::Rule::new(s3::Status::Enabled)
            },
        ])),
        tags: Some(vec![tag("app", stage.app), tag("stage", stage.name())]),
        ..s3::Bucket::new()
    };
    let mut bucket = Resource::typed(&bucket);
    // Said explicitly (cfn-lint I3011). Outside production the assets (rebuilt by any
    // deploy) go with their stack; in production the bucket is retained like all data
    // (policy PROD_DATA_RETAINED).
    bucket.retain(stage.production);
    // Written as checkov reads it (Metadata.checkov.skip), like Stack::suppress does.
    bucket.metadata.insert(
        "checkov".into(),
        serde_json::json!({"skip": [
            {"id": "CKV_AWS_18", "comment": "Assets are written only by deploys through CloudFormation's change sets, which CloudTrail records; a log bucket per stage for build artifacts adds cost, not evidence"},
            {"id": "CKV_AWS_21", "comment": "Objects are immutable and named by their SHA-256, so no version is ever overwritten; they expire after the asset lifetime and any deploy rebuilds them"},
        ]}),
    );
    add(&mut template, &bucket_id, bucket);
    let arn = s3::Bucket::att_arn(&bucket_id);
    let objects = Expr::sub(format!("${{{BUCKET_LOGICAL_ID}.Arn}}/*"));
    // Denying every S3 action over plain HTTP: a Deny narrows access, so the wildcard
    // stays complete when AWS adds actions.
    let deny_plain_http = Statement::deny_every::<S3>(vec![arn, objects])
        .sid("DenyInsecureTransport")
        .principal(Principal::Aws(Expr::from("*")))
        .condition("Bool", "aws:SecureTransport", "false");
    let policy = BucketPolicy::new(
        Expr::reference(&bucket_id),
        PolicyDocument::new(vec![deny_plain_http]),
    );
    add(
        &mut template,
        &bucket_id.child("Policy"),
        Resource::typed(&policy),
    );
    template
        .add_output(
            id("AssetsBucketName"),
            Output {
                description:
                    "The assets bucket: Lambda zips and templates too large to pass inline".into(),
                value: Expr::reference(&bucket_id),
            },
        )
        .expect("one output");
    template
}

fn id(text: &str) -> LogicalId {
    LogicalId::new(text).expect("a valid logical ID")
}

fn add(template: &mut Template, id: &LogicalId, resource: Resource) {
    template
        .add_resource(id.clone(), resource)
        .expect("distinct logical IDs");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_is_locked_down() {
        let stack = stack(crate::app::tests::DEV);
        let t = &stack.template;
        let b = &t["Resources"][BUCKET_LOGICAL_ID]["Properties"];
        assert_eq!(
            b["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
            true
        );
        assert_eq!(
            b["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
                ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256"
        );
        assert_eq!(
            b["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"],
            ASSET_EXPIRY_DAYS
        );
        let st =
            &t["Resources"]["AssetsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
        assert_eq!(st["Effect"], "Deny");
        assert_eq!(st["Condition"]["Bool"]["aws:SecureTransport"], "false");
        assert_eq!(
            t["Outputs"]["AssetsBucketName"]["Value"]["Ref"],
            BUCKET_LOGICAL_ID
        );
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "AWSTemplateFormatVersion",
                "Description",
                "Outputs",
                "Resources"
            ],
            "{}",
            stack.template_json
        );
    }
}
