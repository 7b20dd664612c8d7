//! Synthesis: stacks → canonical CloudFormation JSON, limits, policy checks, files.
pub mod files;
pub mod limits;
pub mod pipeline;
pub mod report;

use crate::stacks::stage::Stage;

pub use constructs::{LambdaCode, SynthesizedStack, ASSETS_BUCKET_PARAMETER};

/// The stacks of one stage in deployment order. Pure: no I/O, no checks.
pub fn synth_stage(stage: Stage) -> anyhow::Result<Vec<SynthesizedStack>> {
    Ok(crate::stacks::app(stage)
        .iter()
        .map(|stack| stack.synthesize())
        .collect())
}
