//! Auth: passwordless email sign-in with Cognito's native one-time codes.
use super::published;
use super::stage::StageConfig;
use cfn_core::LogicalId;
use constructs::user_pool::{AppClient, AuthFlow, SignIn, UserPool};
use constructs::Stack;

pub struct AuthStack {
    pub stack: Stack,
}

pub fn stack(stage: &StageConfig) -> AuthStack {
    let mut stack = Stack::new(
        "Auth",
        stage,
        "Cognito user pool, passwordless email one-time code",
    );
    let pool = UserPool::new(
        &stack,
        "users",
        SignIn::EmailOtp {
            subject: "Your BubbleBatch sign-in code".into(),
            message: "Your BubbleBatch sign-in code is {####}. It expires in 3 minutes. \
                      If you did not try to sign in, ignore this email."
                .into(),
        },
    )
    .ses_sender(
        stage.mail_domain,
        &format!("BubbleBatch <no-reply@{}>", stage.mail_domain),
    )
    .add_to(
        &mut stack,
        &[AppClient {
            id: "app",
            auth_flows: vec![AuthFlow::UserAuth, AuthFlow::RefreshToken],
            access_token_hours: 1,
            id_token_hours: 1,
            refresh_token_days: 30,
            oauth: None,
        }],
    );
    stack.publish(
        LogicalId::new("UserPoolIdParameter").unwrap(),
        published::USER_POOL_ID,
        pool.pool_id.clone(),
        "ID of the BubbleBatch user pool",
    );
    stack.publish(
        LogicalId::new("UserPoolClientIdParameter").unwrap(),
        published::USER_POOL_CLIENT_ID,
        pool.client_ids[0].clone(),
        "ID of the BubbleBatch app client",
    );
    AuthStack { stack }
}
