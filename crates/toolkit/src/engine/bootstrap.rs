//! The bootstrap stack: one assets bucket per stage for Lambda zips and large templates.
use serde_json::{json, Value};

use crate::app::Stage;
use crate::diff::values::canonical;

pub const BUCKET_LOGICAL_ID: &str = "AssetsBucket";
/// Days after which an asset object expires. Deploys re-upload a missing zip, and Lambda
/// keeps its own copy of the code, so expiry never breaks a deployed function.
pub const ASSET_EXPIRY_DAYS: u32 = 90;

pub fn stack_name(stage: Stage) -> String {
    format!("{}-{stage}-bootstrap", stage.app)
}

/// Encrypted, public access blocked, TLS only, old assets expired. Keys sorted.
pub fn template(stage: Stage) -> Value {
    canonical(&json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("{} {stage} bootstrap: the assets bucket (Lambda zips, large templates)", stage.app),
        "Resources": {
            BUCKET_LOGICAL_ID: {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    },
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "LifecycleConfiguration": {"Rules": [
                        {"Id": "ExpireOldAssets", "Status": "Enabled", "ExpirationInDays": ASSET_EXPIRY_DAYS},
                        {"Id": "AbortIncompleteUploads", "Status": "Enabled",
                         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}
                    ]},
                    "Tags": [{"Key": "app", "Value": stage.app}, {"Key": "stage", "Value": stage.name()}]
                }
            },
            "AssetsBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": BUCKET_LOGICAL_ID},
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": [BUCKET_LOGICAL_ID, "Arn"]},
                                {"Fn::Sub": format!("${{{BUCKET_LOGICAL_ID}.Arn}}/*")}
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                        }]
                    }
                }
            }
        },
        "Outputs": {
            "AssetsBucketName": {"Value": {"Ref": BUCKET_LOGICAL_ID}}
        }
    }))
}

pub fn template_json(stage: Stage) -> String {
    serde_json::to_string_pretty(&template(stage)).expect("template serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_is_locked_down() {
        let t = template(crate::app::tests::DEV);
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
        let text = template_json(crate::app::tests::DEV);
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "AWSTemplateFormatVersion",
                "Description",
                "Outputs",
                "Resources"
            ],
            "{text}"
        );
    }
}
