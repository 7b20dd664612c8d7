//! Offline sign-in for the local server only: a dev mail sink instead of Cognito's email.
//! The one-time code is printed and written to `<mail dir>/<email>`; after the code is
//! checked, tokens are issued by the emulator's user pool (moto signs RS256 JWTs and
//! serves their JWKS), so the gateway validates real tokens exactly as in AWS.
//!
//! This file is compiled into the `local` binary only; no Lambda contains it.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::error::ApiError;
use app::signin::{BoxFuture, CognitoSignIn, LoginStarted, SignIn, Tokens};
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use rand::RngExt;

const CODE_TTL: Duration = Duration::from_secs(300);
const MAX_ATTEMPTS: u8 = 3;

struct Pending {
    email: String,
    code: String,
    expires: Instant,
    attempts: u8,
}

pub struct DevSignIn {
    pub cognito: CognitoSignIn,
    pub mail_dir: PathBuf,
    pending: Mutex<HashMap<String, Pending>>,
}

impl DevSignIn {
    pub fn new(cognito: CognitoSignIn, mail_dir: PathBuf) -> DevSignIn {
        DevSignIn {
            cognito,
            mail_dir,
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// Checks the code; a session is burnt after a success or too many wrong codes.
    fn check(&self, email: &str, code: &str, session: &str) -> Result<(), ApiError> {
        let invalid = || ApiError::unauthorized("invalid or expired code or session");
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let p = pending.get_mut(session).ok_or_else(invalid)?;
        if p.email != email || p.expires < Instant::now() || p.attempts >= MAX_ATTEMPTS {
            pending.remove(session);
            return Err(invalid());
        }
        if p.code != code {
            p.attempts += 1;
            return Err(invalid());
        }
        pending.remove(session);
        Ok(())
    }

    /// Tokens from the emulator's pool: a throw-away password set and used at once.
    async fn issue_tokens(&self, email: &str) -> Result<Tokens, ApiError> {
        let c = &self.cognito;
        let password = format!("Dev-{}-a1!", app::model::new_id());
        c.client
            .admin_set_user_password()
            .user_pool_id(&c.user_pool_id)
            .username(email)
            .password(&password)
            .permanent(true)
            .send()
            .await
            .map_err(ApiError::internal)?;
        let out = c
            .client
            .admin_initiate_auth()
            .user_pool_id(&c.user_pool_id)
            .client_id(&c.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(ApiError::internal)?;
        let auth = out
            .authentication_result
            .ok_or_else(|| ApiError::internal("emulator returned no tokens"))?;
        Ok(Tokens {
            access_token: auth.access_token.unwrap_or_default(),
            id_token: auth.id_token.unwrap_or_default(),
            refresh_token: auth.refresh_token,
            expires_in: auth.expires_in,
            token_type: auth.token_type.unwrap_or_else(|| "Bearer".into()),
        })
    }
}

impl SignIn for DevSignIn {
    fn start<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<LoginStarted, ApiError>> {
        Box::pin(async move {
            self.cognito.ensure_user(email).await?;
            let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
            let session = app::model::new_id();
            self.pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    session.clone(),
                    Pending {
                        email: email.to_string(),
                        code: code.clone(),
                        expires: Instant::now() + CODE_TTL,
                        attempts: 0,
                    },
                );
            // `email` passed validation (no `/`, no whitespace), so it is a safe file name.
            let path = self.mail_dir.join(email);
            tokio::fs::create_dir_all(&self.mail_dir)
                .await
                .map_err(ApiError::internal)?;
            tokio::fs::write(&path, format!("{code}\n"))
                .await
                .map_err(ApiError::internal)?;
            println!(
                "[dev mail] to {email}: your BubbleBatch code is {code} (also in {})",
                path.display()
            );
            Ok(LoginStarted {
                session,
                challenge: "EMAIL_OTP",
            })
        })
    }

    fn verify<'a>(
        &'a self,
        email: &'a str,
        code: &'a str,
        session: &'a str,
    ) -> BoxFuture<'a, Result<Tokens, ApiError>> {
        Box::pin(async move {
            self.check(email, code, session)?;
            self.issue_tokens(email).await
        })
    }
}
