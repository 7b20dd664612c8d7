//! An MFA mode as a string: `"REQUIRED"` is not one of Cognito's values (`ON`), and
//! with a string nothing would say so before deploy. Modes are `MfaMode`.
#[path = "../b_support/mod.rs"]
mod b_support;

use constructs::user_pool::{MfaFactor, PasswordPolicy, SignIn, UserPool};

fn main() {
    let stack = b_support::stack("Auth");
    let policy = PasswordPolicy {
        minimum_length: 12,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: true,
        temporary_password_validity_days: Some(1),
    };
    let _pool = UserPool::new(&stack, "users", SignIn::Password(policy))
        .mfa("REQUIRED", &[MfaFactor::SoftwareToken]);
}
