//! The estimate: per stack and resource, each priced line with the assumption behind it.
use serde::Serialize;

use super::prices::Price;
use super::usage::FreeTier;

/// One priced quantity: `100,000 requests × $0.20 per 1,000,000 requests = $0.02`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// What is counted, e.g. `requests`, `compute (512 MB, arm64)`.
    pub what: String,
    pub quantity: f64,
    pub unit: String,
    /// Key in the price table.
    pub price: String,
    /// The price as the page states it: `$0.20 per 1,000,000 requests`.
    pub rate: String,
    pub monthly_usd: f64,
    /// Where the quantity comes from: the template (`fixed`) or a usage assumption.
    pub basis: String,
    /// The always-free allowance this line draws from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_tier: Option<String>,
}

impl Line {
    pub fn new(what: &str, quantity: f64, price: &Price, basis: String) -> Line {
        Line {
            what: what.to_string(),
            quantity,
            unit: price.plural(),
            price: price.key.clone(),
            rate: price.describe(),
            monthly_usd: quantity * price.unit_price(),
            basis,
            free_tier: price.free_tier.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Pricing {
    Priced {
        lines: Vec<Line>,
    },
    /// AWS charges nothing for the resource itself (roles, routes, policies, ...).
    NoCharge {
        reason: String,
    },
    /// The table has no price for it: listed so a reader knows the total leaves it out.
    NotPriced {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceCost {
    pub logical_id: String,
    pub resource_type: String,
    pub monthly_usd: f64,
    #[serde(flatten)]
    pub pricing: Pricing,
}

impl ResourceCost {
    pub fn new(logical_id: &str, resource_type: &str, pricing: Pricing) -> ResourceCost {
        let monthly_usd = match &pricing {
            Pricing::Priced { lines } => lines.iter().map(|l| l.monthly_usd).sum(),
            Pricing::NoCharge { .. } | Pricing::NotPriced { .. } => 0.0,
        };
        ResourceCost {
            logical_id: logical_id.to_string(),
            resource_type: resource_type.to_string(),
            monthly_usd,
            pricing,
        }
    }

    pub fn lines(&self) -> &[Line] {
        match &self.pricing {
            Pricing::Priced { lines } => lines,
            _ => &[],
        }
    }

    pub fn not_priced(&self) -> bool {
        matches!(self.pricing, Pricing::NotPriced { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackCost {
    pub name: String,
    pub stack_name: String,
    /// Before free tiers (they are per account, so they are not split over stacks).
    pub monthly_usd: f64,
    pub resources: Vec<ResourceCost>,
}

impl StackCost {
    pub fn not_priced(&self) -> impl Iterator<Item = &ResourceCost> {
        self.resources.iter().filter(|r| r.not_priced())
    }
}

/// An always-free allowance deducted from the stage total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreeTierCredit {
    pub key: String,
    pub unit: String,
    pub allowance: f64,
    /// What the stage uses of the priced quantities drawing from it.
    pub used: f64,
    /// Negative: the amount taken off.
    pub monthly_usd: f64,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// Below the first notification threshold.
    Within,
    /// Above a notification threshold: the budget would alert every month.
    OverThreshold,
    /// Above the budget itself.
    OverBudget,
}

/// The estimate against the stage's `AWS::Budgets::Budget`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetCheck {
    pub budget: String,
    pub stack: String,
    pub limit_usd: f64,
    /// The lowest notification threshold, in dollars (e.g. 80 % of the limit).
    pub threshold_usd: f64,
    pub threshold_label: String,
    pub status: BudgetStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub app: String,
    pub stage: String,
    pub region: String,
    pub prices_as_of: String,
    pub prices_version: u32,
    pub monthly_active_users: f64,
    pub free_tier_mode: FreeTier,
    pub stacks: Vec<StackCost>,
    /// Sum of the stacks, before free tiers.
    pub gross_usd: f64,
    pub free_tier: Vec<FreeTierCredit>,
    /// What the month would cost: gross minus free tiers.
    pub total_usd: f64,
    pub budget: Option<BudgetCheck>,
    /// Things a reader should know (an assumption that matched nothing, a budget that
    /// is per account, ...).
    pub notes: Vec<String>,
}

impl Estimate {
    pub fn not_priced(&self) -> Vec<(&StackCost, &ResourceCost)> {
        self.stacks
            .iter()
            .flat_map(|s| s.not_priced().map(move |r| (s, r)))
            .collect()
    }

    pub fn resource_count(&self) -> usize {
        self.stacks.iter().map(|s| s.resources.len()).sum()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an estimate serializes") + "\n"
    }
}
