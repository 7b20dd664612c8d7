//! Audit (prod): a CloudTrail trail of the account's management events (seed 002: "Enable
//! CloudTrail for audit logs"), with log file validation, into its own retained bucket.
use super::stage::StageConfig;
use constructs::audit_trail::AuditTrail;
use constructs::Stack;

pub fn stack(stage: &StageConfig, retention_days: u32) -> Stack {
    let mut stack = Stack::new("Audit", stage, "CloudTrail audit log of the account");
    AuditTrail::new(&stack, "audit-trail", retention_days, stage.retain_data).add_to(&mut stack);
    stack
}
