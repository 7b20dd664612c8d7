//! Passwordless sign-in. The Lambda uses Cognito's native EMAIL_OTP (USER_AUTH flow),
//! locally too: `infra dev` runs this same code against the emulator's Cognito, which
//! writes the codes to a mail sink. Tests can plug in another implementation of the trait.
use std::future::Future;
use std::pin::Pin;

use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ChallengeNameType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::Client;
use serde::Serialize;

use crate::error::ApiError;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LoginStarted {
    /// Opaque; the client sends it back with the code.
    pub session: String,
    pub challenge: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: i32,
    pub token_type: String,
}

pub trait SignIn: Send + Sync {
    /// Starts sign-in for a validated, lower-cased email (creating the user if new).
    fn start<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<LoginStarted, ApiError>>;
    /// Exchanges the emailed code for tokens.
    fn verify<'a>(
        &'a self,
        email: &'a str,
        code: &'a str,
        session: &'a str,
    ) -> BoxFuture<'a, Result<Tokens, ApiError>>;
}

/// Cognito user pool with native email one-time codes.
pub struct CognitoSignIn {
    pub client: Client,
    pub user_pool_id: String,
    pub client_id: String,
}

impl CognitoSignIn {
    /// AdminGetUser, then AdminCreateUser if missing: passwordless users are created on
    /// first sign-in, verified (they prove the address by entering the code) and without
    /// Cognito's invitation email.
    pub async fn ensure_user(&self, email: &str) -> Result<(), ApiError> {
        match self
            .client
            .admin_get_user()
            .user_pool_id(&self.user_pool_id)
            .username(email)
            .send()
            .await
        {
            Ok(_) => return Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_user_not_found_exception()) => {}
            Err(e) if rejected_username(&e) => return Err(unusable_email()),
            Err(e) => return Err(cognito_error(e)),
        }
        let created = self
            .client
            .admin_create_user()
            .user_pool_id(&self.user_pool_id)
            .username(email)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .message_action(MessageActionType::Suppress)
            .send()
            .await;
        match created {
            Ok(_) => Ok(()),
            // Two first sign-ins racing: the other one created the user.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_username_exists_exception()) =>
            {
                Ok(())
            }
            Err(e) if rejected_username(&e) => Err(unusable_email()),
            Err(e) => Err(cognito_error(e)),
        }
    }
}

/// Cognito's own address check is stricter than RFC 5322 (schemathesis found
/// `b61=^#&@example.net`: valid for us, "Username should be either an email or a phone
/// number" for the pool). That is the caller's input, not an outage: 400, not 502.
fn rejected_username<E, R>(e: &aws_sdk_cognitoidentityprovider::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata,
{
    e.as_service_error().is_some_and(|s| {
        s.code() == Some("InvalidParameterException")
            && s.message().is_some_and(|m| m.contains("Username"))
    })
}

fn unusable_email() -> ApiError {
    ApiError::bad_request("`email` is not an address sign-in accepts")
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("name is set")
}

impl SignIn for CognitoSignIn {
    fn start<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<LoginStarted, ApiError>> {
        Box::pin(async move {
            self.ensure_user(email).await?;
            let out = self
                .client
                .initiate_auth()
                .client_id(&self.client_id)
                .auth_flow(AuthFlowType::UserAuth)
                .auth_parameters("USERNAME", email)
                .auth_parameters("PREFERRED_CHALLENGE", "EMAIL_OTP")
                .send()
                .await
                .map_err(cognito_error)?;
            match (out.challenge_name, out.session) {
                (Some(ChallengeNameType::EmailOtp), Some(session)) => Ok(LoginStarted {
                    session,
                    challenge: "EMAIL_OTP",
                }),
                (other, _) => Err(ApiError::new(
                    502,
                    "SIGN_IN_UNAVAILABLE",
                    format!("unexpected sign-in challenge {other:?}"),
                )),
            }
        })
    }

    fn verify<'a>(
        &'a self,
        email: &'a str,
        code: &'a str,
        session: &'a str,
    ) -> BoxFuture<'a, Result<Tokens, ApiError>> {
        Box::pin(async move {
            let out = self
                .client
                .respond_to_auth_challenge()
                .client_id(&self.client_id)
                .challenge_name(ChallengeNameType::EmailOtp)
                .session(session)
                .challenge_responses("USERNAME", email)
                .challenge_responses("EMAIL_OTP_CODE", code)
                .send()
                .await
                .map_err(cognito_error)?;
            let auth = out
                .authentication_result
                .ok_or_else(|| ApiError::unauthorized("invalid or expired code"))?;
            match (auth.access_token, auth.id_token) {
                (Some(access_token), Some(id_token)) => Ok(Tokens {
                    access_token,
                    id_token,
                    refresh_token: auth.refresh_token,
                    expires_in: auth.expires_in,
                    token_type: auth.token_type.unwrap_or_else(|| "Bearer".into()),
                }),
                _ => Err(ApiError::unauthorized("invalid or expired code")),
            }
        })
    }
}

/// Maps Cognito errors by their error code: wrong/expired codes and sessions are the
/// caller's problem (401), throttling is 429, anything else is ours (502, logged).
fn cognito_error<E, R>(e: aws_sdk_cognitoidentityprovider::error::SdkError<E, R>) -> ApiError
where
    E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = e.as_service_error().and_then(|s| s.code()).unwrap_or("");
    match code {
        "CodeMismatchException" | "ExpiredCodeException" | "NotAuthorizedException" => {
            ApiError::unauthorized("invalid or expired code or session")
        }
        "TooManyRequestsException"
        | "LimitExceededException"
        | "TooManyFailedAttemptsException" => ApiError::new(
            429,
            "TOO_MANY_REQUESTS",
            "too many attempts, try again later",
        ),
        _ => {
            tracing::error!(error = %DisplayErrorContext(&e), "cognito call failed");
            ApiError::new(
                502,
                "SIGN_IN_UNAVAILABLE",
                "sign-in is temporarily unavailable",
            )
        }
    }
}
