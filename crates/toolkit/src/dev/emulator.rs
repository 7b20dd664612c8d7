//! Starts the local AWS emulator (moto server with the repository's CloudFormation models,
//! `python -m bubble_moto`, see `emulator/README.md`) on 127.0.0.1 and stops it again.
//! Used by `dev` and by the tests' harness; needs no AWS SDK.
//!
//! The python is the tools venv's (`$BB_TOOLS_BIN/python`, from `scripts/setup-tools.sh`),
//! else `python3` on `PATH`; `PYTHONPATH` is the repository's `emulator/` folder.
use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Credentials, region and endpoint for anything that talks to the emulator (it accepts
/// any credentials; fixed ones keep the developer's AWS profile out of it).
pub fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

/// A running emulator; dropping it stops the process.
pub struct Emulator {
    child: Child,
    port: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot start {python} -m bubble_moto: {source}")]
    Spawn {
        python: String,
        source: std::io::Error,
    },
    #[error(
        "`{python} -m bubble_moto` (PYTHONPATH={emulator}) exited with {status}: is moto \
         installed in that python? Run `export BB_TOOLS_BIN=$(scripts/setup-tools.sh)`"
    )]
    Exited {
        python: String,
        emulator: String,
        status: std::process::ExitStatus,
    },
    #[error("bubble_moto (moto server) did not answer within {0} s")]
    Timeout(u64),
    #[error("configuring the emulator: {0}")]
    Configure(String),
}

impl Emulator {
    /// Starts a fresh emulator on a free 127.0.0.1 port with `env` added to its
    /// environment, waits until it answers, and turns off Docker for Lambda.
    pub fn start(emulator_dir: &Path, env: &[(&str, OsString)]) -> Result<Emulator, StartError> {
        let python = python();
        let port = free_port();
        let mut command = Command::new(&python);
        command
            .args([
                "-m",
                "bubble_moto",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .env("PYTHONPATH", emulator_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command.spawn().map_err(|source| StartError::Spawn {
            python: python.display().to_string(),
            source,
        })?;
        let mut emulator = Emulator { child, port };
        const WAIT_S: u64 = 30;
        let deadline = Instant::now() + Duration::from_secs(WAIT_S);
        while emulator.call("GET", "/moto-api/", "").is_err() {
            if let Ok(Some(status)) = emulator.child.try_wait() {
                return Err(StartError::Exited {
                    python: python.display().to_string(),
                    emulator: emulator_dir.display().to_string(),
                    status,
                });
            }
            if Instant::now() >= deadline {
                return Err(StartError::Timeout(WAIT_S));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // Lambda invoke without Docker; must be set before any function exists.
        emulator
            .call(
                "POST",
                "/moto-api/config",
                r#"{"lambda":{"use_docker":false}}"#,
            )
            .map_err(StartError::Configure)?;
        Ok(emulator)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The emulator's process id (tests check that it is gone after a stop).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// One call to the emulator's control API (`/moto-api/...`); the body of the answer.
    pub fn call(&self, method: &str, path: &str, body: &str) -> Result<String, String> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let response = match method {
            "GET" => ureq::get(&url).call(),
            _ => ureq::post(&url)
                .header("Content-Type", "application/json")
                .send(body),
        };
        response
            .and_then(|mut r| r.body_mut().read_to_string())
            .map_err(|e| format!("{method} {path}: {e}"))
    }

    /// Stops the process and waits for it (also done on drop).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The python that has moto: the tools venv's, else `python3` on `PATH`.
pub fn python() -> PathBuf {
    std::env::var_os("BB_TOOLS_BIN")
        .map(|dir| PathBuf::from(dir).join("python"))
        .filter(|venv| venv.exists())
        .or_else(|| tool("python3"))
        .unwrap_or_else(|| "python3".into())
}

/// A tool installed by `scripts/setup-tools.sh` (`$BB_TOOLS_BIN`), else on `PATH`.
pub fn tool(name: &str) -> Option<PathBuf> {
    let venv = std::env::var_os("BB_TOOLS_BIN").map(PathBuf::from);
    let path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    venv.into_iter()
        .chain(path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.exists())
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}
