//! Lambda: requests and GB-seconds, memory and architecture from the template.
use super::priced;
use crate::cost::context::Context;
use crate::cost::format::count;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::{StackTemplate, TemplateResource};

pub fn function(r: &TemplateResource, stack: &StackTemplate, ctx: &Context) -> Pricing {
    let key = (stack.name.clone(), r.logical_id.clone());
    let Some(f) = ctx.functions.get(&key) else {
        unreachable!("the context indexes every function of the stage");
    };
    let p = ctx.prices;
    let arch = if f.arm64 { "arm64" } else { "x86_64" };
    let gb_seconds = f.invocations * (f.duration_ms / 1000.0) * (f.memory_mb / 1024.0);
    priced(vec![
        Line::new(
            "requests",
            f.invocations,
            p.get("lambda.requests"),
            f.basis.clone(),
        ),
        Line::new(
            &format!("compute ({} MB, {arch})", count(f.memory_mb)),
            gb_seconds,
            p.get(&format!("lambda.compute.{arch}")),
            format!(
                "{} invocations × {} ms average × {} MB (memory from the template)",
                count(f.invocations),
                count(f.duration_ms),
                count(f.memory_mb)
            ),
        ),
    ])
}

/// Free, unless they keep instances warm (provisioned concurrency has no price here).
pub fn alias_or_version(r: &TemplateResource) -> Pricing {
    if r.prop(&["ProvisionedConcurrencyConfig"]).is_some() {
        Pricing::NotPriced {
            reason: "provisioned concurrency is not in the price table".into(),
        }
    } else {
        Pricing::NoCharge {
            reason: "versions and aliases are free without provisioned concurrency".into(),
        }
    }
}
