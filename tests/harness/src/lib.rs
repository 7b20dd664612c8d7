//! Starts the moto AWS emulator on a free 127.0.0.1 port for the life of a test.
//!
//! The emulator is moto's server with this repo's extra CloudFormation models
//! (`emulator/bubble_moto`, see `emulator/README.md`): `python -m bubble_moto`, run by the
//! venv's python in `$BB_TOOLS_BIN` (set by `scripts/test.sh`), else `python3` on `PATH`,
//! with `PYTHONPATH=<repo>/emulator`. A missing emulator is a test failure with a message
//! saying how to install it, never a silent skip.
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts a fresh emulator (no state shared with other tests) and waits until it answers.
    pub fn start() -> Moto {
        let python = python();
        let emulator = emulator_dir();
        let port = free_port();
        let mut child = Command::new(&python)
            .args([
                "-m",
                "bubble_moto",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .env("PYTHONPATH", &emulator)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} -m bubble_moto: {e}", python.display()));
        let deadline = Instant::now() + Duration::from_secs(30);
        while http(port, "GET", "/moto-api/", "").is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "`{} -m bubble_moto` (PYTHONPATH={}) exited with {status}: is moto \
                     installed in that python? Run `scripts/test.sh`, or \
                     `export BB_TOOLS_BIN=$(scripts/setup-tools.sh)`",
                    python.display(),
                    emulator.display()
                );
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("bubble_moto (moto server) did not answer within 30 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let moto = Moto { child, port };
        // Lambda invoke without Docker; must be set before any function exists.
        http(
            port,
            "POST",
            "/moto-api/config",
            r#"{"lambda":{"use_docker":false}}"#,
        )
        .expect("configure moto lambda");
        moto
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Environment for a child process (or an SDK config) that talks to this emulator.
    pub fn aws_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `<repo>/emulator`, the folder holding the `bubble_moto` package.
pub fn emulator_dir() -> PathBuf {
    // This crate lives in <repo>/tests/harness.
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../emulator"))
}

/// The python that has moto: the tools venv's, else `python3` on `PATH`.
fn python() -> PathBuf {
    if let Some(dir) = std::env::var_os("BB_TOOLS_BIN") {
        let candidate = PathBuf::from(dir).join("python");
        if candidate.exists() {
            return candidate;
        }
    }
    tool("python3")
}

/// Finds a tool installed by `scripts/setup-tools.sh`.
pub fn tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("BB_TOOLS_BIN") {
        let candidate = PathBuf::from(dir).join(name);
        if candidate.exists() {
            return candidate;
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.exists() {
                return candidate;
            }
        }
    }
    panic!(
        "{name} not found: run `scripts/test.sh` (it installs the tools), or \
         `export BB_TOOLS_BIN=$(scripts/setup-tools.sh)`"
    );
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// One call to the emulator's control API (`/moto-api/...`).
fn http(port: u16, method: &str, path: &str, body: &str) -> Result<String, ureq::Error> {
    let url = format!("http://127.0.0.1:{port}{path}");
    let mut response = match method {
        "GET" => ureq::get(&url).call()?,
        _ => ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(body)?,
    };
    response.body_mut().read_to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_moto_with_the_extra_cloudformation_models() {
        let moto = Moto::start();
        let config = http(moto.port(), "GET", "/moto-api/config", "").unwrap();
        assert!(config.contains(r#""use_docker": false"#), "{config}");
        assert!(emulator_dir().join("bubble_moto/__main__.py").exists());
    }
}
