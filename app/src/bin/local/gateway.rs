//! What API Gateway does in front of the Lambdas, for the local server: HTTP in, JWT
//! authorizer on the protected routes, claims passed to the handlers, HTTP out.
use std::sync::Arc;

use app::identity::Caller;
use app::jwt::JwtValidator;
use app::request::{parse_query, ApiRequest};
use app::response::{ApiError, ApiResponse};
use app::routes::{match_route, Match};
use app::App;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

/// API Gateway's payload limit for HTTP APIs is 10 MB; JSON bodies here are tiny.
const MAX_BODY: usize = 1024 * 1024;

pub struct Gateway {
    pub app: App,
    pub jwt: JwtValidator,
}

pub async fn serve(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query().unwrap_or(""));
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = match to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => {
            return into_http(
                ApiError::new(413, "PAYLOAD_TOO_LARGE", "request body too large").into_response(),
            )
        }
    };
    let needs_auth = matches!(
        match_route(None, &method, &path),
        Match::Found { route, .. } if route.authenticated
    );
    let caller = if needs_auth {
        // Like the JWT authorizer: reject before the handler runs.
        match authorize(&gw.jwt, auth.as_deref()) {
            Ok(c) => Some(c),
            Err(msg) => return into_http(ApiError::unauthorized(msg).into_response()),
        }
    } else {
        None
    };
    let api_req = ApiRequest {
        method,
        path,
        query,
        body,
        caller,
    };
    into_http(app::app::handle(&gw.app, None, api_req).await)
}

fn authorize(jwt: &JwtValidator, header: Option<&str>) -> Result<Caller, String> {
    let token = header
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .ok_or("missing bearer token")?;
    let claims = jwt.validate(token.trim()).map_err(|e| e.to_string())?;
    Caller::from_claims(&claims).ok_or_else(|| "token subject is not usable".to_string())
}

fn into_http(r: ApiResponse) -> Response {
    let mut resp = Response::new(Body::from(r.body));
    *resp.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            resp.headers_mut().append(k, v);
        }
    }
    resp
}
