//! The HTTP API as an axum [`Router`], built from the contract's route table: a route
//! is served only if the contract declares it, and every declared route needs a
//! handler (an exhaustive match), so the two cannot drift apart.
//!
//! Deployed, each Lambda serves its own function's routes through `lambda_http::run`;
//! the tests' router serves all of them. Answers outside the handlers keep the API's
//! envelope: 404 for an unknown path, 405 with `Allow` for a known path and another
//! method (HEAD included: API Gateway routes are declared per method), 401 before a
//! protected handler runs.
pub mod authorizer;
pub mod extract;
pub mod reply;

use std::collections::BTreeMap;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, uri::PathAndQuery, Method as HttpMethod, Request, Uri};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use contract::{Auth, Method, Route, RouteId};
use lambda_http::request::RequestContext;

pub use authorizer::Authorizer;
pub use reply::{ApiResult, Reply};

use crate::error::ApiError;
use crate::{handlers, App};

/// A router serving `routes`, each protected one behind `authorizer`.
pub fn router<'a>(
    app: App,
    routes: impl IntoIterator<Item = &'a Route>,
    authorizer: Authorizer,
) -> Router {
    // Routes that share a path share one method router, so axum can tell 405 from 404.
    let mut paths: BTreeMap<&str, (MethodRouter<App>, Vec<Method>)> = BTreeMap::new();
    for route in routes {
        let mut endpoint = endpoint(route.id, filter(route.method));
        if route.auth == Auth::Jwt {
            endpoint =
                endpoint.route_layer(from_fn_with_state(authorizer.clone(), authorizer::guard));
        }
        let (methods, allowed) = paths
            .entry(route.path)
            .or_insert_with(|| (MethodRouter::new(), Vec::new()));
        *methods = std::mem::replace(methods, MethodRouter::new()).merge(endpoint);
        allowed.push(route.method);
    }
    let mut router = Router::new();
    for (path, (methods, allowed)) in paths {
        let refuse = move |method: HttpMethod| {
            let allowed = allowed.clone();
            async move { method_not_allowed(&method, &allowed) }
        };
        router = router.route(path, methods.head(refuse.clone()).fallback(refuse));
    }
    router
        .fallback(not_found)
        .layer(from_fn(no_empty_segments))
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        .with_state(app)
}

/// The handler of each route. A new `RouteId` does not compile until it has one.
fn endpoint(id: RouteId, method: MethodFilter) -> MethodRouter<App> {
    use handlers::*;
    match id {
        RouteId::Login => on(method, auth::login),
        RouteId::Verify => on(method, auth::verify),
        RouteId::CreateBatch => on(method, batches::create),
        RouteId::ListBatches => on(method, batches::list),
        RouteId::GetBatch => on(method, batches::get),
        RouteId::CreateEvent => on(method, events::create),
        RouteId::ListEvents => on(method, events::list),
        RouteId::ReminderSuggestions => on(method, reminders::suggestions),
        RouteId::ConfirmReminder => on(method, reminders::confirm),
        RouteId::MyReminders => on(method, reminders::mine),
        RouteId::RegisterDevice => on(method, devices::register),
        RouteId::ExportCsv => on(method, export::csv),
        RouteId::PublicBatch => on(method, public::get),
    }
}

fn filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    }
}

fn method_not_allowed(method: &HttpMethod, allowed: &[Method]) -> impl IntoResponse {
    let allowed = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let error = ApiError::new(
        405,
        "METHOD_NOT_ALLOWED",
        format!("{method} is not allowed here; use {allowed}"),
    );
    ([(header::ALLOW, allowed)], error)
}

async fn not_found(method: HttpMethod, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}

/// `{id}` would match an empty segment (`/batches//events`); no route has one.
async fn no_empty_segments(req: axum::extract::Request, next: Next) -> Response {
    if req.uri().path().split('/').skip(1).any(str::is_empty) {
        return not_found(req.method().clone(), req.uri().clone())
            .await
            .into_response();
    }
    next.run(req).await
}

/// Rewrites the path to the form routes are declared in, before routing: without the
/// `/<stage>` prefix lambda_http adds for a named API Gateway stage, and without a single
/// trailing slash (`/batches/` is `/batches`). The Lambdas and the tests' router put
/// it in front of [`router`].
pub fn normalize_path<B>(mut req: Request<B>) -> Request<B> {
    let stage = match req.extensions().get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.stage.clone(),
        _ => None,
    };
    let path = req.uri().path();
    let mut normalized = match stage.as_deref() {
        Some(s) if s != "$default" => path
            .strip_prefix(&format!("/{s}"))
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path),
        _ => path,
    };
    if normalized.len() > 1 {
        normalized = normalized.strip_suffix('/').unwrap_or(normalized);
    }
    if normalized == path {
        return req;
    }
    let target = match req.uri().query() {
        Some(q) => format!("{normalized}?{q}"),
        None => normalized.to_string(),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = PathAndQuery::try_from(target) {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    req
}

#[cfg(test)]
mod tests;
