//! One deployed function as a local process: its binary runs with the deployed
//! environment and fetches its events from a Lambda Runtime API that `dev` serves on its
//! own 127.0.0.1 port (`/2018-06-01/runtime/invocation/next`, `.../{id}/response`,
//! `.../{id}/error`, `/init/error`), the way the Lambda service runs a custom runtime.
//! One process per function, so invocations of a function run one at a time.
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::deployed::Function;

/// What the function answered.
#[derive(Debug)]
pub enum Outcome {
    Response(Bytes),
    /// `/error`: the function's error document (an unhandled error in Lambda).
    Error(Bytes),
}

#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    #[error("{0} timed out after {1} s")]
    Timeout(String, u64),
    #[error("{0} is not running (exit status {1})")]
    Exited(String, String),
}

struct Invocation {
    event: Bytes,
    reply: oneshot::Sender<Outcome>,
}

struct RuntimeApi {
    arn: String,
    timeout: Duration,
    queue: Mutex<mpsc::Receiver<Invocation>>,
    pending: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    next_id: AtomicU64,
}

pub struct FunctionHost {
    pub function: Function,
    sender: mpsc::Sender<Invocation>,
    child: std::sync::Mutex<Child>,
    /// The process's whole environment, for [`FunctionHost::restart`].
    launch_env: Vec<(OsString, OsString)>,
    /// Recent invocations, so that an AWS call can be traced to what caused it.
    invocations: std::sync::Mutex<std::collections::VecDeque<Window>>,
}

/// One invocation's time span (ms since the epoch) and what triggered it.
#[derive(Debug, Clone)]
struct Window {
    started_ms: u64,
    ended_ms: Option<u64>,
    trigger: String,
}

/// Invocations remembered per function (older ones no longer explain new calls).
const REMEMBERED_INVOCATIONS: usize = 1000;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

