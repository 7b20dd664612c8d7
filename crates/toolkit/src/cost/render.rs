//! An estimate for a terminal (text) or a pull request / README (Markdown). JSON is
//! [`Estimate::to_json`].
use std::collections::BTreeMap;
use std::fmt::Write;

use super::format::{count, usd};
use super::model::{BudgetCheck, BudgetStatus, Estimate, Line, Pricing, StackCost};
use super::usage::FreeTier;

pub fn text(e: &Estimate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(e));
    let _ = writeln!(out, "{}\n", usage_line(e));
    for s in &e.stacks {
        let _ = writeln!(
            out,
            "Stack {} ({}): {} a month",
            s.name,
            s.stack_name,
            usd(s.monthly_usd)
        );
        for r in &s.resources {
            match &r.pricing {
                Pricing::Priced { lines } => {
                    let _ = writeln!(
                        out,
                        "  {} {}: {}",
                        r.logical_id,
                        r.resource_type,
                        usd(r.monthly_usd)
                    );
                    for l in lines {
                        let _ = writeln!(out, "      {}", line_text(l));
                    }
                }
                Pricing::NotPriced { reason } => {
                    let _ = writeln!(
                        out,
                        "  {} {}: NOT PRICED ({reason})",
                        r.logical_id, r.resource_type
                    );
                }
                Pricing::NoCharge { .. } => {}
            }
        }
        if let Some(free) = no_charge_summary(s) {
            let _ = writeln!(out, "  no charge: {free}");
        }
        out.push('\n');
    }
    for c in &e.free_tier {
        let _ = writeln!(
            out,
            "Free tier {}: {} {} a month free, {} used: {}",
            c.key,
            count(c.allowance),
            c.unit,
            count(c.used),
            usd(c.monthly_usd)
        );
    }
    let _ = writeln!(out, "{}", total_line(e));
    if let Some(b) = &e.budget {
        let _ = writeln!(out, "{}", budget_line(b, e.total_usd));
    }
    let _ = writeln!(out, "{}", not_priced_line(e));
    for note in &e.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

/// One estimate as an object, several (`--stage all`) as an array.
pub fn json(estimates: &[Estimate]) -> String {
    let text = match estimates {
        [one] => serde_json::to_string_pretty(one),
        all => serde_json::to_string_pretty(all),
    };
    text.expect("estimates serialize") + "\n"
}

pub fn markdown(e: &Estimate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", title(e));
    let _ = writeln!(out, "{}\n", usage_line(e));
    out.push_str("| Stack | Monthly | Not priced |\n| --- | ---: | ---: |\n");
    for s in &e.stacks {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            s.name,
            usd(s.monthly_usd),
            s.not_priced().count()
        );
    }
    for c in &e.free_tier {
        let _ = writeln!(
            out,
            "| free tier: {} ({} {}) | {} | |",
            c.key,
            count(c.allowance),
            c.unit,
            usd(c.monthly_usd)
        );
    }
    let _ = writeln!(out, "| **Total** | **{}** | |\n", usd(e.total_usd));
    if let Some(b) = &e.budget {
        let _ = writeln!(out, "{}\n", budget_markdown(b, e.total_usd));
    }
    for s in &e.stacks {
        let _ = writeln!(
            out,
            "<details><summary><b>{}</b>: {}</summary>\n",
            s.name,
            usd(s.monthly_usd)
        );
        out.push_str("| Resource | Line | Monthly | Basis |\n| --- | --- | ---: | --- |\n");
        for r in &s.resources {
            match &r.pricing {
                Pricing::Priced { lines } => {
                    for l in lines {
                        let _ = writeln!(
                            out,
                            "| `{}` | {}: {} × {} | {} | {} |",
                            r.logical_id,
                            l.what,
                            count(l.quantity),
                            l.rate,
                            usd(l.monthly_usd),
                            l.basis.replace('|', "\\|")
                        );
                    }
                }
                Pricing::NotPriced { reason } => {
                    let _ = writeln!(
                        out,
                        "| `{}` | ⚠️ not priced ({}) | – | {reason} |",
                        r.logical_id, r.resource_type
                    );
                }
                Pricing::NoCharge { .. } => {}
            }
        }
        if let Some(free) = no_charge_summary(s) {
            let _ = writeln!(out, "\nNo charge: {free}.");
        }
        out.push_str("\n</details>\n\n");
    }
    let _ = writeln!(out, "{}", not_priced_line(e));
    for note in &e.notes {
        let _ = writeln!(out, "\n> {note}");
    }
    out
}

