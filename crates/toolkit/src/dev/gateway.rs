//! The HTTP API on 127.0.0.1 as API Gateway v2 serves it from the deployed routes: the
//! route is chosen by method and path (exact segments over `{param}`, `{proxy+}` greedy,
//! `ANY`, then `$default`), its JWT authorizer checks the token, and the integration's
//! function gets a payload 2.0 event; its answer becomes the HTTP response (payload 2.0
//! response rules: `statusCode`/`headers`/`cookies`/`body`/`isBase64Encoded`, or any other
//! JSON as a 200 `application/json` body).
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::deployed::Route;
use super::jwt::{Refusal, Verified, Verifier};
use super::runtime::{FunctionHost, Outcome};

/// API Gateway's limit on a request payload (10 MB).
const MAX_BODY: usize = 10 * 1024 * 1024;

pub struct Gateway {
    pub api_id: String,
    pub routes: Vec<Route>,
    /// By issuer.
    pub verifiers: BTreeMap<String, Verifier>,
    /// By function name.
    pub functions: BTreeMap<String, Arc<FunctionHost>>,
    pub requests: AtomicU64,
}

pub fn router(gateway: Arc<Gateway>) -> axum::Router {
    axum::Router::new().fallback(serve).with_state(gateway)
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, axum::Json(json!({ "message": text }))).into_response()
}

async fn serve(State(gw): State<Arc<Gateway>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some((route, path_parameters)) = select(&gw.routes, &parts.method, parts.uri.path()) else {
        return message(StatusCode::NOT_FOUND, "Not Found");
    };
    let verified = match &route.authorizer {
        None => None,
        Some(authorizer) => {
            let Some(verifier) = gw.verifiers.get(&authorizer.issuer) else {
                return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
            };
            let token =
                verifier.token(|name| parts.headers.get(name).and_then(|v| v.to_str().ok()));
            match verifier.verify(token, &route.scopes) {
                Ok(v) => Some(v),
                Err(Refusal::Unauthorized(why)) => {
                    eprintln!("dev: {} {}: 401 ({why})", parts.method, parts.uri.path());
                    return message(StatusCode::UNAUTHORIZED, "Unauthorized");
                }
                Err(Refusal::Forbidden(why)) => {
                    eprintln!("dev: {} {}: 403 ({why})", parts.method, parts.uri.path());
                    return message(StatusCode::FORBIDDEN, "Forbidden");
                }
            }
        }
    };
    let Some(function) = gw.functions.get(&route.function) else {
        return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
    };
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return message(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large"),
    };
    let n = gw.requests.fetch_add(1, Ordering::Relaxed);
    let event = event(
        &gw.api_id,
        route,
        &parts,
        path_parameters,
        verified,
        &body,
        n,
    );
    match function.invoke(Bytes::from(event.to_string())).await {
        Ok(Outcome::Response(answer)) => response(&answer),
        Ok(Outcome::Error(error)) => {
            eprintln!(
                "dev: {} failed: {}",
                route.function,
                String::from_utf8_lossy(&error)
            );
            message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
        }
        Err(e) => {
            eprintln!("dev: {e}");
            message(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
        }
    }
}

/// The route for a request, with its path parameters.
pub fn select<'r>(
    routes: &'r [Route],
    method: &Method,
    path: &str,
) -> Option<(&'r Route, BTreeMap<String, String>)> {
    let mut best: Option<(Specificity, &Route, BTreeMap<String, String>)> = None;
    for route in routes {
        let Some((m, pattern)) = route.key.split_once(' ') else {
            continue;
        };
        if m != "ANY" && m != method.as_str() {
            continue;
        }
        let Some((specificity, params)) = match_path(pattern, path) else {
            continue;
        };
        let specificity = (specificity, m != "ANY");
        if best.as_ref().is_none_or(|(s, _, _)| specificity > *s) {
            best = Some((specificity, route, params));
        }
    }
    best.map(|(_, r, p)| (r, p)).or_else(|| {
        routes
            .iter()
            .find(|r| r.key == "$default")
            .map(|r| (r, BTreeMap::new()))
    })
}

/// How closely a path pattern matches: literal segments, then parameters, then "not
/// greedy" (API Gateway picks the most specific route).
type PathMatch = (usize, usize, bool);
/// A path match, then "not `ANY`".
type Specificity = (PathMatch, bool);

fn match_path(pattern: &str, path: &str) -> Option<(PathMatch, BTreeMap<String, String>)> {
    let pattern: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut params = BTreeMap::new();
    let (mut literal, mut variable) = (0, 0);
    for (i, p) in pattern.iter().enumerate() {
        if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix("+}")) {
            let rest = segments.get(i..)?.join("/");
            if rest.is_empty() {
                return None;
            }
            params.insert(name.to_string(), rest);
            return Some(((literal, variable, false), params));
        }
        let segment = segments.get(i)?;
        if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if segment.is_empty() {
                return None;
            }
            params.insert(name.to_string(), percent_decode(segment));
            variable += 1;
        } else if p == segment {
            literal += 1;
        } else {
            return None;
        }
    }
    (segments.len() == pattern.len()).then_some(((literal, variable, true), params))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The API Gateway v2 payload 2.0 event.
