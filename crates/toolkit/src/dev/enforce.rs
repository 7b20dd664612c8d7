//! `dev`'s side of the permission checks while it serves: the periodic look at the
//! emulator's request log, and the authorizer the emulator asks before it handles a
//! function's request (`BUBBLE_MOTO_AUTHORIZER`, see `emulator/bubble_moto/request_log.py`),
//! so that a call the function's deployed role denies gets AWS's `AccessDenied`.
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use anyhow::Result;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::permissions::{Triggers, Watch};
use super::request_log::Request;
use super::runtime::FunctionHost;

/// What the authorizer needs once the functions run: their keys, the checks, the hosts.
pub struct Armed {
    /// The functions' access keys: anyone else's request is allowed without a look (the
    /// checks' own IAM reads come through here too and must not wait for the lock).
    pub keys: BTreeSet<String>,
    pub watch: Arc<tokio::sync::Mutex<Watch>>,
    pub hosts: Vec<Arc<FunctionHost>>,
}

/// Armed once the functions are started; until then every request is allowed.
pub type Arming = Arc<OnceLock<Armed>>;

/// Serves the authorizer on 127.0.0.1; its URL.
pub async fn serve_authorizer(arming: Arming) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let router = Router::new().route("/", post(authorize)).with_state(arming);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(url)
}

async fn authorize(State(arming): State<Arming>, Json(request): Json<Request>) -> Json<Value> {
    let allow = Json(json!({"allow": true}));
    let Some(armed) = arming.get() else {
        return allow;
    };
    if !armed.keys.contains(&request.access_key) {
        return allow;
    }
    // The log already holds this request: record it (roles read again), then decide.
    let mut watch = armed.watch.lock().await;
    report(watch.poll(&HostTriggers(&armed.hosts)).await);
    match watch.checker.denial(&request) {
        Ok(Some(message)) => Json(json!({"allow": false, "message": message})),
        Ok(None) => allow,
        Err(e) => {
            eprintln!("dev: permission check failed: {e:#}");
            allow
        }
    }
}

fn report(polled: Result<Vec<String>>) {
    match polled {
        Ok(lines) => lines.into_iter().for_each(|l| eprintln!("dev: {l}")),
        Err(e) => eprintln!("dev: permission check failed: {e:#}"),
    }
}

/// What each function process was invoked for, from its invocation windows.
pub struct HostTriggers<'a>(pub &'a [Arc<FunctionHost>]);

impl Triggers for HostTriggers<'_> {
    fn trigger_at(&self, function: &str, time_ms: u64) -> Option<String> {
        self.0
            .iter()
            .find(|h| h.function.name == function)
            .and_then(|h| h.trigger_at(time_ms))
    }
}

/// Reads the calls logged since the last look and prints the denied ones; returns every
/// call denied so far.
pub async fn check_permissions(
    watch: &tokio::sync::Mutex<Watch>,
    hosts: &[Arc<FunctionHost>],
) -> Vec<String> {
    let mut watch = watch.lock().await;
    report(watch.poll(&HostTriggers(hosts)).await);
    watch
        .checker
        .report()
        .denied()
        .iter()
        .map(|(f, c)| format!("{f}: {} on {}", c.action, c.resource))
        .collect()
}
