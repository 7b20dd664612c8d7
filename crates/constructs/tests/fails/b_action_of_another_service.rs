//! An action constant whose name belongs to another service than its type: the
//! `const` fails to evaluate, so `dynamodb` grants cannot carry an S3 action.
use cfn_core::iam::{Action, DynamoDb};

const PUT: Action<DynamoDb> = Action::new("s3:PutObject");

fn main() {
    println!("{}", PUT.as_str());
}
