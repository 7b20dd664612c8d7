//! The CloudFormation calls the engine makes, behind a trait so tests can script states
//! (rollbacks, in-progress stacks, throttling) that the emulator never produces.
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

/// A stack as DescribeStacks reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackInfo {
    pub name: String,
    pub status: String,
    pub reason: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub outputs: BTreeMap<String, String>,
    /// The stack's ARN (it names the account).
    pub stack_id: Option<String>,
    /// Last update, else creation (RFC 3339).
    pub last_updated: Option<String>,
}

/// A stage's stack tags as CreateChangeSet takes them: `app`, `stage`, `cost-center`.
pub fn stage_tags(stage: crate::app::Stage) -> BTreeMap<String, String> {
    stage
        .tags()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSetKind {
    Create,
    Update,
    /// Adopts existing resources (`resources_to_import`) into the stack.
    Import,
}

/// One resource an IMPORT change set adopts: its logical ID in the template, and its
/// primary identifier (property → value) from the type's registry schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceToImport {
    pub resource_type: String,
    pub logical_id: String,
    pub identifier: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    Body(String),
    Url(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetRequest {
    pub stack_name: String,
    pub change_set_name: String,
    pub kind: ChangeSetKind,
    pub template: TemplateSource,
    /// Parameters we set; the others keep their defaults.
    pub parameters: BTreeMap<String, String>,
    /// The stack's tags (cost allocation); CloudFormation copies them onto the resources
    /// that take tags. Sent on every change set: an update without them would keep the
    /// old ones.
    pub tags: BTreeMap<String, String>,
    /// Sent as the change set's `RollbackConfiguration`. `None` sends none, so the
    /// stack keeps the triggers of its last operation; an empty one clears them.
    pub rollback: Option<RollbackConfig>,
    /// For [`ChangeSetKind::Import`] only.
    pub resources_to_import: Vec<ResourceToImport>,
}

/// CloudFormation's limits on a `RollbackConfiguration`.
pub const MAX_ROLLBACK_TRIGGERS: usize = 5;
pub const MAX_MONITORING_MINUTES: u32 = 180;

/// Alarms that roll a stack operation back when they go into ALARM during it, and for
/// `monitoring_minutes` after the resources are deployed (the bake).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollbackConfig {
    /// Alarm ARNs, at most [`MAX_ROLLBACK_TRIGGERS`].
    pub triggers: Vec<String>,
    /// At most [`MAX_MONITORING_MINUTES`].
    pub monitoring_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetChange {
    /// Add, Modify, Remove, Import, Dynamic.
    pub action: String,
    pub logical_id: String,
    pub resource_type: String,
    /// True, False, Conditional (absent in moto).
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetInfo {
    /// CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED, ...
    pub status: String,
    pub status_reason: Option<String>,
    pub changes: Vec<ChangeSetChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackEvent {
    pub event_id: String,
    pub logical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftStatus {
    /// DETECTION_IN_PROGRESS, DETECTION_COMPLETE, DETECTION_FAILED.
    pub detection: String,
    /// DRIFTED, IN_SYNC, ...
    pub stack_drift: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDrift {
    pub logical_id: String,
    pub resource_type: String,
    /// MODIFIED, DELETED, ...
    pub status: String,
    /// `path: expected → actual` per property difference.
    pub differences: Vec<String>,
}

/// A stack refactoring (CreateStackRefactor): the stacks as they are after the moves,
/// and which resource goes where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefactorRequest {
    pub description: String,
    /// Stack name → template body after the moves (nothing else may change).
    pub stacks: BTreeMap<String, String>,
    pub mappings: Vec<RefactorMapping>,
    /// A target stack does not exist yet: the refactoring creates it.
    pub enable_stack_creation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefactorMapping {
    pub from_stack: String,
    pub from: String,
    pub to_stack: String,
    pub to: String,
}

/// DescribeStackRefactor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefactorInfo {
    /// CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED, ...
    pub status: String,
    pub status_reason: Option<String>,
    /// UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED,
    /// ROLLBACK_*, OBSOLETE.
    pub execution_status: String,
    pub execution_status_reason: Option<String>,
}

/// An error from CloudFormation (or the transport), with the service's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", code.as_ref().map(|c| format!("{c}: ")).unwrap_or_default())]
pub struct CfnError {
    pub code: Option<String>,
    pub message: String,
}

impl CfnError {
    pub fn new(code: &str, message: &str) -> CfnError {
        CfnError {
            code: Some(code.into()),
            message: message.into(),
        }
    }
    pub fn is_throttling(&self) -> bool {
        matches!(
            self.code.as_deref(),
            Some(
                "Throttling"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "TooManyRequestsException"
            )
        ) || self.message.contains("Rate exceeded")
    }
    /// DescribeStacks of a missing stack.
    pub fn is_missing_stack(&self) -> bool {
        self.message.contains("does not exist")
    }
    /// An empty change set, in the words of real AWS or of moto.
    pub fn is_no_changes(&self) -> bool {
        is_no_changes_reason(&self.message)
    }
}

pub fn is_no_changes_reason(reason: &str) -> bool {
    reason.contains("didn't contain changes")
        || reason.contains("No updates are to be performed")
        || reason.contains("The submitted information didn't contain changes")
}

pub type CfnResult<T> = Result<T, CfnError>;

/// The CloudFormation API surface of the engine.
#[allow(async_fn_in_trait)]
pub trait Cfn {
    /// `None` when the stack does not exist (or is DELETE_COMPLETE).
    async fn describe_stack(&self, name: &str) -> CfnResult<Option<StackInfo>>;
    async fn get_template(&self, name: &str) -> CfnResult<String>;
    /// Returns the change set's ID.
    async fn create_change_set(&self, req: &ChangeSetRequest) -> CfnResult<String>;
    async fn describe_change_set(&self, stack: &str, name: &str) -> CfnResult<ChangeSetInfo>;
    async fn execute_change_set(&self, stack: &str, name: &str) -> CfnResult<()>;
    async fn delete_change_set(&self, stack: &str, name: &str) -> CfnResult<()>;
    /// Most recent first (first page).
    async fn stack_events(&self, stack: &str) -> CfnResult<Vec<StackEvent>>;
    async fn delete_stack(&self, stack: &str) -> CfnResult<()>;
    async fn continue_update_rollback(&self, stack: &str) -> CfnResult<()>;
    /// The stack's tags; `None` where they cannot be read (a deploy then never updates a
    /// stack only for its tags).
    async fn stack_tags(&self, _stack: &str) -> CfnResult<Option<BTreeMap<String, String>>> {
        Ok(None)
    }
    /// Rolls back an update in progress (also during its monitoring period).
    async fn cancel_update_stack(&self, stack: &str) -> CfnResult<()> {
        Err(CfnError::new(
            "NotImplemented",
            &format!("CancelUpdateStack is not available here ({stack})"),
        ))
    }
    /// Returns the refactoring's ID.
    async fn create_stack_refactor(&self, _req: &RefactorRequest) -> CfnResult<String> {
        Err(CfnError::new(
            "NotImplemented",
            "CreateStackRefactor is not available here",
        ))
    }
    async fn describe_stack_refactor(&self, _id: &str) -> CfnResult<RefactorInfo> {
        Err(CfnError::new(
            "NotImplemented",
            "DescribeStackRefactor is not available here",
        ))
    }
    async fn execute_stack_refactor(&self, _id: &str) -> CfnResult<()> {
        Err(CfnError::new(
            "NotImplemented",
            "ExecuteStackRefactor is not available here",
        ))
    }
    async fn physical_id(&self, stack: &str, logical_id: &str) -> CfnResult<Option<String>>;
    async fn detect_drift(&self, stack: &str) -> CfnResult<String>;
    async fn drift_status(&self, detection_id: &str) -> CfnResult<DriftStatus>;
    async fn resource_drifts(&self, stack: &str) -> CfnResult<Vec<ResourceDrift>>;
}

/// Retries on throttling with exponential backoff (base, 2×base, 4×base, ... capped).
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
    pub attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            max: Duration::from_secs(10),
            attempts: 6,
        }
    }
}

impl Backoff {
    pub fn delay(&self, attempt: u32) -> Duration {
        self.base
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max)
    }
}

/// Runs `op` until it succeeds, fails with something other than throttling, or runs out
/// of attempts. `on_retry` hears about each retry (for a progress line).
pub async fn with_backoff<T, F, Fut>(
    backoff: &Backoff,
    mut on_retry: impl FnMut(u32, &CfnError, Duration),
    mut op: F,
) -> CfnResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = CfnResult<T>>,
{
    let mut attempt = 0;
    loop {
        match op().await {
            Err(e) if e.is_throttling() && attempt + 1 < backoff.attempts => {
                let delay = backoff.delay(attempt);
                on_retry(attempt + 1, &e, delay);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn errors_classify() {
        assert!(CfnError::new("Throttling", "Rate exceeded").is_throttling());
        assert!(
            CfnError::new("ValidationError", "No updates are to be performed.").is_no_changes()
        );
        assert!(
            CfnError::new("ValidationError", "Stack with id x does not exist").is_missing_stack()
        );
        assert!(!CfnError::new("ValidationError", "bad template").is_throttling());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_millis(350),
            attempts: 5,
        };
        assert_eq!(b.delay(0), Duration::from_millis(100));
        assert_eq!(b.delay(1), Duration::from_millis(200));
        assert_eq!(b.delay(2), Duration::from_millis(350));
    }

    #[tokio::test]
    async fn throttling_is_retried_until_success_then_gives_up() {
        let b = Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(2),
            attempts: 3,
        };
        let calls = Cell::new(0);
        let retries = Cell::new(0);
        let r = with_backoff(
            &b,
            |_, _, _| retries.set(retries.get() + 1),
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 3 {
                        Err(CfnError::new("Throttling", "Rate exceeded"))
                    } else {
                        Ok(n)
                    }
                }
            },
        )
        .await;
        assert_eq!(r, Ok(3));
        assert_eq!(retries.get(), 2);
        calls.set(0);
        let r: CfnResult<u32> = with_backoff(
            &b,
            |_, _, _| {},
            || {
                calls.set(calls.get() + 1);
                async { Err(CfnError::new("Throttling", "Rate exceeded")) }
            },
        )
        .await;
        assert!(r.unwrap_err().is_throttling());
        assert_eq!(calls.get(), 3, "gives up after the attempt budget");
    }
}
