//! DynamoDB tables, S3 buckets, RDS instances: capacity and storage from the template,
//! traffic and size from usage.
use serde_json::Value;

use super::priced;
use crate::cost::context::Context;
use crate::cost::format::count;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::TemplateResource;
use crate::cost::usage::Rate;

const NO_USAGE: &str = "no usage declared for it";

pub fn table(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let u = ctx.usage;
    let name = ctx.short_name(r, "TableName");
    let usage = u.tables.iter().find(|t| t.name == name);
    let rate_or_zero =
        |pick: fn(&crate::cost::usage::TableUsage) -> Rate| usage.map(pick).unwrap_or(Rate::ZERO);
    let explain = |rate: Rate, unit: &str| match usage {
        Some(_) => u.explain(rate, unit),
        None => format!("{NO_USAGE}: 0 {unit}"),
    };
    let indexes = r
        .prop(&["GlobalSecondaryIndexes"])
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let storage = rate_or_zero(|t| t.storage_gb);
    let mut lines = Vec::new();
    // CloudFormation's default billing mode is PROVISIONED.
    if r.string(&["BillingMode"]).as_deref() == Some("PAY_PER_REQUEST") {
        let reads = rate_or_zero(|t| t.reads);
        let writes = rate_or_zero(|t| t.writes);
        lines.push(Line::new(
            "reads",
            u.monthly(reads),
            p.get("dynamodb.on_demand.reads"),
            explain(reads, "reads"),
        ));
        let mut write_basis = explain(writes, "writes");
        if indexes > 0 {
            write_basis.push_str(&format!(
                ", × {} (table + {indexes} global secondary index{})",
                indexes + 1,
                if indexes == 1 { "" } else { "es" }
            ));
        }
        lines.push(Line::new(
            "writes",
            u.monthly(writes) * (indexes as f64 + 1.0),
            p.get("dynamodb.on_demand.writes"),
            write_basis,
        ));
    } else {
        let (rcu, wcu) = provisioned_capacity(r);
        let hours = p.hours_per_month;
        for (what, units, key) in [
            ("read capacity", rcu, "dynamodb.provisioned.rcu"),
            ("write capacity", wcu, "dynamodb.provisioned.wcu"),
        ] {
            lines.push(Line::new(
                what,
                units * hours,
                p.get(key),
                format!(
                    "fixed: {} units (table and indexes, from the template) × {} hours",
                    count(units),
                    count(hours)
                ),
            ));
        }
    }
    lines.push(Line::new(
        "storage",
        u.monthly(storage),
        p.get("dynamodb.storage"),
        explain(storage, "GB"),
    ));
    let pitr = r.boolean(&[
        "PointInTimeRecoverySpecification",
        "PointInTimeRecoveryEnabled",
    ]) == Some(true);
    if pitr {
        lines.push(Line::new(
            "point-in-time recovery",
            u.monthly(storage),
            p.get("dynamodb.pitr"),
            format!(
                "enabled in the template; table size: {}",
                explain(storage, "GB")
            ),
        ));
    }
    priced(lines)
}

