//! The router against the contract, without AWS: every probe is answered before a
//! handler would touch the table (401 without a caller, 400 for bad input).
use std::collections::HashMap;

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use contract::{Auth, Function, Route, RouteId, ROUTES};
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;
use serde_json::Value;
use tower::ServiceExt;

use super::*;

async fn offline_app() -> App {
    // Clients for a closed port: any AWS call would fail, so a 2xx proves none was made.
    let c = crate::config::emulator_clients("http://127.0.0.1:1").await;
    App {
        store: crate::store::Store::new(c.ddb, "t"),
        photos: crate::photos::Photos::new(c.s3, "b"),
        signin: None,
        clock: crate::app::system_clock(),
    }
}

fn concrete(route: &Route) -> String {
    route
        .path
        .split('/')
        .map(|s| if s.starts_with('{') { "x" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// Status, `Allow` header and JSON body of one request, path normalized as deployed.
async fn send(router: &Router, req: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let resp = router
        .clone()
        .map_request(normalize_path as fn(Request<Body>) -> Request<Body>)
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status();
    let allow = resp
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_string());
    let body = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    (
        status,
        allow,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn request(method: &str, path: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap()
}

/// Served: routed to a handler (or the authorizer in front of it), not 404/405.
async fn served(router: &Router, route: &Route) -> bool {
    let (status, _, _) = send(router, request(route.method.as_str(), &concrete(route))).await;
    status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED
}

#[tokio::test]
async fn the_router_serves_exactly_the_contract_routes() {
    let all = router(offline_app().await, ROUTES, Authorizer::ApiGateway);
    for route in ROUTES {
        assert!(served(&all, route).await, "{route} is not served");
    }
    // Built from a contract with one route fewer, the router stops serving exactly it.
    let removed = RouteId::ListEvents;
    let fewer = router(
        offline_app().await,
        ROUTES.iter().filter(|r| r.id != removed),
        Authorizer::ApiGateway,
    );
    let mut unserved = Vec::new();
    for route in ROUTES {
        if !served(&fewer, route).await {
            unserved.push(route.id);
        }
    }
    assert_eq!(unserved, [removed]);
}

#[tokio::test]
async fn a_function_serves_only_its_own_routes() {
    let app = offline_app().await;
    for function in Function::ALL {
        let r = router(app.clone(), function.routes(), Authorizer::ApiGateway);
        for route in ROUTES {
            assert_eq!(
                served(&r, route).await,
                route.function == function,
                "{function} and {route}"
            );
        }
    }
}

#[tokio::test]
async fn protected_routes_need_a_caller_and_public_ones_do_not() {
    let r = router(offline_app().await, ROUTES, Authorizer::ApiGateway);
    for route in ROUTES {
        let (status, _, body) = send(&r, request(route.method.as_str(), &concrete(route))).await;
        match route.auth {
            Auth::Jwt => {
                assert_eq!(status, 401, "{route}");
                assert_eq!(body["error"]["code"], "UNAUTHORIZED");
                assert_eq!(body["error"]["message"], extract::NO_CALLER);
            }
            Auth::Public => assert_eq!(status, 400, "{route}: {body}"),
        }
    }
    // Claims without a usable `sub` are no caller either.
    let mut req = request("GET", "/batches");
    let claims = HashMap::from([("sub".to_string(), "a#USER#b".to_string())]);
    req.extensions_mut()
        .insert(authorizer::api_gateway_context(claims));
    assert_eq!(send(&r, req).await.0, 401);
}

#[tokio::test]
async fn unknown_path_404_other_method_405_with_allow_head_is_not_get() {
    let r = router(offline_app().await, ROUTES, Authorizer::ApiGateway);
    let (status, _, body) = send(&r, request("GET", "/nothing/here")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "NOT_FOUND");
    assert_eq!(body["error"]["message"], "no route for GET /nothing/here");
    assert_eq!(body["error"]["statusCode"], 404);
    assert_eq!(send(&r, request("GET", "/batches//events")).await.0, 404);

    let (status, allow, body) = send(&r, request("DELETE", "/batches")).await;
    assert_eq!(status, 405);
    assert_eq!(allow.as_deref(), Some("POST, GET"));
    assert_eq!(body["error"]["code"], "METHOD_NOT_ALLOWED");
    assert_eq!(
        body["error"]["message"],
        "DELETE is not allowed here; use POST, GET"
    );
    // API Gateway routes are per method: HEAD is not served by a GET route.
    let (status, allow, _) = send(&r, request("HEAD", "/batches")).await;
    assert_eq!(
        (status.as_u16(), allow.as_deref()),
        (405, Some("POST, GET"))
    );
    let (status, allow, _) = send(&r, request("GET", "/auth/login")).await;
    assert_eq!((status.as_u16(), allow.as_deref()), (405, Some("POST")));
}

#[tokio::test]
async fn a_trailing_slash_and_a_named_stage_prefix_are_ignored() {
    let r = router(offline_app().await, ROUTES, Authorizer::ApiGateway);
    assert_eq!(send(&r, request("GET", "/batches/")).await.0, 401);
    assert_eq!(send(&r, request("GET", "/public/b/x/?a=1")).await.0, 400);
    // lambda_http prefixes the path with a named stage; routes are declared without it.
    let mut req = request("GET", "/dev/public/b/x");
    let mut ctx = ApiGatewayV2httpRequestContext::default();
    ctx.stage = Some("dev".into());
    req.extensions_mut()
        .insert(RequestContext::ApiGatewayV2(ctx));
    let (status, _, body) = send(&r, req).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("batchId"));
}

#[tokio::test]
async fn bad_json_is_400_naming_the_field() {
    let r = router(offline_app().await, ROUTES, Authorizer::ApiGateway);
    let login = |body: &str| {
        Request::builder()
            .method("POST")
            .uri("/auth/login")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (status, _, body) = send(&r, login(r#"{"email": 5}"#)).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`email`"),
        "{body}"
    );
    let (status, _, body) = send(&r, login("{not json")).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON body"));
    let (status, _, body) = send(&r, login(r#"{"email": "a@b.io", "x": 1}"#)).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"].as_str().unwrap().contains('x'),
        "{body}"
    );
    let big = format!("\"{}\"", "a".repeat(extract::MAX_BODY_BYTES));
    let (status, _, body) = send(&r, login(&big)).await;
    assert_eq!(
        (status.as_u16(), &body["error"]["code"]),
        (413, &Value::from("PAYLOAD_TOO_LARGE"))
    );
}
