//! A DynamoDB action granted on a user pool. A pool grants `Action<CognitoIdp>` only.
#[path = "../b_support/mod.rs"]
mod b_support;

use cfn_core::iam::actions::dynamodb;
use cfn_core::{Expr, LogicalId};
use constructs::function::Function;
use constructs::user_pool::UserPoolRef;

fn main() {
    let stack = b_support::stack("Api");
    let mut admin = Function::new(&stack, "admin", "administers users");
    let parameter = LogicalId::new("UserPoolIdParameter").unwrap();
    let pool = UserPoolRef::imported(&parameter, Expr::from("client"));
    pool.grant(&mut admin, &[dynamodb::PUT_ITEM]);
}
