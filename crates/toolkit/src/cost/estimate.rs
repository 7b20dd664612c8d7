//! A stage's templates + usage + prices → an [`Estimate`].
use std::collections::BTreeMap;

use anyhow::Result;

use super::budget;
use super::context::Context;
use super::model::{Estimate, FreeTierCredit, ResourceCost, StackCost};
use super::pricers;
use super::prices::PriceTable;
use super::template::StackTemplate;
use super::usage::{FreeTier, Usage};

/// Who the estimate is for: names and the physical-name prefix usage names drop.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub app: &'a str,
    pub stage: &'a str,
    pub region: &'a str,
}

impl Subject<'_> {
    pub fn prefix(&self) -> String {
        format!("{}-{}-", self.app, self.stage)
    }
}

/// Every usage name must match a function, table or bucket of the stage.
pub fn estimate(
    subject: Subject,
    templates: &[StackTemplate],
    usage: &Usage,
    prices: &PriceTable,
) -> Result<Estimate> {
    run(subject, templates, usage, prices, true)
}

/// For the base side of a plan: the usage describes the new templates, so names the
/// base does not have yet are not an error.
pub fn estimate_base(
    subject: Subject,
    templates: &[StackTemplate],
    usage: &Usage,
    prices: &PriceTable,
) -> Result<Estimate> {
    run(subject, templates, usage, prices, false)
}

fn run(
    subject: Subject,
    templates: &[StackTemplate],
    usage: &Usage,
    prices: &PriceTable,
    check_names: bool,
) -> Result<Estimate> {
    let ctx = Context::new(templates, usage, prices, &subject.prefix(), check_names)?;
    let stacks: Vec<StackCost> = templates
        .iter()
        .map(|stack| {
            let resources: Vec<ResourceCost> = stack
                .resources
                .iter()
                .map(|r| {
                    let pricing = pricers::price(r, stack, &ctx);
                    ResourceCost::new(&r.logical_id, &r.resource_type, pricing)
                })
                .collect();
            StackCost {
                name: stack.name.clone(),
                stack_name: stack.stack_name.clone(),
                monthly_usd: resources.iter().map(|r| r.monthly_usd).sum(),
                resources,
            }
        })
        .collect();
    let gross_usd: f64 = stacks.iter().map(|s| s.monthly_usd).sum();
    let free_tier = match usage.free_tier {
        FreeTier::AlwaysFree => free_tier_credits(&stacks, prices),
        FreeTier::None => Vec::new(),
    };
    let total_usd = gross_usd + free_tier.iter().map(|c| c.monthly_usd).sum::<f64>();
    let mut notes = Vec::new();
    if usage.free_tier == FreeTier::AlwaysFree {
        notes.push(
            "Always-free allowances are per account: deducted once here, they are shared with \
             any other stage or app in the same account."
                .to_string(),
        );
    }
    let budget = budget::check(templates, total_usd, &mut notes);
    Ok(Estimate {
        app: subject.app.to_string(),
        stage: subject.stage.to_string(),
        region: subject.region.to_string(),
        prices_as_of: prices.as_of.clone(),
        prices_version: prices.version,
        monthly_active_users: usage.monthly_active_users,
        free_tier_mode: usage.free_tier,
        stacks,
        gross_usd,
        free_tier,
        total_usd,
        budget,
        notes,
    })
}

/// Per allowance: the quantity the stage uses of every price drawing from it, and the
/// value of the free part (the dearest units first, so the credit is the most the
/// allowance can be worth).
fn free_tier_credits(stacks: &[StackCost], prices: &PriceTable) -> Vec<FreeTierCredit> {
    // allowance → price key → quantity used
    let mut used: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for line in stacks
        .iter()
        .flat_map(|s| &s.resources)
        .flat_map(|r| r.lines())
    {
        if let Some(free) = &line.free_tier {
            *used
                .entry(free.as_str())
                .or_default()
                .entry(line.price.as_str())
                .or_default() += line.quantity;
        }
    }
    let mut credits = Vec::new();
    for (key, by_price) in used {
        let tier = prices
            .free_tier(key)
            .expect("the price table validates its free tiers");
        let mut by_price: Vec<(f64, f64)> = by_price
            .iter()
            .map(|(price, quantity)| (prices.get(price).unit_price(), *quantity))
            .collect();
        by_price.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut left = tier.monthly;
        let mut value = 0.0;
        for (unit_price, quantity) in &by_price {
            let free = quantity.min(left);
            value += free * unit_price;
            left -= free;
        }
        let total_used: f64 = by_price.iter().map(|(_, q)| q).sum();
        if value > 0.0 {
            credits.push(FreeTierCredit {
                key: key.to_string(),
                unit: tier.unit.clone(),
                allowance: tier.monthly,
                used: total_used,
                monthly_usd: -value,
                source: tier.source.clone(),
            });
        }
    }
    credits
}
