//! S3 → Lambda: a bucket that invokes a function when objects are created under a
//! prefix, with the Lambda permission that allows exactly that bucket of this account.
use super::bucket::{Bucket, BucketRef};
use super::function::FunctionRef;
use super::stack::Stack;
use cfn_core::resources::{lambda, s3};
use cfn_core::{Expr, LogicalId, Pseudo};

/// Renders `bucket` with an `s3:ObjectCreated:*` notification to `function` for keys
/// under `prefix`. S3 checks the destination when the bucket's notification is set, so
/// the permission must exist first: the bucket depends on it. The permission names the
/// bucket by ARN built from its name, not by reference, so there is no cycle.
pub fn add_with_trigger(
    stack: &mut Stack,
    bucket: Bucket,
    bucket_ref: &BucketRef,
    function: &FunctionRef,
    prefix: &str,
) -> LogicalId {
    let permission = bucket.id.child(&format!(
        "{}InvokePermission",
        LogicalId::from_path(&[&function.name])
    ));
    stack.add(
        permission.clone(),
        &lambda::Permission {
            action: "lambda:InvokeFunction".into(),
            function_name: function.arn(),
            principal: "s3.amazonaws.com".into(),
            source_arn: Some(bucket_ref.arn()),
            // Bucket names are global: the account pins the bucket to this one.
            source_account: Some(Expr::pseudo(Pseudo::AccountId)),
        },
    );
    let bucket = bucket.notify_lambda(s3::LambdaConfiguration {
        event: "s3:ObjectCreated:*".into(),
        function: function.arn(),
        filter: Some(s3::NotificationFilter {
            s3_key: s3::S3KeyFilter {
                rules: vec![s3::FilterRule {
                    name: "prefix".into(),
                    value: prefix.to_string(),
                }],
            },
        }),
    });
    let bucket_id = bucket.add_to(stack);
    stack.add_dependency(&bucket_id, &permission);
    bucket_id
}
