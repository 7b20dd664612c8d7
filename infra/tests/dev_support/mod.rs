//! Shared by the tests that drive `infra dev` as a black box: the process (started on a
//! port, output captured, interrupted on drop), HTTP calls against its API and sign-in
//! through the emulator's mail sink.
#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Dev {
    pub child: Child,
    output: Arc<Mutex<String>>,
}

impl Dev {
    /// `infra-engine dev --stage dev --port <port>` with `env` added (e.g. the
    /// `AWS_ENDPOINT_URL` of an emulator the test started).
    pub fn start(port: u16, env: &[(&str, String)]) -> Dev {
        let mut command = Command::new(env!("CARGO_BIN_EXE_infra-engine"));
        command
            .args(["dev", "--stage", "dev", "--port", &port.to_string()])
            .env_remove("AWS_ENDPOINT_URL")
            // The suite's own feature selection: the function binaries are already built.
            .env("TOOLKIT_DEV_BUILD_FLAGS", "--workspace --all-features");
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start infra-engine dev");
        let output = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [
            Box::new(out) as Box<dyn std::io::Read + Send>,
            Box::new(err),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut o = output.lock().unwrap();
                    o.push_str(&line);
                    o.push('\n');
                }
            });
        }
        Dev { child, output }
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits for "ready in"; panics with the output if dev exits or takes too long.
    pub fn wait_ready(&mut self, limit: Duration) -> Duration {
        self.wait_for("ready in", limit)
    }

    /// Waits until the output contains `text` (which may be printed after ready).
    pub fn wait_for(&mut self, text: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.output().contains(text) {
                return started.elapsed();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "dev exited with {status} before printing {text:?}:\n{}",
                    self.output()
                );
            }
            assert!(
                started.elapsed() < limit,
                "dev did not print {text:?} within {limit:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// SIGINT, then waits (at most 60 s) for the exit and for the last lines of output.
    pub fn interrupt_and_wait(&mut self) -> std::process::ExitStatus {
        interrupt(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "dev did not stop:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        std::thread::sleep(Duration::from_millis(200)); // the readers' last lines
        status
    }

    /// SIGINT, then waits for a successful exit.
    pub fn stop(&mut self) {
        let status = self.interrupt_and_wait();
        assert!(
            status.success(),
            "dev exited with {status}:\n{}",
            self.output()
        );
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        // Only when an assertion failed before the orderly stop.
        if self.child.try_wait().ok().flatten().is_none() {
            interrupt(self.child.id());
            let _ = self.child.wait();
        }
    }
}

fn interrupt(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// One answer: status, headers we look at, body text.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.status, self.text))
    }
}

pub struct Api {
    pub base: String,
}

impl Api {
    pub fn on_port(port: u16) -> Api {
        Api {
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Any method; `body` is sent as JSON. Never fails on an HTTP status.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let url = format!("{}{path}", self.base);
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(t) = token {
            request = request.header("authorization", format!("Bearer {t}"));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let response = match body {
            Some(b) => agent.run(
                request
                    .header("content-type", "application/json")
                    .body(b.to_string())
                    .unwrap(),
            ),
            None => agent.run(request.body(()).unwrap()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Answer {
            status: response.status().as_u16(),
            content_type,
            text: response.body_mut().read_to_string().unwrap(),
        }
    }

    /// `send` for JSON answers: (status, body).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let answer = self.send(method, path, token, body);
        (answer.status, answer.json())
    }

    /// Sign-in as API clients do it: the code arrives in `mail_dir/<email>`. Checks that a
    /// wrong code is refused and that the session is single use; returns the access token.
    pub fn sign_in(&self, mail_dir: &Path, email: &str) -> String {
        let mail = mail_dir.join(email);
        let _ = std::fs::remove_file(&mail);
        let (status, body) = self.call("POST", "/auth/login", None, Some(json!({"email": email})));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["challenge"], "EMAIL_OTP", "{body}");
        let session = body["data"]["session"].as_str().unwrap().to_string();
        let code = std::fs::read_to_string(&mail)
            .unwrap_or_else(|e| panic!("{}: {e}", mail.display()))
            .trim()
            .to_string();
        let wrong = if code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        let verify = |code: &str| {
            self.call(
                "POST",
                "/auth/verify",
                None,
                Some(json!({"email": email, "code": code, "session": session})),
            )
        };
        let (status, body) = verify(wrong);
        assert_eq!(
            (status, &body["error"]["code"]),
            (401, &json!("UNAUTHORIZED")),
            "{body}"
        );
        let (status, body) = verify(&code);
        assert_eq!(status, 200, "{body}");
        let token = body["data"]["accessToken"].as_str().unwrap().to_string();
        assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
        // The session is single use.
        let (status, _) = verify(&code);
        assert_eq!(status, 401);
        let _ = std::fs::remove_file(&mail);
        token
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}
