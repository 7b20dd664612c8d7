//! Placeholder until declared.
use crate::constructs::Stack;

pub const APP: &str = "mvp-checklist";

pub fn stacks() -> Vec<Stack> {
    Vec::new()
}
