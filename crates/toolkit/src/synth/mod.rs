//! Synthesis: stacks → canonical CloudFormation JSON, limits, policy checks, files.
pub mod files;
pub mod limits;
pub mod pipeline;
pub mod report;

pub use constructs::{LambdaCode, SynthesizedStack, ASSETS_BUCKET_PARAMETER};
