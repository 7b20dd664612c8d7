//! CloudFormation quotas checked at synth time, before a deploy finds out.
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

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

/// Counted while scanning the JSON, without building it (synth asks twice per stack).
pub fn resource_count(stack: &SynthesizedStack) -> usize {
    serde_json::from_str::<Counted>(&stack.template_json).map_or(0, |c| c.resources.0)
}

#[derive(Deserialize)]
struct Counted {
    #[serde(rename = "Resources", default)]
    resources: Entries,
}

/// The number of entries of a JSON object (a template whose Resources is not one counts 0).
#[derive(Default)]
struct Entries(usize);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut count = 0;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(Entries(count))
            }
        }
        deserializer.deserialize_map(Counter)
    }
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
