//! `dev` sends nothing off this machine: a deployed environment variable holding an
//! http(s) URL of another host (e.g. a push service) is pointed at this sink instead,
//! which appends each request to `<dir>/<VARIABLE>.log` and answers 503, so the function
//! sees a service that did not take the message (and retries as it would in AWS).
//! A stand-in service on this machine can take the place of the sink for a variable
//! (`TOOLKIT_DEV_STAND_INS`), e.g. a fake push service a test runs and asserts on.
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;

/// Replaces remote URLs in `env` by `http://<sink>/<VARIABLE>`; returns what it replaced.
pub fn redirect(env: &mut BTreeMap<String, String>, sink: &str) -> Vec<(String, String)> {
    let mut replaced = Vec::new();
    for (name, value) in env.iter_mut() {
        let is_url = value.starts_with("http://") || value.starts_with("https://");
        if is_url && !super::is_loopback_url(value) {
            replaced.push((name.clone(), value.clone()));
            *value = format!("http://{sink}/{name}");
        }
    }
    replaced
}

/// `VARIABLE=http://127.0.0.1:PORT/path,...`: each variable goes to that local stand-in.
pub const STAND_INS_ENV: &str = "TOOLKIT_DEV_STAND_INS";

/// Reads [`STAND_INS_ENV`]'s value; only loopback URLs are accepted (dev sends nothing
/// off this machine), anything malformed is an error naming the entry.
pub fn stand_ins(spec: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let mut found = BTreeMap::new();
    for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((name, url)) = entry.split_once('=') else {
            anyhow::bail!("{STAND_INS_ENV}: expected VARIABLE=URL, got {entry:?}");
        };
        let (name, url) = (name.trim(), url.trim());
        if name.is_empty() || !super::is_loopback_url(url) {
            anyhow::bail!(
                "{STAND_INS_ENV}: {entry:?}: a stand-in must be a variable name and an \
                 http URL on this machine (127.0.0.1)"
            );
        }
        found.insert(name.to_string(), url.to_string());
    }
    Ok(found)
}

/// Serves the sink on a free 127.0.0.1 port; returns `127.0.0.1:PORT`.
pub async fn serve(dir: PathBuf) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?.to_string();
    let router = axum::Router::new()
        .route("/{variable}", axum::routing::any(record))
        .with_state(Arc::new(dir));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(address)
}

async fn record(
    State(dir): State<Arc<PathBuf>>,
    Path(variable): Path<String>,
    method: Method,
    body: Bytes,
) -> impl IntoResponse {
    let name: String = variable
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let written = std::fs::create_dir_all(dir.as_path()).and_then(|_| {
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(format!("{name}.log")))?;
        writeln!(log, "{method} {}", String::from_utf8_lossy(&body))
    });
    eprintln!(
        "dev: not sent off this machine: {method} to {name} ({} bytes){}",
        body.len(),
        written.map_or_else(|e| format!(", not recorded: {e}"), |_| String::new())
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        axum::Json(serde_json::json!({"message": "dev does not send traffic off this machine"})),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_remote_urls_are_redirected() {
        let mut env: BTreeMap<String, String> = [
            ("EXPO_PUSH_URL", "https://exp.host/--/api/v2/push/send"),
            ("LOCAL", "http://127.0.0.1:9/x"),
            ("TABLE_NAME", "t"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let replaced = redirect(&mut env, "127.0.0.1:7");
        assert_eq!(
            replaced,
            vec![(
                "EXPO_PUSH_URL".to_string(),
                "https://exp.host/--/api/v2/push/send".to_string()
            )]
        );
        assert_eq!(env["EXPO_PUSH_URL"], "http://127.0.0.1:7/EXPO_PUSH_URL");
        assert_eq!(env["LOCAL"], "http://127.0.0.1:9/x");
        assert_eq!(env["TABLE_NAME"], "t");
    }

    #[test]
    fn stand_ins_are_local_urls_per_variable() {
        let found = stand_ins(" EXPO_PUSH_URL=http://127.0.0.1:9/push ,").unwrap();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            [(
                "EXPO_PUSH_URL".to_string(),
                "http://127.0.0.1:9/push".to_string()
            )]
        );
        for bad in [
            "EXPO_PUSH_URL",
            "=http://127.0.0.1:9",
            "X=https://exp.host/push",
        ] {
            let err = stand_ins(bad).unwrap_err().to_string();
            assert!(err.starts_with("TOOLKIT_DEV_STAND_INS: "), "{bad}: {err}");
        }
    }
}
