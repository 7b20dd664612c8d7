//! The monthly cost of a plan: the same usage priced on the templates before and after,
//! per stack, the resources that change it most, and whether it crosses the budget's
//! alert threshold.
use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::estimate::{estimate_base, Subject};
use super::format::{delta as signed, usd};
use super::model::{BudgetCheck, BudgetStatus, Estimate};
use super::prices::PriceTable;
use super::render::budget_line;
use super::template::StackTemplate;
use super::usage::Usage;
use crate::diff::StackTemplates;

/// How many resources the plan names as the biggest contributors.
pub const TOP_CONTRIBUTORS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackDelta {
    pub name: String,
    pub before_usd: f64,
    pub after_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDelta {
    pub stack: String,
    pub logical_id: String,
    pub resource_type: String,
    pub before_usd: f64,
    pub after_usd: f64,
}

impl ResourceDelta {
    pub fn change(&self) -> f64 {
        self.after_usd - self.before_usd
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostDelta {
    /// Stage totals after free tiers.
    pub before_usd: f64,
    pub after_usd: f64,
    pub stacks: Vec<StackDelta>,
    /// Largest changes first, at most [`TOP_CONTRIBUTORS`].
    pub contributors: Vec<ResourceDelta>,
    /// The budget after the change.
    pub budget: Option<BudgetCheck>,
    /// The change takes the estimate over the budget's alert threshold (or the budget).
    pub crosses_budget_threshold: bool,
    /// Resources after the change that have no price (left out of `after_usd`).
    pub not_priced: Vec<String>,
    pub prices_as_of: String,
}

impl CostDelta {
    pub fn change(&self) -> f64 {
        self.after_usd - self.before_usd
    }
}

/// Prices both sides of a plan with the same usage. The usage describes the new
/// templates, so the base side tolerates names it does not have yet.
pub fn plan_delta(
    subject: Subject,
    stacks: &[StackTemplates],
    usage: &Usage,
    prices: &PriceTable,
) -> Result<CostDelta> {
    let side = |pick: fn(&StackTemplates) -> Option<&serde_json::Value>| {
        stacks
            .iter()
            .filter_map(|s| pick(s).map(|t| StackTemplate::from_json(&s.name, &s.stack_name, t)))
            .collect::<Result<Vec<_>>>()
    };
    let before = estimate_base(subject, &side(|s| s.old.as_ref())?, usage, prices)?;
    let after = estimate_base(subject, &side(|s| s.new.as_ref())?, usage, prices)?;
    Ok(compare(&before, &after))
}

pub fn compare(before: &Estimate, after: &Estimate) -> CostDelta {
    let mut stacks: BTreeMap<&str, StackDelta> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut resources: BTreeMap<(&str, &str), ResourceDelta> = BTreeMap::new();
    for (estimate, is_after) in [(before, false), (after, true)] {
        for s in &estimate.stacks {
            if !order.contains(&s.name.as_str()) {
                order.push(&s.name);
            }
            let entry = stacks.entry(&s.name).or_insert_with(|| StackDelta {
                name: s.name.clone(),
                before_usd: 0.0,
                after_usd: 0.0,
            });
            *side(&mut entry.before_usd, &mut entry.after_usd, is_after) += s.monthly_usd;
            for r in &s.resources {
                let entry = resources
                    .entry((&s.name, &r.logical_id))
                    .or_insert_with(|| ResourceDelta {
                        stack: s.name.clone(),
                        logical_id: r.logical_id.clone(),
                        resource_type: r.resource_type.clone(),
                        before_usd: 0.0,
                        after_usd: 0.0,
                    });
                *side(&mut entry.before_usd, &mut entry.after_usd, is_after) += r.monthly_usd;
            }
        }
    }
    let mut contributors: Vec<ResourceDelta> = resources
        .into_values()
        .filter(|r| r.change().abs() >= 0.005)
        .collect();
    contributors.sort_by(|a, b| {
        b.change()
            .abs()
            .total_cmp(&a.change().abs())
            .then_with(|| (&a.stack, &a.logical_id).cmp(&(&b.stack, &b.logical_id)))
    });
    contributors.truncate(TOP_CONTRIBUTORS);
    let over =
        |b: &Option<BudgetCheck>| b.as_ref().is_some_and(|b| b.status != BudgetStatus::Within);
    CostDelta {
        before_usd: before.total_usd,
        after_usd: after.total_usd,
        stacks: order.iter().map(|n| stacks[n].clone()).collect(),
        contributors,
        crosses_budget_threshold: over(&after.budget) && !over(&before.budget),
        budget: after.budget.clone(),
        not_priced: after
            .not_priced()
            .iter()
            .map(|(s, r)| format!("{}/{} ({})", s.name, r.logical_id, r.resource_type))
            .collect(),
        prices_as_of: after.prices_as_of.clone(),
    }
}

fn side<'a>(before: &'a mut f64, after: &'a mut f64, is_after: bool) -> &'a mut f64 {
    if is_after {
        after
    } else {
        before
    }
}

/// The plan comment's cost section.
pub fn markdown(d: &CostDelta, cost_command: &str) -> String {
    let mut out = format!(
        "### Monthly cost: {} → {} ({})\n\n",
        usd(d.before_usd),
        usd(d.after_usd),
        signed(d.change())
    );
    if d.crosses_budget_threshold {
        if let Some(b) = &d.budget {
            let _ = writeln!(
                out,
                "> [!WARNING]\n> 💸 **This change takes the estimate over the budget's alert \
                 threshold.** {}\n",
                budget_line(b, d.after_usd)
            );
        }
    }
    let changed: Vec<&StackDelta> = d
        .stacks
        .iter()
        .filter(|s| (s.after_usd - s.before_usd).abs() >= 0.005)
        .collect();
    if !changed.is_empty() {
        out.push_str("| Stack | Before | After | Change |\n| --- | ---: | ---: | ---: |\n");
        for s in changed {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                s.name,
                usd(s.before_usd),
                usd(s.after_usd),
                signed(s.after_usd - s.before_usd)
            );
        }
        out.push('\n');
    }
    if !d.contributors.is_empty() {
        out.push_str("Biggest changes:\n");
        for r in &d.contributors {
            let _ = writeln!(
                out,
                "- `{}` / `{}` ({}): {} → {} ({})",
                r.stack,
                r.logical_id,
                r.resource_type,
                usd(r.before_usd),
                usd(r.after_usd),
                signed(r.change())
            );
        }
        out.push('\n');
    }
    if !d.not_priced.is_empty() {
        let _ = writeln!(out, "Not priced (left out): {}.\n", d.not_priced.join(", "));
    }
    let _ = writeln!(
        out,
        "<sub>List prices of {}, totals after always-free allowances, the app's usage \
         assumptions; every line: `{cost_command}`.</sub>\n",
        d.prices_as_of
    );
    out
}

/// The plan's cost lines for a terminal.
pub fn text(d: &CostDelta) -> String {
    let mut out = format!(
        "Monthly cost: {} → {} ({})\n",
        usd(d.before_usd),
        usd(d.after_usd),
        signed(d.change())
    );
    for s in d
        .stacks
        .iter()
        .filter(|s| (s.after_usd - s.before_usd).abs() >= 0.005)
    {
        let _ = writeln!(
            out,
            "  {}: {} → {} ({})",
            s.name,
            usd(s.before_usd),
            usd(s.after_usd),
            signed(s.after_usd - s.before_usd)
        );
    }
    for r in &d.contributors {
        let _ = writeln!(
            out,
            "    {} {}: {}",
            r.logical_id,
            r.resource_type,
            signed(r.change())
        );
    }
    if d.crosses_budget_threshold {
        if let Some(b) = &d.budget {
            let _ = writeln!(out, "BUDGET: {}", budget_line(b, d.after_usd));
        }
    }
    if !d.not_priced.is_empty() {
        let _ = writeln!(out, "Not priced: {}", d.not_priced.join(", "));
    }
    out
}
