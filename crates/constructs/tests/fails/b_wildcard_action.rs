//! A wildcard action: `Action::new` refuses it when the `const` is evaluated, and
//! `Statement::allow` takes nothing else, so no Allow statement can grant `s3:*`.
use cfn_core::iam::{Action, S3};

const EVERYTHING: Action<S3> = Action::new("s3:*");

fn main() {
    println!("{}", EVERYTHING.as_str());
}
