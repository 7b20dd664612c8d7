//! Permissions proven by execution: every AWS call a function makes under `dev` is
//! checked against that function's deployed role.
//!
//! How: each function process runs with credentials of its own deployed role
//! (`sts:AssumeRole` on the emulator), so the access key of a request names the function.
//! The emulator logs every signed request (`BUBBLE_MOTO_REQUEST_LOG`, see
//! `emulator/bubble_moto/request_log.py`); [`Watch`] reads that log as it grows, turns each
//! request into an IAM action, the resource's ARN and condition keys
//! ([`super::request_log::authorization`]) and evaluates it with the role's policies read
//! back from the emulator's IAM (inline and attached, [`read_role`]) through the same
//! in-process evaluator the deploy's check uses ([`LocalEvaluator`], the crate `iam-rs`).
//!
//! A denied call prints `dev: DENIED ...` on stderr (function, action, resource, and the
//! statement that would allow it) and makes `dev` exit non-zero when it stops. When `dev`
//! started the emulator, the emulator also asks `dev` before it handles a function's
//! request (`BUBBLE_MOTO_AUTHORIZER`, served by `enforce.rs`), so the function gets the
//! `AccessDenied` error AWS would return and the call has no effect; with a developer's
//! own emulator the call goes through and only the log records it.
//!
//! The report, rewritten whenever a new call is seen and when `dev` stops, is
//! `.local/dev/<stage>/permissions.json` ([`report_path`]); read it with [`read_report`]:
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! let report = toolkit::dev::permissions::read_report(std::path::Path::new(
//!     ".local/dev/dev/permissions.json",
//! ))?;
//! assert!(report.denied().is_empty(), "{:?}", report.denied());
//! // Every granted (action, resource) is exercised by some call, or has a reason.
//! assert!(report.unexercised().is_empty(), "{:?}", report.unexercised());
//! # Ok(()) }
//! ```
//!
//! Per function (by name): the role, each distinct checked call (action, resource,
//! decision, count, and what triggered it: the route key of the HTTP event, the schedule,
//! or "presigned URL used by a client"), the calls that could not be checked and why, and
//! each grant (one action × one resource of an Allow statement) with the triggers of the
//! calls it allowed, or the reason it is not expected to be exercised.
//!
//! Not covered: condition keys other than `aws:RequestedRegion` and `s3:prefix` (no
//! `dynamodb:LeadingKeys`: the log keeps no item keys; none of our policies uses
//! conditions); resource policies, boundaries and SCPs; calls whose resource the log does
//! not name (DynamoDB batch/transaction calls, services other than DynamoDB, S3, Cognito
//! and STS) are listed as unchecked, not decided; calls the Lambda service makes for a
//! function (its logs) are not made under `dev`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::request_log::{authorization, Authorization, Request, Tail};
use crate::declared::is_runtime_action;
use crate::engine::verify_permissions::{glob, Call, DeployedRole, LocalEvaluator};

pub use crate::engine::verify_permissions::read_role;

/// The report's file name in `dev`'s work directory (`.local/dev/<stage>/`).
pub const REPORT_FILE: &str = "permissions.json";

/// Where `dev` writes the report for a work directory.
pub fn report_path(work_dir: &Path) -> PathBuf {
    work_dir.join(REPORT_FILE)
}

/// Reads a report `dev` wrote.
pub fn read_report(path: &Path) -> Result<PermissionsReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a report", path.display()))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PermissionsReport {
    /// How decisions were made.
    pub evaluator: String,
    /// By function name.
    pub functions: BTreeMap<String, FunctionPermissions>,
    /// Requests signed by keys of no function (the deployer, tests): not checked.
    pub other_requests: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FunctionPermissions {
    pub role_arn: String,
    /// Distinct (action, resource) calls, sorted.
    pub calls: Vec<CheckedCall>,
    /// Calls not checked, with why.
    pub unchecked: Vec<UncheckedCall>,
    /// What the role's Allow statements grant, one action × one resource each.
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    /// No statement allows it.
    ImplicitDeny,
    /// A Deny statement matches it.
    ExplicitDeny,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckedCall {
    pub action: String,
    pub resource: String,
    pub decision: Decision,
    pub count: u64,
    /// What the function was running for when it made the call.
    pub triggers: BTreeSet<String>,
    /// For a denied call: the statement the role lacks.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub missing_statement: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UncheckedCall {
    /// `dynamodb:TransactWriteItems`, or the request when no operation was recognised.
    pub call: String,
    pub reason: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Grant {
    pub action: String,
    pub resource: String,
    /// The triggers of the allowed calls it covers.
    pub exercised_by: BTreeSet<String>,
    /// Why it is not expected to be exercised under `dev`, when that is known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

impl PermissionsReport {
    /// Every denied call: (function, call).
    pub fn denied(&self) -> Vec<(&str, &CheckedCall)> {
        self.functions
            .iter()
            .flat_map(|(f, p)| {
                p.calls
                    .iter()
                    .filter(|c| c.decision != Decision::Allowed)
                    .map(move |c| (f.as_str(), c))
            })
            .collect()
    }

    /// The per-function grant table (Markdown): function → action → resource → what
    /// exercised it (or why nothing does), one row per grant, sorted.
    pub fn grants_table(&self) -> String {
        let mut out =
            String::from("| Function | Action | Resource | Exercised by |\n|---|---|---|---|\n");
        for (function, p) in &self.functions {
            for g in &p.grants {
                let by = if g.exercised_by.is_empty() {
                    match &g.reason {
                        Some(reason) => format!("— ({reason})"),
                        None => "**not exercised**".to_string(),
                    }
                } else {
                    g.exercised_by
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                out.push_str(&format!(
                    "| `{function}` | `{}` | `{}` | {by} |\n",
                    g.action, g.resource
                ));
            }
        }
        out
    }

    /// Grants no call exercised and that have no reason: (function, grant).
    pub fn unexercised(&self) -> Vec<(&str, &Grant)> {
        self.functions
            .iter()
            .flat_map(|(f, p)| {
                p.grants
                    .iter()
                    .filter(|g| g.exercised_by.is_empty() && g.reason.is_none())
                    .map(move |g| (f.as_str(), g))
            })
            .collect()
    }
}

/// Why the Lambda runtime's own actions are granted though the code never calls them.
const RUNTIME_REASON: &str =
    "used by the Lambda service to write the function's logs; dev prints them instead";

/// The grants of a role: each Action × Resource of its Allow statements.
fn grants(role: &DeployedRole) -> Vec<Grant> {
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out = BTreeMap::new();
    for (_, doc) in &role.documents {
        let statements = match doc.get("Statement") {
            Some(Value::Array(s)) => s.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for st in statements {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            for action in strings(st.get("Action")) {
                for resource in strings(st.get("Resource")) {
                    let reason = is_runtime_action(&action.to_ascii_lowercase())
                        .then(|| RUNTIME_REASON.to_string());
                    out.insert(
                        (action.clone(), resource.clone()),
                        Grant {
                            action: action.clone(),
                            resource,
                            exercised_by: BTreeSet::new(),
                            reason,
                        },
                    );
                }
            }
        }
    }
    out.into_values().collect()
}

/// A function whose calls are checked.
#[derive(Debug, Clone)]
pub struct Principal {
    pub function: String,
    pub access_key: String,
    pub role: DeployedRole,
}

/// The checks so far, and the report they make.
pub struct Checker {
    by_key: BTreeMap<String, Principal>,
    report: PermissionsReport,
}

impl Checker {
    pub fn new(principals: Vec<Principal>) -> Checker {
        let mut report = PermissionsReport {
            evaluator: "the deployed role's policies (inline and attached, read from the \
                        emulator's IAM) evaluated in-process by iam-rs"
                .into(),
            ..Default::default()
        };
        for p in &principals {
            report.functions.insert(
                p.function.clone(),
                FunctionPermissions {
                    role_arn: p.role.arn.clone(),
                    grants: grants(&p.role),
                    ..Default::default()
                },
            );
        }
        Checker {
            by_key: principals
                .into_iter()
                .map(|p| (p.access_key.clone(), p))
                .collect(),
            report,
        }
    }

    /// Takes the role's policies as they are now; what its grants were exercised by is
    /// kept for the grants that remain.
    pub fn update_role(&mut self, function: &str, role: DeployedRole) {
        let Some(entry) = self.report.functions.get_mut(function) else {
            return;
        };
        let mut fresh = grants(&role);
        for g in &mut fresh {
            if let Some(old) = entry
                .grants
                .iter()
                .find(|o| o.action == g.action && o.resource == g.resource)
            {
                g.exercised_by.clone_from(&old.exercised_by);
            }
        }
        entry.grants = fresh;
        entry.role_arn.clone_from(&role.arn);
        for p in self.by_key.values_mut().filter(|p| p.function == function) {
            p.role = role.clone();
        }
    }

    /// The role ARN of each function that holds one of these keys.
    pub fn roles_of<'a>(&self, keys: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
        keys.filter_map(|k| self.by_key.get(k))
            .map(|p| (p.function.clone(), p.role.arn.clone()))
            .collect()
    }

    /// The function a key belongs to.
    pub fn function_of(&self, access_key: &str) -> Option<&str> {
        self.by_key.get(access_key).map(|p| p.function.as_str())
    }

    pub fn report(&self) -> &PermissionsReport {
        &self.report
    }

    /// Checks one request; `trigger` is what the function was running for. Returns the
    /// line to print when the call is denied (the first time that call is seen).
    pub fn observe(&mut self, request: &Request, trigger: &str) -> Result<Option<String>> {
        let Some(principal) = self.by_key.get(&request.access_key) else {
            self.report.other_requests += 1;
            return Ok(None);
        };
        let account = principal
            .role
            .arn
            .split(':')
            .nth(4)
            .unwrap_or("000000000000");
        let function = principal.function.clone();
        let entry = self
            .report
            .functions
            .get_mut(&function)
            .expect("every principal has an entry");
        let (action, resource, context) = match authorization(request, account) {
            Authorization::Iam {
                action,
                resource,
                context,
            } => (action, resource, context),
            Authorization::NotByIam(why) => {
                let call = format!(
                    "{}:{}",
                    request.service,
                    request.operation.as_deref().unwrap_or("?")
                );
                count_unchecked(
                    &mut entry.unchecked,
                    call,
                    format!("not authorized by IAM: {why}"),
                );
                return Ok(None);
            }
            Authorization::Unknown(reason) => {
                let call = format!(
                    "{}:{}",
                    request.service,
                    request.operation.as_deref().unwrap_or("?")
                );
                count_unchecked(&mut entry.unchecked, call, reason);
                return Ok(None);
            }
        };
        let decision = evaluate(&principal.role, &action, &resource, &context)?;
        if decision == Decision::Allowed {
            mark_exercised(&mut entry.grants, &action, &resource, trigger);
        }
        // Decided again each time (the role may have changed); counted per decision.
        if let Some(seen) = entry
            .calls
            .iter_mut()
            .find(|c| c.action == action && c.resource == resource && c.decision == decision)
        {
            seen.count += 1;
            seen.triggers.insert(trigger.to_string());
            return Ok(None);
        }
        let missing = (decision != Decision::Allowed)
            .then(|| json!({"Effect": "Allow", "Action": action, "Resource": resource}));
        let line = missing.as_ref().map(|statement| {
            format!(
                "DENIED: {function} ({trigger}) called {action} on {resource}: {} of role {}; \
                 it lacks {statement}",
                if decision == Decision::ExplicitDeny {
                    "a Deny statement matches it"
                } else {
                    "no statement allows it"
                },
                principal.role.name,
            )
        });
        entry.calls.push(CheckedCall {
            action,
            resource,
            decision,
            count: 1,
            triggers: BTreeSet::from([trigger.to_string()]),
            missing_statement: missing,
        });
        entry.calls.sort_by(|a, b| {
            (&a.action, &a.resource, a.decision as u8).cmp(&(
                &b.action,
                &b.resource,
                b.decision as u8,
            ))
        });
        Ok(line)
    }

    /// Whether a request of a function is denied by its role as last read, without
    /// recording it: the message AWS would give, or `None` (allowed, or not a function's
    /// request, or not an IAM-authorized one).
    pub fn denial(&self, request: &Request) -> Result<Option<String>> {
        let Some(principal) = self.by_key.get(&request.access_key) else {
            return Ok(None);
        };
        let account = principal.role.arn.split(':').nth(4).unwrap_or_default();
        let Authorization::Iam {
            action,
            resource,
            context,
        } = authorization(request, account)
        else {
            return Ok(None);
        };
        let why = match evaluate(&principal.role, &action, &resource, &context)? {
            Decision::Allowed => return Ok(None),
            Decision::ExplicitDeny => "with an explicit deny in an identity-based policy",
            Decision::ImplicitDeny => "because no identity-based policy allows the action",
        };
        Ok(Some(format!(
            "User: arn:aws:sts::{account}:assumed-role/{}/{} is not authorized to perform: \
             {action} on resource: {resource} {why} (decided by dev)",
            principal.role.name, principal.function
        )))
    }

    /// Writes the report (pretty JSON, keys in a fixed order).
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.report)? + "\n";
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    }
}

/// The role's decision on one call, with the request's condition keys.
fn evaluate(
    role: &DeployedRole,
    action: &str,
    resource: &str,
    context: &BTreeMap<String, String>,
) -> Result<Decision> {
    let mut iam_context = iam_rs::Context::new();
    for (k, v) in context {
        iam_context = iam_context.with_string(k.clone(), v.clone());
    }
    iam_context = iam_context.with_string("aws:PrincipalArn", role.arn.clone());
    let documents: Vec<Value> = role.documents.iter().map(|(_, d)| d.clone()).collect();
    let call = Call {
        action: action.to_string(),
        resource: resource.to_string(),
    };
    Ok(
        match LocalEvaluator::evaluate(&documents, &call, iam_context)? {
            iam_rs::Decision::Allow => Decision::Allowed,
            iam_rs::Decision::Deny => Decision::ExplicitDeny,
            iam_rs::Decision::NotApplicable => Decision::ImplicitDeny,
        },
    )
}

fn count_unchecked(unchecked: &mut Vec<UncheckedCall>, call: String, reason: String) {
    match unchecked
        .iter_mut()
        .find(|u| u.call == call && u.reason == reason)
    {
        Some(u) => u.count += 1,
        None => {
            unchecked.push(UncheckedCall {
                call,
                reason,
                count: 1,
            });
            unchecked.sort_by(|a, b| a.call.cmp(&b.call));
        }
    }
}

/// Records `trigger` on every grant that covers an allowed call.
fn mark_exercised(grants: &mut [Grant], action: &str, resource: &str, trigger: &str) {
    let action = action.to_ascii_lowercase();
    for g in grants.iter_mut() {
        if glob(&g.action.to_ascii_lowercase(), &action) && glob(&g.resource, resource) {
            g.exercised_by.insert(trigger.to_string());
        }
    }
}

/// Keys of an assumed role.
#[derive(Debug, Clone)]
pub struct RoleCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

impl RoleCredentials {
    /// As the Lambda service hands them to a function.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID".into(), self.access_key_id.clone()),
            (
                "AWS_SECRET_ACCESS_KEY".into(),
                self.secret_access_key.clone(),
            ),
            ("AWS_SESSION_TOKEN".into(), self.session_token.clone()),
        ]
    }
}

/// Credentials of a role (`sts:AssumeRole`), so that the calls made with them are told
/// apart in the emulator's request log: moto ties assumed-role keys to the role.
pub async fn role_credentials(
    config: &aws_config::SdkConfig,
    role_arn: &str,
    session_name: &str,
) -> Result<RoleCredentials> {
    let out = aws_sdk_sts::Client::new(config)
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{}", aws_sdk_sts::error::DisplayErrorContext(e)))
        .with_context(|| format!("AssumeRole {role_arn}"))?;
    let c = out
        .credentials()
        .with_context(|| format!("AssumeRole {role_arn} returned no credentials"))?;
    Ok(RoleCredentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: c.secret_access_key().to_string(),
        session_token: c.session_token().to_string(),
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn role() -> DeployedRole {
        DeployedRole {
            arn: "arn:aws:iam::123456789012:role/app-dev-events".into(),
            name: "app-dev-events".into(),
            documents: vec![(
                "p".into(),
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                     "Resource": "arn:aws:s3:::photos/users/*"},
                    {"Effect": "Allow", "Action": "dynamodb:Query",
                     "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/t"},
                    {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                     "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*"}]}),
            )],
        }
    }

    fn request(service: &str, operation: &str, params: &[(&str, &str)]) -> Request {
        Request {
            time_ms: 1,
            access_key: "ASIAEVENTS".into(),
            region: Some("us-east-1".into()),
            service: service.into(),
            operation: Some(operation.into()),
            method: "POST".into(),
            path: "/".into(),
            presigned: false,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn calls_are_decided_by_the_role_and_grants_marked_exercised() {
        let mut checker = Checker::new(vec![Principal {
            function: "app-dev-events".into(),
            access_key: "ASIAEVENTS".into(),
            role: role(),
        }]);
        let put = request(
            "s3",
            "PutObject",
            &[("Bucket", "photos"), ("Key", "users/u/1.jpg")],
        );
        assert_eq!(checker.observe(&put, "POST /events").unwrap(), None);
        assert_eq!(
            checker
                .observe(&put, "presigned URL used by a client")
                .unwrap(),
            None
        );
        let outside = request(
            "s3",
            "PutObject",
            &[("Bucket", "photos"), ("Key", "admin/x")],
        );
        let line = checker.observe(&outside, "POST /events").unwrap().unwrap();
        assert!(
            line.contains(
                "app-dev-events (POST /events) called s3:PutObject on arn:aws:s3:::photos/admin/x"
            ),
            "{line}"
        );
        assert!(line.contains("no statement allows it"), "{line}");
        assert_eq!(checker.observe(&outside, "x").unwrap(), None, "said once");
        let unknown = request("dynamodb", "TransactWriteItems", &[]);
        checker.observe(&unknown, "POST /events").unwrap();
        let mut other = put.clone();
        other.access_key = "test".into();
        checker.observe(&other, "").unwrap();

        let report = checker.report();
        assert_eq!(report.other_requests, 1);
        let denied = report.denied();
        assert_eq!(denied.len(), 1);
        assert_eq!(denied[0].1.count, 2);
        assert_eq!(
            denied[0].1.missing_statement,
            Some(
                json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::photos/admin/x"})
            )
        );
        let f = &report.functions["app-dev-events"];
        assert_eq!(f.unchecked.len(), 1);
        let put_grant = f
            .grants
            .iter()
            .find(|g| g.action == "s3:PutObject")
            .unwrap();
        assert_eq!(
            put_grant.exercised_by,
            BTreeSet::from([
                "POST /events".to_string(),
                "presigned URL used by a client".to_string()
            ])
        );
        // Never called: GetObject and Query are unexercised; the runtime's logs have a reason.
        let unexercised: Vec<&str> = report
            .unexercised()
            .iter()
            .map(|(_, g)| g.action.as_str())
            .collect();
        assert_eq!(unexercised, ["dynamodb:Query", "s3:GetObject"]);

        let table = report.grants_table();
        assert!(table.contains("| `app-dev-events` | `s3:PutObject` | `arn:aws:s3:::photos/users/*` | `POST /events`, `presigned URL used by a client` |"), "{table}");
        assert!(table.contains("| `dynamodb:Query` | `arn:aws:dynamodb:us-east-1:123456789012:table/t` | **not exercised** |"), "{table}");
        assert!(table.contains("— (used by the Lambda service"), "{table}");

        let dir = tempfile::tempdir().unwrap();
        let path = report_path(dir.path());
        checker.write(&path).unwrap();
        assert_eq!(&read_report(&path).unwrap(), report);
    }

    #[test]
    fn an_explicit_deny_is_told_apart() {
        let mut r = role();
        r.documents.push((
            "deny".into(),
            json!({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/users/blocked/*"}}),
        ));
        let mut checker = Checker::new(vec![Principal {
            function: "f".into(),
            access_key: "ASIAEVENTS".into(),
            role: r,
        }]);
        let blocked = request(
            "s3",
            "GetObject",
            &[("Bucket", "photos"), ("Key", "users/blocked/1")],
        );
        let line = checker.observe(&blocked, "t").unwrap().unwrap();
        assert!(line.contains("a Deny statement matches it"), "{line}");
        assert_eq!(
            checker.report().denied()[0].1.decision,
            Decision::ExplicitDeny
        );
        let message = checker.denial(&blocked).unwrap().unwrap();
        assert_eq!(
            message,
            "User: arn:aws:sts::123456789012:assumed-role/app-dev-events/f is not \
            authorized to perform: s3:GetObject on resource: arn:aws:s3:::photos/users/blocked/1 \
            with an explicit deny in an identity-based policy (decided by dev)"
        );
        let allowed = request(
            "s3",
            "GetObject",
            &[("Bucket", "photos"), ("Key", "users/u/1")],
        );
        assert_eq!(checker.denial(&allowed).unwrap(), None);
    }
}
