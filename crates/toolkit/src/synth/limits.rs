//! CloudFormation quotas checked at synth time, before a deploy finds out.
use super::SynthesizedStack;

/// CloudFormation's hard limit is 500 resources per stack.
pub const RESOURCE_WARN: usize = 400;
pub const RESOURCE_FAIL: usize = 500;
/// Templates larger than this cannot be passed inline (TemplateBody); deploy uploads
/// them to the assets bucket and passes a TemplateURL instead.
pub const INLINE_TEMPLATE_BYTES: usize = 51_200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Error(String),
    Warning(String),
    Note(String),
}

/// Resources of the stack's template (0 when it has none).
pub fn resource_count(stack: &SynthesizedStack) -> usize {
    stack.resources().len()
}

pub fn check(stage: &str, stack: &SynthesizedStack) -> Vec<Finding> {
    let mut findings = Vec::new();
    let count = resource_count(stack);
    let name = format!("{stage}/{}", stack.name);
    if count >= RESOURCE_FAIL {
        findings.push(Finding::Error(format!(
            "{name} has {count} resources; CloudFormation allows at most {RESOURCE_FAIL} per stack: split the stack"
        )));
    } else if count >= RESOURCE_WARN {
        findings.push(Finding::Warning(format!(
            "{name} has {count} resources, close to CloudFormation's limit of {RESOURCE_FAIL}"
        )));
    }
    let bytes = stack.template_json.len();
    if bytes > INLINE_TEMPLATE_BYTES {
        findings.push(Finding::Note(format!(
            "{name} is {bytes} bytes (> {INLINE_TEMPLATE_BYTES}): deploy uploads it to the assets bucket"
        )));
    }
    findings
}
