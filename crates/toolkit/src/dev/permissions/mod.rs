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
//! in-process evaluator the deploy's check uses (the crate `iam-rs`, see
//! [`LocalEvaluator`](crate::engine::verify_permissions::LocalEvaluator)).
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
mod checker;
mod credentials;
mod report;
mod watch;

pub use crate::engine::verify_permissions::read_role;
pub use checker::{Checker, Principal};
pub use credentials::{role_credentials, RoleCredentials};
pub use report::{
    read_report, report_path, CheckedCall, Decision, FunctionPermissions, Grant, PermissionsReport,
    UncheckedCall, REPORT_FILE,
};
pub use watch::{Triggers, Watch};