/// What an event is: an HTTP API event's route key (`GET /batches`), else "invocation".
fn trigger_of(event: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(event)
        .ok()
        .and_then(|v| {
            v.get("routeKey")
                .and_then(|k| k.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "invocation".to_string())
}

impl FunctionHost {
    /// Serves the function's Runtime API and starts its binary. `extra_env` (emulator
    /// endpoint and credentials, rewritten URLs) is added to the deployed environment.
    pub async fn start(
        function: Function,
        executable: &Path,
        extra_env: &[(String, String)],
    ) -> Result<FunctionHost> {
        let (sender, receiver) = mpsc::channel(64);
        let api = Arc::new(RuntimeApi {
            arn: function.arn.clone(),
            timeout: Duration::from_secs(function.timeout_s),
            queue: Mutex::new(receiver),
            pending: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(fail))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(api);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let mut command = Command::new(executable);
        // The deployed environment only (plus what Lambda itself sets), not the developer's.
        command.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        for key in ["RUST_LOG", "RUST_BACKTRACE"] {
            if let Some(v) = std::env::var_os(key) {
                command.env(key, v);
            }
        }
        command
            .envs(&function.environment)
            .envs(lambda_env(&function, &address.to_string()))
            .envs(extra_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        // After env_clear, get_envs lists exactly what the process gets.
        let launch_env = command
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        let child = command
            .spawn()
            .with_context(|| format!("starting {} ({})", function.name, executable.display()))?;
        Ok(FunctionHost {
            function,
            sender,
            child: std::sync::Mutex::new(child),
            launch_env,
            invocations: Default::default(),
        })
    }

    /// Replaces the process by one of `executable` (new code) with the same environment
    /// and Runtime API; the next invocation is the new process's. One in flight is lost
    /// (its caller times out), as when Lambda replaces an execution environment.
    pub fn restart(&self, executable: &Path) -> Result<u32> {
        let mut child = self.child.lock().expect("child lock");
        let _ = child.kill();
        let _ = child.wait();
        let fresh = Command::new(executable)
            .env_clear()
            .envs(self.launch_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| {
                format!(
                    "restarting {} ({})",
                    self.function.name,
                    executable.display()
                )
            })?;
        *child = fresh;
        Ok(child.id())
    }

    pub fn pid(&self) -> u32 {
        self.child.lock().expect("child lock").id()
    }

    /// Runs one event through the function and waits for its answer.
    pub async fn invoke(&self, event: Bytes) -> Result<Outcome, InvokeError> {
        let trigger = trigger_of(&event);
        self.invoke_as(event, &trigger).await
    }

    /// [`FunctionHost::invoke`], remembering `trigger` as the cause of the AWS calls the
    /// function makes meanwhile (see [`FunctionHost::trigger_at`]).
    pub async fn invoke_as(&self, event: Bytes, trigger: &str) -> Result<Outcome, InvokeError> {
        let started_ms = now_ms();
        {
            let mut windows = self.invocations.lock().expect("invocations lock");
            if windows.len() == REMEMBERED_INVOCATIONS {
                windows.pop_front();
            }
            windows.push_back(Window {
                started_ms,
                ended_ms: None,
                trigger: trigger.to_string(),
            });
        }
        let outcome = self.run_invocation(event).await;
        let mut windows = self.invocations.lock().expect("invocations lock");
        if let Some(w) = windows
            .iter_mut()
            .rev()
            .find(|w| w.started_ms == started_ms && w.ended_ms.is_none())
        {
            w.ended_ms = Some(now_ms());
        }
        outcome
    }

    /// What the function was invoked for at `time_ms` (ms since the epoch), if it was
    /// running then. A function runs one invocation at a time, so this is unambiguous.
    pub fn trigger_at(&self, time_ms: u64) -> Option<String> {
        let windows = self.invocations.lock().expect("invocations lock");
        windows
            .iter()
            .rev()
            .find(|w| w.started_ms <= time_ms && w.ended_ms.is_none_or(|end| time_ms <= end))
            .map(|w| w.trigger.clone())
    }

    async fn run_invocation(&self, event: Bytes) -> Result<Outcome, InvokeError> {
        let name = self.function.name.clone();
        if let Some(status) = self.exit_status() {
            return Err(InvokeError::Exited(name, status));
        }
        let (reply, answer) = oneshot::channel();
        let timeout = Duration::from_secs(self.function.timeout_s);
        if self.sender.send(Invocation { event, reply }).await.is_err() {
            return Err(InvokeError::Exited(name, "runtime closed".into()));
        }
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(_)) | Err(_) => match self.exit_status() {
                Some(status) => Err(InvokeError::Exited(name, status)),
                None => Err(InvokeError::Timeout(name, self.function.timeout_s)),
            },
        }
    }

    fn exit_status(&self) -> Option<String> {
        let mut child = self.child.lock().expect("child lock");
        match child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            _ => None,
        }
    }

    /// Stops the process and waits for it.
    pub fn stop(&self) {
        let mut child = self.child.lock().expect("child lock");
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for FunctionHost {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The variables the Lambda service sets for a custom runtime.
fn lambda_env(function: &Function, runtime_api: &str) -> BTreeMap<String, String> {
    [
        ("AWS_LAMBDA_RUNTIME_API", runtime_api.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", function.name.clone()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            function.memory_mb.to_string(),
        ),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/{}", function.name),
        ),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "dev".into()),
        ("_HANDLER", "bootstrap".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

async fn next(State(api): State<Arc<RuntimeApi>>) -> Response {
    let mut queue = api.queue.lock().await;
    let Some(invocation) = queue.recv().await else {
        return StatusCode::GONE.into_response();
    };
    drop(queue);
    let n = api.next_id.fetch_add(1, Ordering::Relaxed);
    let id = format!("dev-{n:08}");
    api.pending
        .lock()
        .await
        .insert(id.clone(), invocation.reply);
    let deadline = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_add(api.timeout)
        .as_millis();
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set("lambda-runtime-aws-request-id", &id);
    set("lambda-runtime-deadline-ms", &deadline.to_string());
    set("lambda-runtime-invoked-function-arn", &api.arn);
    set(
        "lambda-runtime-trace-id",
        &format!("Root=1-00000000-{n:024x}"),
    );
    set("content-type", "application/json");
    (StatusCode::OK, headers, invocation.event).into_response()
}

async fn respond(
    State(api): State<Arc<RuntimeApi>>,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> StatusCode {
    settle(&api, &id, Outcome::Response(body)).await
}

async fn fail(
    State(api): State<Arc<RuntimeApi>>,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> StatusCode {
    settle(&api, &id, Outcome::Error(body)).await
}

async fn settle(api: &RuntimeApi, id: &str, outcome: Outcome) -> StatusCode {
    match api.pending.lock().await.remove(id) {
        Some(reply) => {
            let _ = reply.send(outcome);
            StatusCode::ACCEPTED
        }
        None => StatusCode::NOT_FOUND,
    }
}

async fn init_error(State(api): State<Arc<RuntimeApi>>, body: Bytes) -> StatusCode {
    eprintln!(
        "dev: {} failed to initialise: {}",
        api.arn,
        String::from_utf8_lossy(&body)
    );
    StatusCode::ACCEPTED
}
