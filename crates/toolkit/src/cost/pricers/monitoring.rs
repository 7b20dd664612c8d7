//! CloudWatch alarms, dashboards and log groups; budgets with actions.
use serde_json::Value;

use super::priced;
use crate::cost::context::Context;
use crate::cost::format::count;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::{StackTemplate, TemplateResource};

const GB: f64 = 1_000_000_000.0;

/// $0.10 per metric a month (standard resolution), $0.30 at high resolution. A metric
/// math alarm pays for each metric it reads; anomaly detection for three.
pub fn alarm(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let (metrics, period, anomaly) = match r.prop(&["Metrics"]).and_then(Value::as_array) {
        Some(queries) => {
            let stats: Vec<&Value> = queries.iter().filter_map(|q| q.get("MetricStat")).collect();
            let period = stats
                .iter()
                .filter_map(|s| {
                    s.get("Period")
                        .and_then(crate::cost::template::literal_number)
                })
                .fold(f64::INFINITY, f64::min);
            let anomaly = queries.iter().any(|q| {
                q.get("Expression")
                    .and_then(Value::as_str)
                    .is_some_and(|e| e.contains("ANOMALY_DETECTION_BAND"))
            });
            (stats.len().max(1), period, anomaly)
        }
        None => (1, r.number(&["Period"]).unwrap_or(60.0), false),
    };
    let metrics = if anomaly { metrics * 3 } else { metrics };
    let high_resolution = period < 60.0;
    let (key, resolution) = if high_resolution {
        ("cloudwatch.alarm.high_resolution", "high resolution")
    } else {
        ("cloudwatch.alarm.standard", "standard resolution")
    };
    let mut basis = format!(
        "fixed: {metrics} metric{} at {resolution} (period {} s in the template)",
        if metrics == 1 { "" } else { "s" },
        count(period)
    );
    if anomaly {
        basis.push_str(", anomaly detection counts 3 per metric");
    }
    priced(vec![Line::new(
        "alarm metrics",
        metrics as f64,
        p.get(key),
        basis,
    )])
}

pub fn composite_alarm(ctx: &Context) -> Pricing {
    priced(vec![Line::new(
        "composite alarm",
        1.0,
        ctx.prices.get("cloudwatch.alarm.composite"),
        "fixed: 1 alarm".into(),
    )])
}

pub fn dashboard(ctx: &Context) -> Pricing {
    priced(vec![Line::new(
        "dashboard",
        1.0,
        ctx.prices.get("cloudwatch.dashboard"),
        "fixed: 1 dashboard".into(),
    )])
}

/// Ingestion from the function or API writing to the group; archive at steady state is
/// a month's ingestion × retention (in months), at the uncompressed size.
pub fn log_group(r: &TemplateResource, stack: &StackTemplate, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let u = ctx.usage;
    let name = r.string(&["LogGroupName"]).unwrap_or_default();
    let is_access_log = ctx
        .access_logs
        .contains(&(stack.name.clone(), r.logical_id.clone()));
    let (gb, basis) = if let Some(f) = name
        .strip_prefix("/aws/lambda/")
        .and_then(|function| ctx.function_named(function))
    {
        (
            f.invocations * u.log_bytes_per_invocation / GB,
            format!(
                "{} invocations of {} × {} bytes each",
                count(f.invocations),
                f.short_name,
                count(u.log_bytes_per_invocation)
            ),
        )
    } else if is_access_log {
        let (requests, basis) = ctx.share(u.api_requests, "requests", "HTTP APIs");
        (
            requests * u.access_log_bytes_per_request / GB,
            format!(
                "access log of {basis} × {} bytes each",
                count(u.access_log_bytes_per_request)
            ),
        )
    } else {
        (0.0, "no usage assumption writes to it: 0 GB".to_string())
    };
    let retention_days = r.number(&["RetentionInDays"]);
    let days_per_month = p.hours_per_month / 24.0;
    let (stored, stored_basis) = match retention_days {
        Some(days) => (
            gb * days / days_per_month,
            format!(
                "{} days of it kept (retention in the template)",
                count(days)
            ),
        ),
        None => (
            gb,
            "kept forever (no retention in the template): grows by this every month".into(),
        ),
    };
    priced(vec![
        Line::new("ingestion", gb, p.get("cloudwatch.logs.ingestion"), basis),
        Line::new(
            "archive",
            stored,
            p.get("cloudwatch.logs.storage"),
            stored_basis,
        ),
    ])
}

/// An action makes its budget action-enabled: $0.10 a day after two free ones. Counted
/// once per action resource (two actions on one budget are counted twice: an upper bound).
pub fn budget_action(ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let days = p.hours_per_month / 24.0;
    priced(vec![Line::new(
        "action-enabled budget",
        days,
        p.get("budgets.action_enabled"),
        format!("fixed: {} days a month", count(days)),
    )])
}
