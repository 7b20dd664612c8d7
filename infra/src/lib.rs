//! BubbleBatch infrastructure, layered:
//! template model → constructs → stacks → synth (+ policies) → engine → CLI.
pub mod cli;

pub mod diff;
#[cfg(feature = "aws")]
pub mod engine;
pub mod examples;
pub mod policy;
pub mod stacks;
pub mod synth;
