//! The emulator's request log, read as it grows and checked.
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::checker::Checker;
use super::Principal;
use crate::dev::request_log::Tail;
use crate::engine::verify_permissions::read_role;

/// What a function was invoked for at a moment; `None` when it was not running.
pub trait Triggers: Sync {
    fn trigger_at(&self, function: &str, time_ms: u64) -> Option<String>;
}

/// The log being read and the checks made from it.
pub struct Watch {
    tail: Tail,
    pub checker: Checker,
    report: PathBuf,
    /// Whether this run wrote the report yet (an older run's must not stand).
    written: bool,
    /// The emulator's IAM: each role is read again before its new calls are decided, so
    /// a policy changed while `dev` runs applies to the calls after the change, as in AWS.
    iam: aws_sdk_iam::Client,
}

impl Watch {
    pub fn new(
        log: PathBuf,
        report: PathBuf,
        principals: Vec<Principal>,
        iam: aws_sdk_iam::Client,
    ) -> Watch {
        Watch {
            tail: Tail::new(log),
            checker: Checker::new(principals),
            report,
            written: false,
            iam,
        }
    }

    /// Reads new requests, checks them, rewrites the report when something was seen;
    /// returns the lines of newly denied calls.
    pub async fn poll(&mut self, triggers: &dyn Triggers) -> Result<Vec<String>> {
        let requests = self.tail.read_new()?;
        let roles = self
            .checker
            .roles_of(requests.iter().map(|r| r.access_key.as_str()));
        for (function, arn) in roles {
            let role = read_role(&self.iam, &arn)
                .await
                .with_context(|| format!("reading {function}'s role {arn}"))?;
            self.checker.update_role(&function, role);
        }
        let mut denied = Vec::new();
        for r in &requests {
            let trigger = match self.checker.function_of(&r.access_key) {
                Some(f) => triggers.trigger_at(f, r.time_ms).unwrap_or_else(|| {
                    if r.presigned {
                        "presigned URL used by a client".to_string()
                    } else {
                        "outside any invocation".to_string()
                    }
                }),
                None => String::new(),
            };
            denied.extend(self.checker.observe(r, &trigger)?);
        }
        if !requests.is_empty() || !self.written {
            self.checker.write(&self.report)?;
            self.written = true;
        }
        Ok(denied)
    }
}