fn event(
    api_id: &str,
    route: &Route,
    parts: &axum::http::request::Parts,
    path_parameters: BTreeMap<String, String>,
    verified: Option<Verified>,
    body: &Bytes,
    n: u64,
) -> Value {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut cookies = Vec::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == "cookie" {
            cookies.extend(value.split(';').map(|c| c.trim().to_string()));
            continue;
        }
        headers
            .entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push(',');
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let mut query: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in form_pairs(&raw_query) {
        query
            .entry(k)
            .and_modify(|old| {
                old.push(',');
                old.push_str(&v);
            })
            .or_insert(v);
    }
    let now = time::OffsetDateTime::now_utc();
    let time_text = now
        .format(time::macros::format_description!(
            "[day]/[month repr:short]/[year]:[hour]:[minute]:[second] +0000"
        ))
        .unwrap_or_default();
    let mut context = json!({
        "accountId": "123456789012",
        "apiId": api_id,
        "domainName": headers.get("host").cloned().unwrap_or_default(),
        "domainPrefix": api_id,
        "http": {
            "method": parts.method.as_str(),
            "path": parts.uri.path(),
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": headers.get("user-agent").cloned().unwrap_or_default(),
        },
        "requestId": format!("dev{n:010}"),
        "routeKey": route.key,
        "stage": "$default",
        "time": time_text,
        "timeEpoch": (now.unix_timestamp_nanos() / 1_000_000) as i64,
    });
    if let Some(v) = verified {
        context["authorizer"] = json!({ "jwt": { "claims": v.claims, "scopes": v.scopes } });
    }
    let text = std::str::from_utf8(body).ok();
    let mut event = json!({
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": parts.uri.path(),
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": text.is_none(),
    });
    let object = event.as_object_mut().expect("an object");
    if !cookies.is_empty() {
        object.insert("cookies".into(), json!(cookies));
    }
    if !query.is_empty() {
        object.insert("queryStringParameters".into(), json!(query));
    }
    if !path_parameters.is_empty() {
        object.insert("pathParameters".into(), json!(path_parameters));
    }
    if !body.is_empty() {
        let body = match text {
            Some(t) => t.to_string(),
            None => base64::engine::general_purpose::STANDARD.encode(body),
        };
        object.insert("body".into(), Value::String(body));
    }
    event
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k), decode(v))
        })
        .collect()
}

/// The HTTP response for a payload 2.0 answer.
pub fn response(answer: &[u8]) -> Response {
    let Ok(value) = serde_json::from_slice::<Value>(answer) else {
        return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
    };
    let Some(object) = value.as_object().filter(|o| o.contains_key("statusCode")) else {
        // Any other JSON: API Gateway's 200 with the answer as body.
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            value.to_string(),
        )
            .into_response();
    };
    let status = object
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = match object.get("body") {
        Some(Value::String(s)) if is_base64(object) => {
            match base64::engine::general_purpose::STANDARD.decode(s) {
                Ok(bytes) => bytes,
                Err(_) => {
                    return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
                }
            }
        }
        Some(Value::String(s)) => s.clone().into_bytes(),
        _ => Vec::new(),
    };
    let mut headers = HeaderMap::new();
    add_headers(&mut headers, object.get("headers"));
    if let Some(multi) = object.get("multiValueHeaders").and_then(Value::as_object) {
        for (name, values) in multi {
            for v in values.as_array().into_iter().flatten() {
                append(&mut headers, name, v);
            }
        }
    }
    for cookie in object
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        append(&mut headers, "set-cookie", cookie);
    }
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

fn is_base64(object: &Map<String, Value>) -> bool {
    object
        .get("isBase64Encoded")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn add_headers(headers: &mut HeaderMap, given: Option<&Value>) {
    for (name, v) in given.and_then(Value::as_object).into_iter().flatten() {
        append(headers, name, v);
    }
}

fn append(headers: &mut HeaderMap, name: &str, value: &Value) {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let (Ok(n), Ok(v)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&text),
    ) {
        headers.append(n, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(key: &str) -> Route {
        Route {
            key: key.into(),
            function: key.into(),
            payload_version: "2.0".into(),
            authorizer: None,
            scopes: vec![],
        }
    }

    #[test]
    fn the_most_specific_route_wins() {
        let routes = [
            route("GET /batches/{batchId}"),
            route("GET /batches/export"),
            route("ANY /{proxy+}"),
            route("POST /batches"),
        ];
        let pick =
            |m: Method, p: &str| select(&routes, &m, p).map(|(r, params)| (r.key.clone(), params));
        let (key, params) = pick(Method::GET, "/batches/b%201").unwrap();
        assert_eq!(key, "GET /batches/{batchId}");
        assert_eq!(params["batchId"], "b 1");
        assert_eq!(
            pick(Method::GET, "/batches/export").unwrap().0,
            "GET /batches/export"
        );
        assert_eq!(pick(Method::GET, "/batches").unwrap().0, "ANY /{proxy+}");
        assert_eq!(pick(Method::POST, "/batches").unwrap().0, "POST /batches");
        let only = [route("GET /batches")];
        assert!(select(&only, &Method::DELETE, "/batches").is_none());
        assert!(select(&only, &Method::GET, "/batches/x").is_none());
    }

    #[test]
    fn payload_2_answers_become_http_responses() {
        let r = response(br#"{"statusCode":201,"headers":{"content-type":"application/json"},"body":"{\"a\":1}"}"#);
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.headers()["content-type"], "application/json");
        let r = response(br#"{"hello":"world"}"#);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            response(b"not json").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn query_strings_are_decoded_and_joined() {
        assert_eq!(
            form_pairs("a=1&b=x+y&a=%2F"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("a".into(), "/".into())
            ]
        );
    }
}
