//! POST /auth/login, POST /auth/verify: passwordless email one-time code.
use axum::extract::State;
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::{ApiResult, Reply};
use crate::signin::{LoginStarted, Tokens};
use crate::{validate, App};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    email: String,
    code: String,
    session: String,
}

fn signin(app: &App) -> Result<&dyn crate::signin::SignIn, ApiError> {
    app.signin
        .as_deref()
        .ok_or_else(|| ApiError::internal("sign-in is not configured for this function"))
}

pub async fn login(
    State(app): State<App>,
    JsonBody(body): JsonBody<Login>,
) -> ApiResult<LoginStarted> {
    let email = validate::email(&body.email)?;
    let started = signin(&app)?.start(&email).await?;
    Ok(Reply::ok(started))
}

pub async fn verify(State(app): State<App>, JsonBody(body): JsonBody<Verify>) -> ApiResult<Tokens> {
    let email = validate::email(&body.email)?;
    // Cognito email codes are 6–8 digits; anything else cannot be right.
    let code = body.code.trim();
    if !(6..=8).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(
            "`code` must be the 6 to 8 digit code from the email",
        ));
    }
    if body.session.is_empty() || body.session.len() > 4096 {
        return Err(ApiError::bad_request(
            "`session` must be the session returned by /auth/login",
        ));
    }
    let tokens = signin(&app)?.verify(&email, code, &body.session).await?;
    Ok(Reply::ok(tokens))
}
