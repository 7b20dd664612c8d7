//! Placeholder until declared.
use crate::constructs::Stack;

pub const APP: &str = "echomate";

pub fn stacks() -> Vec<Stack> {
    Vec::new()
}
