//! Shared test setup: one moto server per test binary (shared by overlapping tests,
//! stopped when the last user drops it), a fresh table and bucket per test.
#![allow(dead_code)]
use std::sync::{Arc, Mutex, Weak};

use app::config::{emulator_clients, Clients};
use app::photos::Photos;
use app::request::ApiRequest;
use app::store::Store;
use app::App;
use harness::Moto;
use serde_json::Value;

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
    pub raw: app::response::ApiResponse,
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

/// Builds a request from `path?query` like a client would.
pub fn request(method: &str, target: &str) -> ApiRequest {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut r = ApiRequest::new(method, path);
    r.query = app::request::parse_query(query);
    r
}

pub async fn call(app: &App, req: ApiRequest) -> Resp {
    let raw = app::app::handle(app, None, req).await;
    Resp {
        status: raw.status,
        json: raw.json_body(),
        raw,
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
