//! The monthly cost of a plan, on fixtures (tests/fixtures/cost): a stack with a 512 MB
//! function, an alarm and a $30 budget, changed three ways: one more alarm, a NAT gateway
//! (with its public address), the function's memory doubled.
use std::path::Path;

use serde_json::Value;
use toolkit::cost::{self, FreeTier, Rate, Subject, Usage};
use toolkit::diff::{self, StackTemplates};

const HOURS: f64 = 730.0;

fn fixture(name: &str) -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/cost/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn stacks(head: &str) -> Vec<StackTemplates> {
    vec![StackTemplates {
        name: "Backend".into(),
        stack_name: "shop-dev-backend".into(),
        old: Some(fixture("base")),
        new: Some(fixture(head)),
    }]
}

/// 100,000 invocations of 200 ms a month, list prices (no free tier) unless told.
fn usage(free_tier: FreeTier) -> Usage {
    Usage::users(1_000.0)
        .free_tier(free_tier)
        .function("api", Rate::Monthly(100_000.0), 200.0)
}

fn delta(head: &str, free_tier: FreeTier) -> cost::CostDelta {
    cost::delta::plan_delta(
        Subject {
            app: "shop",
            stage: "dev",
            region: "us-east-1",
        },
        &stacks(head),
        &usage(free_tier),
        &cost::PriceTable::for_region("us-east-1").unwrap(),
    )
    .unwrap()
}

fn assert_usd(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected ${expected}, got ${actual}"
    );
}

#[test]
fn an_added_alarm_costs_ten_cents_a_month() {
    let d = delta("head_alarm", FreeTier::None);
    assert_usd(d.change(), 0.10);
    assert_eq!(d.contributors.len(), 1);
    assert_eq!(d.contributors[0].logical_id, "ApiThrottlesAlarm");
    assert_usd(d.contributors[0].change(), 0.10);
    assert!(!d.crosses_budget_threshold);
}

#[test]
fn an_added_alarm_within_the_free_ten_costs_nothing() {
    let d = delta("head_alarm", FreeTier::AlwaysFree);
    assert_usd(d.change(), 0.0);
    // The resource still shows what it costs at list price; the free tier is per account.
    assert_usd(d.contributors[0].change(), 0.10);
}

#[test]
fn a_nat_gateway_costs_its_hours_and_address_and_crosses_the_budget() {
    let d = delta("head_nat", FreeTier::None);
    let nat = HOURS * 0.045;
    let address = HOURS * 0.005;
    assert_usd(d.change(), nat + address);
    assert_usd(nat + address, 36.50);
    let ids: Vec<&str> = d
        .contributors
        .iter()
        .map(|c| c.logical_id.as_str())
        .collect();
    assert_eq!(ids, ["NatGateway", "NatAddress"], "largest first");
    let budget = d.budget.as_ref().unwrap();
    assert_usd(budget.limit_usd, 30.0);
    assert_usd(budget.threshold_usd, 24.0);
    assert!(d.crosses_budget_threshold, "{d:#?}");

    let md = cost::delta::markdown(&d, "cost --stage dev");
    assert!(
        md.contains("### Monthly cost: $0.29 → $36.79 (+$36.50)"),
        "{md}"
    );
    assert!(md.contains("[!WARNING]"), "{md}");
    assert!(
        md.contains("| Backend | $0.29 | $36.79 | +$36.50 |"),
        "{md}"
    );
    assert!(
        md.contains("`Backend` / `NatGateway` (AWS::EC2::NatGateway): $0.00 → $32.85 (+$32.85)"),
        "{md}"
    );
    let text = cost::delta::text(&d);
    assert!(
        text.starts_with("Monthly cost: $0.29 → $36.79 (+$36.50)\n"),
        "{text}"
    );
    assert!(text.contains("BUDGET: "), "{text}");
}

#[test]
fn doubling_memory_doubles_the_compute_line() {
    let d = delta("head_memory", FreeTier::None);
    // 100,000 × 0.2 s × 0.5 GB = 10,000 GB-s more, at the x86_64 price.
    assert_usd(d.change(), 10_000.0 * 0.0000166667);
    assert_eq!(d.contributors[0].logical_id, "ApiFunction");
    assert!(!d.crosses_budget_threshold);
}

#[test]
fn the_plan_renders_its_cost_in_markdown_text_and_json() {
    let stacks = stacks("head_nat");
    let mut report = diff::diff_all("dev", "origin/main", Some("abc".into()), &stacks);
    let plain = diff::markdown::render(&report);
    assert!(!plain.contains("Monthly cost"), "no estimate, no section");
    report.cost = Some(delta("head_nat", FreeTier::None));
    let md = diff::markdown::render(&report);
    assert!(
        md.contains("### Monthly cost: $0.29 → $36.79 (+$36.50)"),
        "{md}"
    );
    let summary = md.find("| Stack | Status").unwrap();
    assert!(
        md.find("### Monthly cost").unwrap() > summary,
        "after the summary table"
    );
    let text = diff::text::render(&report, false);
    assert!(
        text.contains("Monthly cost: $0.29 → $36.79 (+$36.50)"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["cost"]["crosses_budget_threshold"], true);
    assert!((json["cost"]["after_usd"].as_f64().unwrap() - 36.79).abs() < 0.005);
}

#[test]
fn a_base_without_the_new_resources_is_not_an_error() {
    // The usage names a function only the new side has: the base side tolerates it.
    let mut stacks = stacks("base");
    stacks[0].old = None;
    let d = cost::delta::plan_delta(
        Subject {
            app: "shop",
            stage: "dev",
            region: "us-east-1",
        },
        &stacks,
        &usage(FreeTier::None),
        &cost::PriceTable::for_region("us-east-1").unwrap(),
    )
    .unwrap();
    assert_usd(d.before_usd, 0.0);
    assert!(d.after_usd > 0.0);
}
