//! DynamoDB: point-in-time restore into a new table, and copying items back.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
use aws_sdk_dynamodb::types::{
    AttributeValue, KeysAndAttributes, PointInTimeRecoveryStatus, PutRequest, Select,
    SseSpecification, TableStatus, WriteRequest,
};
use aws_sdk_dynamodb::Client;

use crate::Stage;

type Item = HashMap<String, AttributeValue>;

/// DynamoDB's limits per BatchGetItem and BatchWriteItem call.
const BATCH_GET: usize = 100;
const BATCH_WRITE: usize = 25;

pub async fn restore(
    stage: &Stage,
    table: &Option<String>,
    to: DateTime,
    into: Option<String>,
    wait_minutes: u64,
) -> anyhow::Result<()> {
    let ddb = &stage.dynamodb;
    let source = stage.table(table).await?;
    check_window(ddb, &source, to).await?;
    let target = into.unwrap_or_else(|| default_target(&source, to));
    let shown = to.fmt(DateTimeFormat::DateTime)?;
    println!("restoring {source} as of {shown} into {target}");
    let started = Instant::now();
    ddb.restore_table_to_point_in_time()
        .source_table_name(&source)
        .target_table_name(&target)
        .restore_date_time(to)
        // Restores are encrypted with an AWS owned key unless told otherwise; the stage's
        // table uses the AWS managed key (SSESpecification enabled), so keep that.
        .sse_specification_override(SseSpecification::builder().enabled(true).build())
        .send()
        .await
        .with_context(|| format!("RestoreTableToPointInTime {source} → {target}"))?;
    wait_active(ddb, &target, Duration::from_secs(wait_minutes * 60)).await?;
    let items = count(ddb, &target).await?;
    println!(
        "restored {target}: ACTIVE with {items} items after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "next: compare it with {source}, then `restore copy-back --stage {} --from {target}` \
         (add --apply to write); delete {target} when done",
        stage.name
    );
    Ok(())
}

/// `<table>-restored-20261130T091500Z`: the name says what it is and when it is from.
fn default_target(source: &str, to: DateTime) -> String {
    let stamp = to
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
        .replace(['-', ':'], "");
    let stamp = stamp
        .split('.')
        .next()
        .unwrap_or(&stamp)
        .trim_end_matches('Z');
    format!("{source}-restored-{stamp}Z")
}

/// Refuses before calling the restore: without PITR there is nothing to restore from, and
/// a time outside the window would fail after the request anyway.
async fn check_window(ddb: &Client, table: &str, to: DateTime) -> anyhow::Result<()> {
    let backups = ddb
        .describe_continuous_backups()
        .table_name(table)
        .send()
        .await
        .with_context(|| format!("DescribeContinuousBackups {table}"))?;
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description());
    if pitr.and_then(|p| p.point_in_time_recovery_status())
        != Some(&PointInTimeRecoveryStatus::Enabled)
    {
        bail!(
            "point-in-time recovery is not enabled on {table}: there is nothing to restore from \
             (the stage config's point_in_time_recovery is on for prod only)"
        );
    }
    // Later than the latest restorable time (about 5 minutes behind now) is refused by
    // the service itself, with its own message; earlier than the window is checked here.
    let earliest = pitr.and_then(|p| p.earliest_restorable_date_time());
    if let Some(earliest) = earliest.filter(|e| to.secs() < e.secs()) {
        bail!(
            "{} is before the earliest restorable time of {table}, {} (PITR keeps 35 days, \
             or since it was enabled)",
            to.fmt(DateTimeFormat::DateTime)?,
            earliest.fmt(DateTimeFormat::DateTime)?
        );
    }
    Ok(())
}

async fn wait_active(ddb: &Client, table: &str, timeout: Duration) -> anyhow::Result<()> {
    let local = std::env::var_os("AWS_ENDPOINT_URL").is_some();
    let poll = Duration::from_secs(if local { 1 } else { 15 });
    let deadline = Instant::now() + timeout;
    loop {
        let described = ddb.describe_table().table_name(table).send().await?;
        let status = described.table().and_then(|t| t.table_status());
        if status == Some(&TableStatus::Active) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!(
                "{table} is still {status:?} after {} min: restores of large tables take hours; \
                 watch it with `aws dynamodb describe-table --table-name {table}`",
                timeout.as_secs() / 60
            );
        }
        tokio::time::sleep(poll).await;
    }
}

/// Counted by a scan: DescribeTable's ItemCount is refreshed only every ~6 hours.
async fn count(ddb: &Client, table: &str) -> anyhow::Result<i64> {
    let mut pages = ddb
        .scan()
        .table_name(table)
        .select(Select::Count)
        .into_paginator()
        .send();
    let mut total = 0i64;
    while let Some(page) = pages.next().await {
        total += i64::from(page?.count());
    }
    Ok(total)
}

async fn scan_all(ddb: &Client, table: &str) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut pages = ddb.scan().table_name(table).into_paginator().send();
    while let Some(page) = pages.next().await {
        items.extend(
            page.with_context(|| format!("Scan {table}"))?
                .items()
                .iter()
                .cloned(),
        );
    }
    Ok(items)
}

