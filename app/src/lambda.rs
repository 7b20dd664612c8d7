//! Adapter between API Gateway HTTP API (payload 2.0) events and the shared dispatcher.
//! The caller comes from `requestContext.authorizer.jwt.claims`, which API Gateway fills
//! only after its JWT authorizer validated the token.
use std::sync::Arc;

use lambda_http::request::RequestContext;
use lambda_http::{Body, RequestExt};

use crate::config::{clients, required_env, Config};
use crate::identity::Caller;
use crate::photos::Photos;
use crate::request::{parse_query, ApiRequest};
use crate::response::ApiResponse;
use crate::routes::Function;
use crate::signin::CognitoSignIn;
use crate::store::Store;
use crate::{app, App};

pub fn to_api_request(req: &lambda_http::Request) -> ApiRequest {
    let (stage, caller) = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => (
            ctx.stage.clone(),
            ctx.authorizer
                .as_ref()
                .and_then(|a| a.jwt.as_ref())
                .and_then(|jwt| Caller::from_claims(&jwt.claims)),
        ),
        _ => (None, None),
    };
    let raw = req.raw_http_path();
    let raw = if raw.is_empty() {
        req.uri().path()
    } else {
        raw
    };
    // Named stages (not `$default`) prefix rawPath with `/<stage>`; routes do not.
    let path = match stage.as_deref() {
        Some(s) if s != "$default" => raw
            .strip_prefix(&format!("/{s}"))
            .filter(|p| p.starts_with('/'))
            .unwrap_or(raw),
        _ => raw,
    };
    ApiRequest {
        method: req.method().as_str().to_string(),
        path: path.to_string(),
        query: parse_query(req.uri().query().unwrap_or("")),
        body: match req.body() {
            Body::Empty => Vec::new(),
            Body::Text(t) => t.as_bytes().to_vec(),
            Body::Binary(b) => b.clone(),
            _ => Vec::new(),
        },
        caller,
    }
}

pub fn to_lambda_response(r: ApiResponse) -> lambda_http::Response<Body> {
    let mut builder = lambda_http::Response::builder().status(r.status);
    for (k, v) in &r.headers {
        builder = builder.header(k, v);
    }
    let is_text = r
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("application/json") || ct.starts_with("text/"));
    let body = if is_text {
        Body::Text(String::from_utf8_lossy(&r.body).into_owned())
    } else {
        Body::Binary(r.body)
    };
    builder.body(body).expect("status and headers are valid")
}

/// Builds the context of one deployed function from its environment. Only the auth
/// function gets a sign-in backend, and it is always Cognito.
pub async fn app_from_env(function: Function) -> Result<App, String> {
    let config = Config::from_env()?;
    let c = clients().await;
    let signin: Option<Arc<dyn crate::signin::SignIn>> = if function == Function::Auth {
        Some(Arc::new(CognitoSignIn {
            client: c.cognito.clone(),
            user_pool_id: required_env("USER_POOL_ID")?,
            client_id: required_env("USER_POOL_CLIENT_ID")?,
        }))
    } else {
        None
    };
    Ok(App {
        store: Store::new(c.ddb, config.table_name),
        photos: Photos::new(c.s3, config.bucket_name),
        signin,
        clock: app::system_clock(),
    })
}

/// Entry point of every HTTP Lambda binary.
pub async fn run_http(function: Function) -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = Arc::new(app_from_env(function).await?);
    lambda_http::run(lambda_http::service_fn(move |req: lambda_http::Request| {
        let app = app.clone();
        async move {
            let api_req = to_api_request(&req);
            let resp = app::handle(&app, Some(function), api_req).await;
            Ok::<_, std::convert::Infallible>(to_lambda_response(resp))
        }
    }))
    .await
}
