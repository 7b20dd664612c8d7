//! API Gateway HTTP API (payload 2.0) events through the Lambda adapter: the caller comes
//! from the JWT authorizer claims, stage prefixes and query strings are handled.
use app::lambda::{to_api_request, to_lambda_response};
use app::response::ApiResponse;
use serde_json::json;

fn event(
    raw_path: &str,
    query: &str,
    stage: &str,
    claims: Option<serde_json::Value>,
) -> lambda_http::Request {
    let mut ctx = json!({
        "accountId": "123456789012", "apiId": "api", "domainName": "x.execute-api.us-east-1.amazonaws.com",
        "domainPrefix": "x", "requestId": "r", "routeKey": "GET /batches", "stage": stage,
        "time": "01/Jan/2025:00:00:00 +0000", "timeEpoch": 1735689600000i64,
        "http": {"method": "POST", "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"}
    });
    if let Some(c) = claims {
        ctx["authorizer"] = json!({"jwt": {"claims": c, "scopes": null}});
    }
    let ev = json!({
        "version": "2.0", "routeKey": "GET /batches", "rawPath": raw_path, "rawQueryString": query,
        "headers": {"content-type": "application/json", "host": "x.execute-api.us-east-1.amazonaws.com"},
        "requestContext": ctx,
        "body": "eyJuYW1lIjoiYSJ9", "isBase64Encoded": true
    });
    lambda_http::request::from_str(&ev.to_string()).expect("valid payload 2.0 event")
}

#[test]
fn caller_comes_from_jwt_authorizer_claims() {
    let claims = json!({"sub": "11111111-2222-3333-4444-555555555555", "client_id": "c", "token_use": "access"});
    let req = to_api_request(&event(
        "/batches",
        "limit=5&cursor=a%2Bb",
        "$default",
        Some(claims),
    ));
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/batches");
    assert_eq!(
        req.caller.unwrap().sub,
        "11111111-2222-3333-4444-555555555555"
    );
    assert_eq!(
        req.query,
        vec![
            ("limit".into(), "5".into()),
            ("cursor".into(), "a+b".into())
        ]
    );
    assert_eq!(req.body, br#"{"name":"a"}"#);
}

#[test]
fn no_authorizer_means_no_caller() {
    let req = to_api_request(&event("/public/b/x", "", "$default", None));
    assert!(req.caller.is_none());
    let req = to_api_request(&event(
        "/batches",
        "",
        "$default",
        Some(json!({"scope": "x"})),
    ));
    assert!(req.caller.is_none(), "claims without sub are not a caller");
}

#[test]
fn named_stage_prefix_is_removed() {
    let req = to_api_request(&event(
        "/dev/batches/abc",
        "",
        "dev",
        Some(json!({"sub": "u"})),
    ));
    assert_eq!(req.path, "/batches/abc");
}

#[test]
fn responses_keep_status_headers_and_body() {
    let r =
        to_lambda_response(ApiResponse::created(json!({"a": 1})).with_header("x-next-cursor", "c"));
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["x-next-cursor"], "c");
    match r.body() {
        lambda_http::Body::Text(t) => assert_eq!(
            serde_json::from_str::<serde_json::Value>(t).unwrap(),
            json!({"success": true, "data": {"a": 1}})
        ),
        other => panic!("{other:?}"),
    }
}