async fn key_names(ddb: &Client, table: &str) -> anyhow::Result<Vec<String>> {
    let described = ddb
        .describe_table()
        .table_name(table)
        .send()
        .await
        .with_context(|| format!("DescribeTable {table}"))?;
    Ok(described
        .table()
        .map(|t| t.key_schema())
        .unwrap_or_default()
        .iter()
        .map(|k| k.attribute_name().to_string())
        .collect())
}

pub async fn copy_back(
    stage: &Stage,
    from: &str,
    table: &Option<String>,
    overwrite: bool,
    apply: bool,
) -> anyhow::Result<()> {
    let ddb = &stage.dynamodb;
    let live = stage.table(table).await?;
    if live == from {
        bail!("--from {from} is the stage's table itself");
    }
    let keys = key_names(ddb, &live).await?;
    if keys != key_names(ddb, from).await? {
        bail!("{from} and {live} have different key schemas");
    }
    let restored = scan_all(ddb, from).await?;
    let missing = missing_from(ddb, &live, &keys, &restored).await?;
    let chosen: Vec<&Item> = if overwrite {
        restored.iter().collect()
    } else {
        missing.iter().map(|&i| &restored[i]).collect()
    };
    println!(
        "{from}: {} items; {} missing from {live}; {} to write ({})",
        restored.len(),
        missing.len(),
        chosen.len(),
        if overwrite {
            "missing and existing, overwritten"
        } else {
            "missing only"
        }
    );
    if !apply {
        println!("dry run: nothing written (add --apply to write)");
        return Ok(());
    }
    let written = if overwrite {
        write_all(ddb, &live, &chosen).await?
    } else {
        put_if_absent(ddb, &live, &keys, &chosen).await?
    };
    println!("wrote {written} items into {live}");
    Ok(())
}

fn key_of(item: &Item, keys: &[String]) -> Item {
    keys.iter()
        .filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone())))
        .collect()
}

/// Indexes (into `items`) of the items whose key is not in `table`.
async fn missing_from(
    ddb: &Client,
    table: &str,
    keys: &[String],
    items: &[Item],
) -> anyhow::Result<Vec<usize>> {
    let mut present: Vec<Item> = Vec::new();
    for chunk in items.chunks(BATCH_GET) {
        let mut request = KeysAndAttributes::builder();
        for item in chunk {
            request = request.keys(key_of(item, keys));
        }
        let mut pending = HashMap::from([(table.to_string(), request.build()?)]);
        for attempt in 0.. {
            let output = ddb
                .batch_get_item()
                .set_request_items(Some(pending))
                .send()
                .await
                .with_context(|| format!("BatchGetItem {table}"))?;
            if let Some(found) = output.responses().and_then(|r| r.get(table)) {
                present.extend(found.iter().map(|i| key_of(i, keys)));
            }
            pending = output.unprocessed_keys().cloned().unwrap_or_default();
            if pending.is_empty() {
                break;
            }
            backoff(attempt).await?;
        }
    }
    Ok(items
        .iter()
        .enumerate()
        .filter(|(_, item)| !present.contains(&key_of(item, keys)))
        .map(|(i, _)| i)
        .collect())
}

/// Only where no item with that key exists (an item written since the restore point,
/// or re-created by a user, wins over the restored copy).
async fn put_if_absent(
    ddb: &Client,
    table: &str,
    keys: &[String],
    items: &[&Item],
) -> anyhow::Result<usize> {
    let mut written = 0;
    for item in items {
        let result = ddb
            .put_item()
            .table_name(table)
            .set_item(Some((*item).clone()))
            .condition_expression("attribute_not_exists(#k)")
            .expression_attribute_names("#k", &keys[0])
            .send()
            .await;
        match result {
            Ok(_) => written += 1,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) => {}
            Err(e) => return Err(e).with_context(|| format!("PutItem {table}")),
        }
    }
    Ok(written)
}

async fn write_all(ddb: &Client, table: &str, items: &[&Item]) -> anyhow::Result<usize> {
    for chunk in items.chunks(BATCH_WRITE) {
        let mut pending: Vec<WriteRequest> = chunk
            .iter()
            .map(|item| {
                let put = PutRequest::builder()
                    .set_item(Some((*item).clone()))
                    .build()?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<anyhow::Result<_>>()?;
        for attempt in 0.. {
            let output = ddb
                .batch_write_item()
                .request_items(table, pending)
                .send()
                .await
                .with_context(|| format!("BatchWriteItem {table}"))?;
            pending = output
                .unprocessed_items()
                .and_then(|u| u.get(table))
                .cloned()
                .unwrap_or_default();
            if pending.is_empty() {
                break;
            }
            backoff(attempt).await?;
        }
    }
    Ok(items.len())
}

/// Unprocessed keys or items mean throttling: wait 100 ms doubling, give up after 8 tries.
async fn backoff(attempt: u32) -> anyhow::Result<()> {
    if attempt >= 8 {
        bail!("DynamoDB kept returning unprocessed requests (throttled); run again later");
    }
    tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_target_names_the_restore_time() {
        let to = DateTime::from_str("2026-11-30T09:15:00Z", DateTimeFormat::DateTime).unwrap();
        assert_eq!(
            default_target("bubblebatch-prod-table", to),
            "bubblebatch-prod-table-restored-20261130T091500Z"
        );
    }
}
