//! A deployed function: its environment from the contract, its routes behind API
//! Gateway (HTTP API, payload 2.0), run by `lambda_http::run`. API Gateway's JWT
//! authorizer has already checked tokens; its claims arrive in the request context.
use std::sync::Arc;

use axum::Router;
use contract::{EnvVar, Function};
use tower::util::MapRequest;
use tower::ServiceExt;

use crate::config::{clients, FunctionEnv};
use crate::http::{self, Authorizer};
use crate::signin::{CognitoSignIn, SignIn};
use crate::store::Store;
use crate::{app, photos::Photos, App};

/// Builds the context of one deployed function from its environment. Only the auth
/// function gets a sign-in backend, and it is always Cognito.
pub async fn app_from_env(function: Function) -> Result<App, String> {
    let env = FunctionEnv::from_env(function)?;
    let c = clients().await;
    let signin: Option<Arc<dyn SignIn>> = if function == Function::Auth {
        Some(Arc::new(CognitoSignIn {
            client: c.cognito.clone(),
            user_pool_id: env.get(EnvVar::UserPoolId)?.to_string(),
            client_id: env.get(EnvVar::UserPoolClientId)?.to_string(),
        }))
    } else {
        None
    };
    Ok(App {
        store: Store::new(c.ddb, env.get(EnvVar::TableName)?),
        photos: Photos::new(c.s3, env.get(EnvVar::BucketName)?),
        signin,
        clock: app::system_clock(),
    })
}

/// What one function serves: its own routes only (another function's path is a 404).
pub type Service = MapRequest<Router, fn(lambda_http::Request) -> lambda_http::Request>;

pub fn service(app: App, function: Function) -> Service {
    let router = http::router(app, function.routes(), Authorizer::ApiGateway);
    router.map_request(http::normalize_path as fn(_) -> _)
}

/// Entry point of every HTTP Lambda binary.
pub async fn run_http(function: Function) -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = app_from_env(function).await?;
    lambda_http::run(service(app, function)).await
}
