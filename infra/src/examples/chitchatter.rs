//! Placeholder until declared.
use crate::constructs::Stack;

pub const APP: &str = "chitchatter-pro";

pub fn stacks() -> Vec<Stack> {
    Vec::new()
}
