//! Shared test setup: one moto server per test binary (shared by overlapping tests,
//! stopped when the last user drops it), a fresh table and bucket per test.
#![allow(dead_code)]
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use app::config::{emulator_clients, Clients};
use app::contract::{Function, ROUTES};
use app::http::authorizer::api_gateway_context;
use app::http::{normalize_path, router, Authorizer};
use app::photos::Photos;
use app::store::Store;
use app::App;
use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request};
use harness::Moto;
use serde_json::Value;
use tower::ServiceExt;

pub fn moto() -> Arc<Moto> {
    static SHARED: Mutex<Weak<Moto>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = slot.upgrade() {
        return m;
    }
    let m = Arc::new(Moto::start());
    *slot = Arc::downgrade(&m);
    m
}

pub struct TestEnv {
    pub moto: Arc<Moto>,
    pub clients: Clients,
    pub app: App,
    pub table: String,
    pub bucket: String,
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", app::model::new_id().to_ascii_lowercase())
}

pub async fn env() -> TestEnv {
    let moto = moto();
    let clients = emulator_clients(&moto.endpoint()).await;
    let table = unique("table");
    let bucket = unique("photos");
    app::devsetup::ensure_table(&clients, &table).await.unwrap();
    app::devsetup::ensure_bucket(&clients, &bucket)
        .await
        .unwrap();
    let app = App {
        store: Store::new(clients.ddb.clone(), &table),
        photos: Photos::new(clients.s3.clone(), &bucket),
        signin: None,
        clock: app::app::system_clock(),
    };
    TestEnv {
        moto,
        clients,
        app,
        table,
        bucket,
    }
}

/// A random Cognito-like sub.
pub fn user() -> String {
    unique("user")
}

pub struct Resp {
    pub status: u16,
    pub json: Value,
    pub raw: Raw,
}

/// The response as a client receives it.
pub struct Raw {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Resp {
    pub fn data(&self) -> &Value {
        assert_eq!(self.json["success"], true, "not a success: {}", self.json);
        &self.json["data"]
    }

    pub fn error_code(&self) -> &str {
        assert_eq!(self.json["success"], false, "not an error: {}", self.json);
        assert_eq!(self.json["error"]["statusCode"], self.status);
        self.json["error"]["code"].as_str().unwrap()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.raw.body.clone()).unwrap()
    }
}

/// A request as API Gateway hands it to a function: `target` is `path?query`; with a
/// caller, the JWT authorizer's claims are in the request context.
pub struct ApiRequest {
    pub method: String,
    pub target: String,
    pub body: Vec<u8>,
    pub sub: Option<String>,
}

/// Builds a request from `path?query` like a client would.
pub fn request(method: &str, target: &str) -> ApiRequest {
    ApiRequest {
        method: method.to_string(),
        target: target.to_string(),
        body: Vec::new(),
        sub: None,
    }
}

impl ApiRequest {
    pub fn with_json(mut self, body: &Value) -> ApiRequest {
        self.body = serde_json::to_vec(body).unwrap();
        self
    }

    pub fn with_caller(mut self, sub: &str) -> ApiRequest {
        self.sub = Some(sub.to_string());
        self
    }

    fn into_http(self) -> Request<Body> {
        let mut req = Request::builder()
            .method(self.method.as_str())
            .uri(&self.target)
            .header("content-type", "application/json")
            .body(Body::from(self.body))
            .unwrap();
        if let Some(sub) = self.sub {
            let claims = HashMap::from([("sub".to_string(), sub)]);
            req.extensions_mut().insert(api_gateway_context(claims));
        }
        req
    }
}

/// Through the router of every route (the local server's), behind API Gateway.
pub async fn call(app: &App, req: ApiRequest) -> Resp {
    send(router(app.clone(), ROUTES, Authorizer::ApiGateway), req).await
}

/// Through one function's router, as its Lambda serves it.
pub async fn call_function(app: &App, function: Function, req: ApiRequest) -> Resp {
    send(
        router(app.clone(), function.routes(), Authorizer::ApiGateway),
        req,
    )
    .await
}

async fn send(router: axum::Router, req: ApiRequest) -> Resp {
    let resp = router
        .map_request(normalize_path as fn(Request<Body>) -> Request<Body>)
        .oneshot(req.into_http())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        json: serde_json::from_slice(&body).unwrap_or(Value::Null),
        raw: Raw { headers, body },
    }
}

pub async fn post(app: &App, sub: &str, path: &str, body: Value) -> Resp {
    call(app, request("POST", path).with_caller(sub).with_json(&body)).await
}

pub async fn get(app: &App, sub: &str, path: &str) -> Resp {
    call(app, request("GET", path).with_caller(sub)).await
}

pub async fn new_batch(app: &App, sub: &str, name: &str, public: bool) -> String {
    let r = post(
        app,
        sub,
        "/batches",
        serde_json::json!({"name": name, "type": "milk", "isPublic": public, "notes": "secret notes"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.data()["id"].as_str().unwrap().to_string()
}