fn title(e: &Estimate) -> String {
    format!(
        "Monthly estimate for {} {} ({}, list prices of {}, table v{})",
        e.app, e.stage, e.region, e.prices_as_of, e.prices_version
    )
}

fn usage_line(e: &Estimate) -> String {
    let free = match e.free_tier_mode {
        FreeTier::AlwaysFree => "always-free allowances deducted",
        FreeTier::None => "no free tier",
    };
    format!(
        "Usage: {} monthly active users; {free}; {} resources",
        count(e.monthly_active_users),
        e.resource_count()
    )
}

/// `requests: 100,000 requests × $0.2 per 1,000,000 requests = $0.02 (basis)`.
pub fn line_text(l: &Line) -> String {
    format!(
        "{}: {} × {} = {}  ({})",
        l.what,
        count(l.quantity),
        l.rate,
        usd(l.monthly_usd),
        l.basis
    )
}

fn total_line(e: &Estimate) -> String {
    if e.free_tier.is_empty() {
        format!("Total: {} a month", usd(e.total_usd))
    } else {
        format!(
            "Total: {} a month ({} before free tiers)",
            usd(e.total_usd),
            usd(e.gross_usd)
        )
    }
}

fn not_priced_line(e: &Estimate) -> String {
    let missing = e.not_priced();
    if missing.is_empty() {
        return format!(
            "Every one of the {} resources is priced or free of charge.",
            e.resource_count()
        );
    }
    let list: Vec<String> = missing
        .iter()
        .map(|(s, r)| format!("{}/{} ({})", s.name, r.logical_id, r.resource_type))
        .collect();
    format!(
        "Not priced (left out of the total): {} resources: {}",
        missing.len(),
        list.join(", ")
    )
}

pub fn budget_line(b: &BudgetCheck, total: f64) -> String {
    let verdict = match b.status {
        BudgetStatus::Within => "within it".to_string(),
        BudgetStatus::OverThreshold => format!(
            "WARNING: {} is over the alert threshold; the budget would alert every month",
            usd(total)
        ),
        BudgetStatus::OverBudget => format!("WARNING: {} is over the budget", usd(total)),
    };
    format!(
        "Budget {} ({}): {} a month, first alert at {} = {}: {verdict}",
        b.budget,
        b.stack,
        usd(b.limit_usd),
        b.threshold_label,
        usd(b.threshold_usd)
    )
}

fn budget_markdown(b: &BudgetCheck, total: f64) -> String {
    let line = budget_line(b, total);
    match b.status {
        BudgetStatus::Within => line,
        _ => format!("> [!WARNING]\n> {line}"),
    }
}

/// `12 resources (AWS::IAM::Role ×5, AWS::Lambda::Permission ×7)`.
fn no_charge_summary(s: &StackCost) -> Option<String> {
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &s.resources {
        if matches!(r.pricing, Pricing::NoCharge { .. }) {
            *by_type.entry(&r.resource_type).or_default() += 1;
        }
    }
    let total: usize = by_type.values().sum();
    (total > 0).then(|| {
        let kinds: Vec<String> = by_type.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
        let noun = if total == 1 { "resource" } else { "resources" };
        format!("{total} {noun} ({})", kinds.join(", "))
    })
}
