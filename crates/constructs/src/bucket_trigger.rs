//! S3 → Lambda: a bucket that invokes a function when objects are created under a
//! prefix, with the Lambda permission that allows exactly that bucket of this account.
use super::bucket::Bucket;
use super::function::FunctionRef;
use super::stack::Stack;
use cfn::lambda::Permission;
use cfn::s3::bucket as s3;
use cfn_core::{Expr, LogicalId, Pseudo};

/// Renders `bucket` with an `s3:ObjectCreated:*` notification to `function` for keys
/// under `prefix`. S3 checks the destination when the bucket's notification is set, so
/// the permission must exist first: the bucket depends on it. The permission names the
/// bucket by ARN built from its name, not by reference, so there is no cycle.
pub fn add_with_trigger(
    stack: &mut Stack,
    bucket: Bucket,
    function: &FunctionRef,
    prefix: &str,
) -> LogicalId {
    let permission = bucket.id.child(&format!(
        "{}InvokePermission",
        LogicalId::from_path(&[&function.name])
    ));
    stack.add(
        permission.clone(),
        &Permission {
            source_arn: Some(bucket.reference().arn().into()),
            // Bucket names are global: the account pins the bucket to this one.
            source_account: Some(Expr::pseudo(Pseudo::AccountId).into()),
            ..Permission::new("lambda:InvokeFunction", function.arn(), "s3.amazonaws.com")
        },
    );
    let filter = s3::NotificationFilter::new(s3::S3KeyFilter::new(vec![s3::FilterRule::new(
        "prefix", prefix,
    )]));
    let bucket = bucket.notify_lambda(s3::LambdaConfiguration {
        filter: Some(filter),
        ..s3::LambdaConfiguration::new("s3:ObjectCreated:*", function.arn())
    });
    let bucket_id = bucket.add_to(stack);
    stack.add_dependency(&bucket_id, &permission);
    bucket_id
}
