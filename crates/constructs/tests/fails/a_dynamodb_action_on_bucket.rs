//! A DynamoDB action granted on a bucket's objects: a policy that allows nothing and
//! hides the missing S3 grant. Buckets grant `ObjectAction`s only.
#[path = "../a_support/mod.rs"]
mod a_support;

use cfn_core::iam::actions::dynamodb;
use constructs::bucket::BucketRef;
use constructs::function::Function;

fn main() {
    let stack = a_support::stack("Api");
    let mut uploader = Function::new(&stack, "uploader", "writes photos");
    let photos = BucketRef::for_stage(&stack, "photos");
    photos.grant_objects(&mut uploader, "users/", &[dynamodb::PUT_ITEM]);
}
