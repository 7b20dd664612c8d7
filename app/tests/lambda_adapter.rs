//! API Gateway HTTP API (payload 2.0) events through one function's service, as
//! `lambda_http::run` drives it: the caller comes from the JWT authorizer claims, stage
//! prefixes are removed, bodies are decoded. Every probe is answered before the table
//! is touched, so no emulator is needed.
use app::contract::Function;
use app::App;
use axum::body::to_bytes;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn offline_app() -> App {
    let c = app::config::emulator_clients("http://127.0.0.1:1").await;
    App {
        store: app::store::Store::new(c.ddb, "t"),
        photos: app::photos::Photos::new(c.s3, "b"),
        signin: None,
        clock: app::app::system_clock(),
    }
}

fn event(
    method: &str,
    raw_path: &str,
    query: &str,
    stage: &str,
    claims: Option<Value>,
    body: Option<&Value>,
) -> lambda_http::Request {
    use base64::Engine;
    let mut ctx = json!({
        "accountId": "123456789012", "apiId": "api", "domainName": "x.execute-api.us-east-1.amazonaws.com",
        "domainPrefix": "x", "requestId": "r", "routeKey": "ANY /x", "stage": stage,
        "time": "01/Jan/2025:00:00:00 +0000", "timeEpoch": 1735689600000i64,
        "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"}
    });
    if let Some(c) = claims {
        ctx["authorizer"] = json!({"jwt": {"claims": c, "scopes": null}});
    }
    let mut ev = json!({
        "version": "2.0", "routeKey": "ANY /x", "rawPath": raw_path, "rawQueryString": query,
        "headers": {"content-type": "application/json", "host": "x.execute-api.us-east-1.amazonaws.com"},
        "requestContext": ctx, "isBase64Encoded": false
    });
    if let Some(b) = body {
        let encoded = base64::engine::general_purpose::STANDARD.encode(b.to_string());
        ev["body"] = json!(encoded);
        ev["isBase64Encoded"] = json!(true);
    }
    lambda_http::request::from_str(&ev.to_string()).expect("valid payload 2.0 event")
}

async fn invoke(function: Function, req: lambda_http::Request) -> (u16, Value) {
    let service = app::lambda::service(offline_app().await, function);
    let resp = service.oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

const SUB: &str = "11111111-2222-3333-4444-555555555555";

#[tokio::test]
async fn caller_comes_from_jwt_authorizer_claims_and_the_body_is_decoded() {
    let claims = json!({"sub": SUB, "client_id": "c", "token_use": "access"});
    // Past the authorizer check (not 401), the base64 body reached the JSON parser.
    let (status, body) = invoke(
        Function::Batches,
        event(
            "POST",
            "/batches",
            "",
            "$default",
            Some(claims.clone()),
            Some(&json!({"name": "a"})),
        ),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(message(&body).contains("missing field `type`"), "{body}");
    let (status, body) = invoke(
        Function::Batches,
        event(
            "GET",
            "/batches",
            "limit=5&limit=6",
            "$default",
            Some(claims),
            None,
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        message(&body),
        "query parameter `limit` given more than once"
    );
}

#[tokio::test]
async fn no_authorizer_claims_means_no_caller() {
    let (status, _) = invoke(
        Function::Public,
        event("GET", "/public/b/x", "", "$default", None, None),
    )
    .await;
    assert_eq!(status, 400, "a public route runs without a caller");
    let (status, body) = invoke(
        Function::Batches,
        event("GET", "/batches", "", "$default", None, None),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("UNAUTHORIZED"))
    );
    let (status, _) = invoke(
        Function::Batches,
        event(
            "GET",
            "/batches",
            "",
            "$default",
            Some(json!({"scope": "x"})),
            None,
        ),
    )
    .await;
    assert_eq!(status, 401, "claims without sub are not a caller");
}

#[tokio::test]
async fn named_stage_prefix_is_removed() {
    let (status, body) = invoke(
        Function::Batches,
        event(
            "GET",
            "/dev/batches/abc",
            "",
            "dev",
            Some(json!({"sub": "u"})),
            None,
        ),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(message(&body), "`batch id` must be a 26-character ULID");
}

#[tokio::test]
async fn a_function_answers_another_functions_route_with_404() {
    let (status, body) = invoke(
        Function::Batches,
        event(
            "GET",
            "/me/reminders",
            "",
            "$default",
            Some(json!({"sub": "u"})),
            None,
        ),
    )
    .await;
    assert_eq!((status, &body["error"]["code"]), (404, &json!("NOT_FOUND")));
}