/// Read and write capacity units of the table and its indexes.
fn provisioned_capacity(r: &TemplateResource) -> (f64, f64) {
    let units = |v: &Value| {
        let get = |k: &str| {
            v.get("ProvisionedThroughput")
                .and_then(|t| t.get(k))
                .and_then(crate::cost::template::literal_number)
                .unwrap_or(0.0)
        };
        (get("ReadCapacityUnits"), get("WriteCapacityUnits"))
    };
    let (mut rcu, mut wcu) = units(&r.properties);
    for index in r
        .prop(&["GlobalSecondaryIndexes"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (r, w) = units(index);
        rcu += r;
        wcu += w;
    }
    (rcu, wcu)
}

pub fn bucket(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let u = ctx.usage;
    let name = ctx.short_name(r, "BucketName");
    let usage = u.buckets.iter().find(|b| b.name == name);
    let explain = |rate: Rate, unit: &str| match usage {
        Some(_) => u.explain(rate, unit),
        None => format!("{NO_USAGE}: 0 {unit}"),
    };
    let pick = |f: fn(&crate::cost::usage::BucketUsage) -> Rate| usage.map(f).unwrap_or(Rate::ZERO);
    let storage = pick(|b| b.storage_gb);
    let objects = pick(|b| b.objects);
    let writes = pick(|b| b.writes);
    let reads = pick(|b| b.reads);
    let mut lines = Vec::new();
    if intelligent_tiering_from_upload(r) {
        lines.push(Line::new(
            "storage (Intelligent-Tiering)",
            u.monthly(storage),
            p.get("s3.intelligent_tiering.storage"),
            format!(
                "{}; the template moves every object to Intelligent-Tiering on day 0, \
                 priced at its frequent-access tier",
                explain(storage, "GB")
            ),
        ));
        lines.push(Line::new(
            "Intelligent-Tiering monitoring",
            u.monthly(objects),
            p.get("s3.intelligent_tiering.monitoring"),
            explain(objects, "objects"),
        ));
    } else {
        lines.push(Line::new(
            "storage (Standard)",
            u.monthly(storage),
            p.get("s3.standard.storage"),
            explain(storage, "GB"),
        ));
    }
    lines.push(Line::new(
        "PUT/COPY/POST/LIST requests",
        u.monthly(writes),
        p.get("s3.requests.write"),
        explain(writes, "requests"),
    ));
    lines.push(Line::new(
        "GET requests",
        u.monthly(reads),
        p.get("s3.requests.read"),
        explain(reads, "requests"),
    ));
    priced(lines)
}

/// A lifecycle rule for every object (no prefix or filter) moving it to
/// Intelligent-Tiering on day 0.
fn intelligent_tiering_from_upload(r: &TemplateResource) -> bool {
    let rules = r
        .prop(&["LifecycleConfiguration", "Rules"])
        .and_then(Value::as_array);
    rules.into_iter().flatten().any(|rule| {
        let whole_bucket = rule.get("Prefix").is_none() && rule.get("Filter").is_none();
        let enabled = rule.get("Status").and_then(Value::as_str) == Some("Enabled");
        let day_zero = rule
            .get("Transitions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|t| {
                t.get("StorageClass").and_then(Value::as_str) == Some("INTELLIGENT_TIERING")
                    && t.get("TransitionInDays")
                        .and_then(crate::cost::template::literal_number)
                        == Some(0.0)
            });
        whole_bucket && enabled && day_zero
    })
}

pub fn db_instance(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let (Some(class), Some(engine)) = (r.string(&["DBInstanceClass"]), r.string(&["Engine"]))
    else {
        return Pricing::NotPriced {
            reason: "instance class or engine is not a literal in the template".into(),
        };
    };
    let family = match engine.as_str() {
        "postgres" => "postgres",
        "mysql" => "mysql",
        _ => {
            return Pricing::NotPriced {
                reason: format!("engine {engine} is not in the price table"),
            }
        }
    };
    let Some(instance) = p.find(&format!("rds.{family}.{class}")) else {
        return Pricing::NotPriced {
            reason: format!("no price for {engine} {class} in the price table"),
        };
    };
    let storage_type = r.string(&["StorageType"]).unwrap_or_else(|| "gp2".into());
    let Some(storage_price) = p.find(&format!("rds.storage.{storage_type}")) else {
        return Pricing::NotPriced {
            reason: format!("no price for RDS {storage_type} storage in the price table"),
        };
    };
    let multi_az = r.boolean(&["MultiAZ"]) == Some(true);
    let copies = if multi_az { 2.0 } else { 1.0 };
    let az_note = if multi_az {
        "Multi-AZ (a standby doubles it)"
    } else {
        "Single-AZ"
    };
    let gb = r.number(&["AllocatedStorage"]).unwrap_or(0.0);
    priced(vec![
        Line::new(
            &format!("instance ({class}, {engine})"),
            p.hours_per_month * copies,
            instance,
            format!(
                "fixed: {} hours, {az_note}, class from the template",
                count(p.hours_per_month)
            ),
        ),
        Line::new(
            &format!("storage ({storage_type})"),
            gb * copies,
            storage_price,
            format!(
                "fixed: {} GB allocated in the template, {az_note}; backups up to that size are free",
                count(gb)
            ),
        ),
    ])
}
