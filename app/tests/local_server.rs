//! The `local` dev server as a black box: started against moto, sign-in through the dev
//! mail sink, tokens from moto's user pool validated against its JWKS, then API calls.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::{free_port, Moto};
use serde_json::{json, Value};

struct Local {
    child: Child,
    base: String,
    mail_dir: std::path::PathBuf,
}

impl Drop for Local {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.mail_dir);
    }
}

async fn start_local(moto: &Moto) -> Local {
    let port = free_port();
    let mail_dir = std::env::temp_dir().join(format!("bb-mail-{}", app::model::new_id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_local"));
    for (k, v) in moto.aws_env() {
        cmd.env(k, v);
    }
    let child = cmd
        .env("BB_LOCAL_PORT", port.to_string())
        .env("BB_LOCAL_MAIL_DIR", &mail_dir)
        .env_remove("AWS_LAMBDA_FUNCTION_NAME")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start local server");
    let local = Local {
        child,
        base: format!("http://127.0.0.1:{port}"),
        mail_dir,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{}/public/b/x", local.base))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "local server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    local
}

async fn send(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn sign_in(local: &Local, email: &str) -> String {
    let (s, r) = send(
        reqwest::Method::POST,
        format!("{}/auth/login", local.base),
        None,
        Some(json!({"email": email})),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let session = r["data"]["session"].as_str().unwrap().to_string();
    let code =
        std::fs::read_to_string(local.mail_dir.join(email)).expect("code in the dev mail sink");
    let code = code.trim();
    // A wrong code first: rejected, and the right one still works afterwards.
    let (s, _) = send(reqwest::Method::POST, format!("{}/auth/verify", local.base), None,
        Some(json!({"email": email, "code": if code == "000000" { "111111" } else { "000000" }, "session": session}))).await;
    assert_eq!(s, 401);
    let (s, r) = send(
        reqwest::Method::POST,
        format!("{}/auth/verify", local.base),
        None,
        Some(json!({"email": email, "code": code, "session": session})),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    // The session is single use.
    let (s, _) = send(
        reqwest::Method::POST,
        format!("{}/auth/verify", local.base),
        None,
        Some(json!({"email": email, "code": code, "session": session})),
    )
    .await;
    assert_eq!(s, 401);
    r["data"]["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn sign_in_offline_then_use_the_api() {
    let moto = Moto::start();
    let local = start_local(&moto).await;
    let token = sign_in(&local, "ana@example.com").await;
    let other = sign_in(&local, "bo@example.com").await;
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;

    let (s, r) = send(
        get.clone(),
        format!("{}/batches", local.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!((s, &r["data"]["items"]), (200, &json!([])));
    let (s, r) = send(
        post.clone(),
        format!("{}/batches", local.base),
        Some(&token),
        Some(json!({"name": "Milk", "type": "milk", "isPublic": true})),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let id = r["data"]["id"].as_str().unwrap().to_string();
    let (_, r) = send(
        get.clone(),
        format!("{}/batches", local.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(r["data"]["items"][0]["id"], id.as_str());
    // Another user's token sees nothing of it.
    let (s, _) = send(
        get.clone(),
        format!("{}/batches/{id}", local.base),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(s, 404);
    // The public page needs no token.
    let (s, r) = send(
        get.clone(),
        format!("{}/public/b/{id}", local.base),
        None,
        None,
    )
    .await;
    assert_eq!((s, &r["data"]["name"]), (200, &json!("Milk")));

    // The emulated authorizer rejects missing, malformed and tampered tokens.
    let (s, r) = send(get.clone(), format!("{}/batches", local.base), None, None).await;
    assert_eq!((s, &r["error"]["code"]), (401, &json!("UNAUTHORIZED")));
    let (s, _) = send(
        get.clone(),
        format!("{}/batches", local.base),
        Some("not.a.jwt"),
        None,
    )
    .await;
    assert_eq!(s, 401);
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    parts[2] = parts[2].chars().rev().collect();
    let (s, _) = send(
        get.clone(),
        format!("{}/batches", local.base),
        Some(&parts.join(".")),
        None,
    )
    .await;
    assert_eq!(s, 401);

    let (s, _) = send(
        get.clone(),
        format!("{}/nope", local.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = send(
        reqwest::Method::DELETE,
        format!("{}/batches", local.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 405);
    let resp = reqwest::Client::new()
        .get(format!("{}/export.csv", local.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(resp.text().await.unwrap().contains(&id));
}

#[test]
fn refuses_to_run_against_a_non_local_endpoint_or_inside_lambda() {
    let run = |envs: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_local"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    let out = run(&[(
        "AWS_ENDPOINT_URL",
        "https://dynamodb.us-east-1.amazonaws.com",
    )]);
    assert!(!out.status.success());
    let out = run(&[]);
    assert!(!out.status.success());
    let out = run(&[
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ("AWS_LAMBDA_FUNCTION_NAME", "auth"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Lambda"));
}
