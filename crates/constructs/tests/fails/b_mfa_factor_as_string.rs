//! An MFA factor as a string (`TOTP` is not a Cognito factor name). Factors are
//! `MfaFactor`.
#[path = "../b_support/mod.rs"]
mod b_support;

use constructs::user_pool::{MfaMode, SignIn, UserPool};

fn main() {
    let stack = b_support::stack("Auth");
    let sign_in = SignIn::EmailOtp {
        message: "Your code is {####}".into(),
        subject: "Your code".into(),
    };
    let _pool = UserPool::new(&stack, "users", sign_in).mfa(MfaMode::Optional, &["TOTP"]);
}
