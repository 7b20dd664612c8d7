//! Authentication of the protected (`Auth::Jwt`) routes. Deployed, API Gateway's JWT
//! authorizer checks the token and lambda_http hands its claims to the function in the
//! request context (locally, `infra dev`'s gateway does the same). A router built with
//! `Authorizer::Jwt` checks the token itself, the way API Gateway does (`jwt.rs`; the
//! tests use it), and puts the claims into the same request context, so handlers read
//! the caller one way everywhere.
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lambda_http::aws_lambda_events::apigw::{
    ApiGatewayRequestAuthorizer, ApiGatewayRequestAuthorizerJwtDescription,
    ApiGatewayV2httpRequestContext,
};
use lambda_http::request::RequestContext;

use super::extract::{caller_of, NO_CALLER};
use crate::error::ApiError;
use crate::jwt::JwtValidator;

/// Who checks the bearer token of a protected route before its handler runs.
#[derive(Clone)]
pub enum Authorizer {
    /// API Gateway's JWT authorizer already did (a deployed function).
    ApiGateway,
    /// This process does, as API Gateway would (tests).
    Jwt(Arc<JwtValidator>),
}

/// Middleware of every protected route. Whatever the authorizer, a protected route never
/// runs without a caller, so a misconfigured API cannot serve anonymous users.
pub async fn guard(State(authorizer): State<Authorizer>, mut req: Request, next: Next) -> Response {
    if let Authorizer::Jwt(jwt) = &authorizer {
        match bearer_claims(jwt, req.headers()) {
            Ok(claims) => {
                req.extensions_mut().insert(api_gateway_context(claims));
            }
            // Rejected before the handler runs, like the JWT authorizer.
            Err(reason) => return ApiError::unauthorized(reason).into_response(),
        }
    }
    if caller_of(req.extensions()).is_none() {
        return ApiError::unauthorized(NO_CALLER).into_response();
    }
    next.run(req).await
}

fn bearer_claims(
    jwt: &JwtValidator,
    headers: &HeaderMap,
) -> Result<HashMap<String, String>, String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .ok_or("missing bearer token")?;
    jwt.validate(token.trim()).map_err(|e| e.to_string())
}

/// The request context API Gateway (HTTP API, `$default` stage) passes to a function
/// after its JWT authorizer accepted a token with these claims.
pub fn api_gateway_context(claims: HashMap<String, String>) -> RequestContext {
    let mut jwt = ApiGatewayRequestAuthorizerJwtDescription::default();
    jwt.claims = claims;
    let mut authorizer = ApiGatewayRequestAuthorizer::default();
    authorizer.jwt = Some(jwt);
    let mut ctx = ApiGatewayV2httpRequestContext::default();
    ctx.stage = Some("$default".into());
    ctx.authorizer = Some(authorizer);
    RequestContext::ApiGatewayV2(ctx)
}
