//! Monthly cost estimates from synthesized templates, a committed price table and the
//! app's usage assumptions. No AWS call: prices are list prices, read from the pricing
//! pages into `prices/<region>.toml` (region, date and source page per price).
//!
//! - [`usage`]: what an app declares per stage (users, requests, durations, sizes).
//! - [`prices`]: the price table and its always-free allowances.
//! - [`estimate()`]: per stack and resource, each line with the assumption behind it;
//!   types without a price are listed as not priced, never counted as zero.
//! - [`budget`]: the total against the stage's `AWS::Budgets::Budget`.
//! - [`delta`]: before → after for a plan.
//! - [`render`]: text, Markdown, JSON.
pub mod budget;
mod context;
pub mod delta;
pub mod estimate;
pub mod format;
pub mod model;
mod pricers;
pub mod prices;
pub mod render;
pub mod template;
pub mod usage;

pub use delta::{CostDelta, StackDelta};
pub use estimate::{estimate, Subject};
pub use model::{BudgetCheck, BudgetStatus, Estimate, Line, Pricing, ResourceCost, StackCost};
pub use prices::PriceTable;
pub use template::StackTemplate;
pub use usage::{BucketUsage, FreeTier, NotificationUsage, Rate, Usage};

use anyhow::Result;

use crate::app::{App, Stage};
use crate::diff::StackTemplates;
use crate::synth::SynthesizedStack;

/// The stage's usage as the app declares it, or none (fixed costs only).
pub fn usage_of(app: &App, stage: Stage) -> Usage {
    app.usage.map(|usage| usage(stage)).unwrap_or_default()
}

/// Estimates synthesized stacks of one of the app's stages.
pub fn estimate_stacks(app: &App, stage: Stage, stacks: &[SynthesizedStack]) -> Result<Estimate> {
    let templates = stacks
        .iter()
        .map(|s| StackTemplate::from_json(&s.name, &s.stack_name, &s.template))
        .collect::<Result<Vec<_>>>()?;
    let prices = PriceTable::for_region(stage.region)?;
    estimate(
        Subject {
            app: stage.app,
            stage: stage.name,
            region: stage.region,
        },
        &templates,
        &usage_of(app, stage),
        &prices,
    )
}

/// The monthly cost of a plan's change, with the app's usage for the stage.
pub fn plan_cost(app: &App, stage: Stage, stacks: &[StackTemplates]) -> Result<CostDelta> {
    let prices = PriceTable::for_region(stage.region)?;
    delta::plan_delta(
        Subject {
            app: stage.app,
            stage: stage.name,
            region: stage.region,
        },
        stacks,
        &usage_of(app, stage),
        &prices,
    )
}

/// Types with a price or a documented "no charge" (for coverage tests).
pub fn known_types() -> impl Iterator<Item = &'static str> {
    pricers::PRICED_TYPES
        .iter()
        .copied()
        .chain(pricers::NO_CHARGE_TYPES.iter().map(|(t, _)| *t))
}
