//! The estimate against the stage's `AWS::Budgets::Budget`: over its lowest notification
//! threshold, the budget would alert every month.
use serde_json::Value;

use super::format::{count, usd};
use super::model::{BudgetCheck, BudgetStatus};
use super::template::{literal_number, StackTemplate, TemplateResource};

pub fn check(
    stacks: &[StackTemplate],
    total_usd: f64,
    notes: &mut Vec<String>,
) -> Option<BudgetCheck> {
    let budgets: Vec<(&StackTemplate, &TemplateResource)> = stacks
        .iter()
        .flat_map(|s| s.resources.iter().map(move |r| (s, r)))
        .filter(|(_, r)| r.resource_type == "AWS::Budgets::Budget")
        .collect();
    let mut checks: Vec<BudgetCheck> = Vec::new();
    for (stack, r) in &budgets {
        match read(stack, r, total_usd) {
            Ok(check) => checks.push(check),
            Err(why) => notes.push(format!(
                "Budget {}/{} is not compared with the estimate: {why}.",
                stack.name, r.logical_id
            )),
        }
        if r.prop(&["Budget", "CostFilters"]).is_none()
            && r.prop(&["Budget", "FilterExpression"]).is_none()
        {
            notes.push(format!(
                "Budget {}/{} has no cost filter: it tracks the whole account, not only this stage.",
                stack.name, r.logical_id
            ));
        }
    }
    if checks.len() > 1 {
        notes.push(format!(
            "{} budgets in the stage: the estimate is compared with the smallest.",
            checks.len()
        ));
    }
    checks
        .into_iter()
        .min_by(|a, b| a.limit_usd.total_cmp(&b.limit_usd))
}

fn read(
    stack: &StackTemplate,
    r: &TemplateResource,
    total_usd: f64,
) -> Result<BudgetCheck, String> {
    let budget = r.prop(&["Budget"]).ok_or("no Budget property")?;
    let time_unit = budget.get("TimeUnit").and_then(Value::as_str);
    if time_unit != Some("MONTHLY") {
        return Err(format!(
            "its time unit is {}, not MONTHLY",
            time_unit.unwrap_or("unset")
        ));
    }
    let limit = budget
        .get("BudgetLimit")
        .and_then(|l| l.get("Amount"))
        .and_then(literal_number)
        .ok_or("its limit is not a literal amount")?;
    let unit = budget
        .get("BudgetLimit")
        .and_then(|l| l.get("Unit"))
        .and_then(Value::as_str);
    if unit != Some("USD") {
        return Err(format!(
            "its limit is in {}, not USD",
            unit.unwrap_or("no unit")
        ));
    }
    let thresholds = r
        .prop(&["NotificationsWithSubscribers"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| n.get("Notification"))
        .filter_map(|n| {
            let value = n.get("Threshold").and_then(literal_number)?;
            let percent = n.get("ThresholdType").and_then(Value::as_str) != Some("ABSOLUTE_VALUE");
            let kind = n
                .get("NotificationType")
                .and_then(Value::as_str)
                .unwrap_or("ACTUAL")
                .to_lowercase();
            Some(if percent {
                (
                    limit * value / 100.0,
                    format!("{}% of the limit ({kind})", count(value)),
                )
            } else {
                (value, format!("{} ({kind})", usd(value)))
            })
        });
    let (threshold_usd, threshold_label) = thresholds
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((limit, "the limit (no notification)".to_string()));
    let status = if total_usd > limit {
        BudgetStatus::OverBudget
    } else if total_usd > threshold_usd {
        BudgetStatus::OverThreshold
    } else {
        BudgetStatus::Within
    };
    Ok(BudgetCheck {
        budget: r
            .string(&["Budget", "BudgetName"])
            .unwrap_or_else(|| r.logical_id.clone()),
        stack: stack.name.clone(),
        limit_usd: limit,
        threshold_usd,
        threshold_label,
        status,
    })
}
