//! SQS queues, SNS topics, EventBridge Scheduler schedules.
use super::priced;
use crate::cost::context::Context;
use crate::cost::format::count;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::{schedule_runs_per_month, TemplateResource};

pub fn queue(r: &TemplateResource, ctx: &Context) -> Pricing {
    let fifo = r.boolean(&["FifoQueue"]) == Some(true);
    let key = if fifo {
        "sqs.fifo.requests"
    } else {
        "sqs.standard.requests"
    };
    let (requests, basis) = ctx.share(ctx.usage.queue_requests, "requests", "queues");
    priced(vec![Line::new(
        "requests",
        requests,
        ctx.prices.get(key),
        basis,
    )])
}

pub fn topic(ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let n = ctx.usage.notifications;
    let (publishes, p_basis) = ctx.share(n.publishes, "publishes", "topics");
    let (emails, e_basis) = ctx.share(n.emails, "emails", "topics");
    let (push, m_basis) = ctx.share(n.mobile_push, "mobile push notifications", "topics");
    priced(vec![
        Line::new("publishes", publishes, p.get("sns.publishes"), p_basis),
        Line::new("email deliveries", emails, p.get("sns.email"), e_basis),
        Line::new("mobile push", push, p.get("sns.mobile_push"), m_basis),
    ])
}

pub fn schedule(r: &TemplateResource, ctx: &Context) -> Pricing {
    let expression = r.string(&["ScheduleExpression"]).unwrap_or_default();
    match schedule_runs_per_month(&expression, ctx.prices.hours_per_month) {
        Some(runs) => priced(vec![Line::new(
            "invocations",
            runs,
            ctx.prices.get("scheduler.invocations"),
            format!(
                "fixed: {expression} in the template = {} a month",
                count(runs)
            ),
        )]),
        None => Pricing::NotPriced {
            reason: format!("runs of '{expression}' are not derived (only rate(...) is)"),
        },
    }
}
