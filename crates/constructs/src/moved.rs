//! `moved` declarations: a resource renamed in stack code (or moved to another stack) is
//! the same resource, so deploy turns it into a CloudFormation stack refactoring instead
//! of a delete and a create. Declarations travel in the template's top-level `Metadata`
//! (CloudFormation keeps it and ignores it), so `plan` and `deploy` read them from the
//! synthesized template. Once deployed they are no-ops and can be removed.
use cfn_core::LogicalId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The template `Metadata` key holding the declarations.
pub const MOVED_METADATA: &str = "BubbleBatch::Moved";

/// One declaration: the resource now declared as `to` in this stack was deployed as
/// `from`, in `from_stack` (a CloudFormation stack name) or, when `None`, in this stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Moved {
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_stack: Option<String>,
    pub to: String,
}

impl Moved {
    pub fn new(from: &LogicalId, to: &LogicalId) -> Moved {
        Moved {
            from: from.to_string(),
            from_stack: None,
            to: to.to_string(),
        }
    }
}

/// The declarations in a synthesized template; an unreadable entry is an error.
pub fn declared(template: &Value) -> Result<Vec<Moved>, String> {
    let Some(list) = template.get("Metadata").and_then(|m| m.get(MOVED_METADATA)) else {
        return Ok(Vec::new());
    };
    serde_json::from_value(list.clone())
        .map_err(|e| format!("Metadata.{MOVED_METADATA} is not a list of moves: {e}"))
}
