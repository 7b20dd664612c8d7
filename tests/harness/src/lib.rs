//! Starts the local AWS emulator on a free 127.0.0.1 port for the life of a test.
//!
//! The launcher is the toolkit's (`toolkit::dev::emulator`, also used by `dev`): moto's
//! server with this repo's extra CloudFormation models (`emulator/bubble_moto`, see
//! `emulator/README.md`), run by the venv's python in `$BB_TOOLS_BIN` (set by
//! `scripts/test.sh`), else `python3` on `PATH`. A missing emulator is a test failure with
//! a message saying how to install it, never a silent skip.
use std::path::PathBuf;

pub use toolkit::dev::emulator::free_port;
use toolkit::dev::emulator::{self, Emulator};

pub struct Moto {
    emulator: Emulator,
}

impl Moto {
    /// Starts a fresh emulator (no state shared with other tests) and waits until it answers.
    pub fn start() -> Moto {
        match Emulator::start(&emulator_dir(), &[]) {
            Ok(emulator) => Moto { emulator },
            Err(e) => panic!("{e} (or run `scripts/test.sh`)"),
        }
    }

    pub fn port(&self) -> u16 {
        self.emulator.port()
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        self.emulator.endpoint()
    }

    /// Environment for a child process (or an SDK config) that talks to this emulator.
    pub fn aws_env(&self) -> Vec<(&'static str, String)> {
        emulator::aws_env(&self.endpoint())
    }
}

/// `<repo>/emulator`, the folder holding the `bubble_moto` package.
pub fn emulator_dir() -> PathBuf {
    // This crate lives in <repo>/tests/harness.
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../emulator"))
}

/// Finds a tool installed by `scripts/setup-tools.sh`.
pub fn tool(name: &str) -> PathBuf {
    emulator::tool(name).unwrap_or_else(|| {
        panic!(
            "{name} not found: run `scripts/test.sh` (it installs the tools), or \
             `export BB_TOOLS_BIN=$(scripts/setup-tools.sh)`"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_moto_with_the_extra_cloudformation_models() {
        let moto = Moto::start();
        let config = moto.emulator.call("GET", "/moto-api/config", "").unwrap();
        assert!(config.contains(r#""use_docker": false"#), "{config}");
        assert!(emulator_dir().join("bubble_moto/__main__.py").exists());
    }
}
