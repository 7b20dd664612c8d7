//! An S3 action granted on a DynamoDB table: a policy that allows nothing and hides the
//! missing DynamoDB grant. A table grants `Action<DynamoDb>` only.
#[path = "../b_support/mod.rs"]
mod b_support;

use cfn_core::iam::actions::s3;
use constructs::function::Function;
use constructs::table::TableRef;

fn main() {
    let stack = b_support::stack("Api");
    let mut reader = Function::new(&stack, "reader", "reads items");
    TableRef::from_name("demo-prod-table").grant(&mut reader, &[s3::GET_OBJECT]);
}
