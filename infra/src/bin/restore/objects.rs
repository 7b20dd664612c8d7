//! S3: bring objects back to the versions they had at a time (versioned buckets only).
use std::collections::BTreeMap;

use anyhow::{bail, Context};
use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
use aws_sdk_s3::types::BucketVersioningStatus;
use aws_sdk_s3::Client;

use crate::Stage;

/// One entry of an object's history: a version or a delete marker.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    version_id: String,
    modified_secs: f64,
    is_latest: bool,
    delete_marker: bool,
}

/// What to do with one key.
#[derive(Debug, PartialEq)]
enum Plan {
    /// The version current at the time is still current.
    Unchanged,
    /// Overwritten or deleted since: copy this version over the current one.
    Restore(String),
    /// Created after the time (or deleted before it): left alone, never deleted.
    NotThen,
}

fn plan(history: &[Entry], at_secs: f64) -> Plan {
    let then = history
        .iter()
        .filter(|e| e.modified_secs <= at_secs)
        .max_by(|a, b| a.modified_secs.total_cmp(&b.modified_secs));
    let now = history.iter().find(|e| e.is_latest);
    match then {
        Some(then) if !then.delete_marker => {
            if now.is_some_and(|n| n.version_id == then.version_id) {
                Plan::Unchanged
            } else {
                Plan::Restore(then.version_id.clone())
            }
        }
        _ => Plan::NotThen,
    }
}

pub async fn restore(
    stage: &Stage,
    bucket: &Option<String>,
    prefix: &str,
    to: DateTime,
    apply: bool,
) -> anyhow::Result<()> {
    let s3 = &stage.s3;
    let bucket = stage.bucket(bucket).await?;
    let versioning = s3
        .get_bucket_versioning()
        .bucket(&bucket)
        .send()
        .await
        .with_context(|| format!("GetBucketVersioning {bucket}"))?;
    if versioning.status() != Some(&BucketVersioningStatus::Enabled) {
        bail!(
            "versioning is not enabled on {bucket}: overwritten or deleted objects are gone \
             (the stage config's bucket_versioning is on for prod only)"
        );
    }
    let histories = histories(s3, &bucket, prefix).await?;
    let at = to.as_secs_f64();
    let (mut restored, mut unchanged, mut not_then) = (0, 0, 0);
    println!(
        "s3://{bucket}/{prefix}* as of {}: {} keys",
        to.fmt(DateTimeFormat::DateTime)?,
        histories.len()
    );
    for (key, history) in &histories {
        match plan(history, at) {
            Plan::Unchanged => unchanged += 1,
            Plan::NotThen => {
                not_then += 1;
                println!("  leave   {key} (did not exist then)");
            }
            Plan::Restore(version) => {
                restored += 1;
                println!("  restore {key} (version {version})");
                if apply {
                    copy_version(s3, &bucket, key, &version).await?;
                }
            }
        }
    }
    let verb = if apply { "restored" } else { "to restore" };
    println!("{restored} {verb}, {unchanged} unchanged, {not_then} left alone");
    if !apply && restored > 0 {
        println!("dry run: nothing copied (add --apply to copy the old versions back)");
    }
    Ok(())
}

/// Every key under the prefix with its versions and delete markers.
async fn histories(
    s3: &Client,
    bucket: &str,
    prefix: &str,
) -> anyhow::Result<BTreeMap<String, Vec<Entry>>> {
    let mut all: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    let (mut key_marker, mut version_marker) = (None::<String>, None::<String>);
    loop {
        let page = s3
            .list_object_versions()
            .bucket(bucket)
            .prefix(prefix)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await
            .with_context(|| format!("ListObjectVersions {bucket}"))?;
        for v in page.versions() {
            let entry = Entry {
                version_id: v.version_id().unwrap_or("null").to_string(),
                modified_secs: v.last_modified().map(|t| t.as_secs_f64()).unwrap_or(0.0),
                is_latest: v.is_latest().unwrap_or(false),
                delete_marker: false,
            };
            all.entry(v.key().unwrap_or_default().to_string())
                .or_default()
                .push(entry);
        }
        for m in page.delete_markers() {
            let entry = Entry {
                version_id: m.version_id().unwrap_or("null").to_string(),
                modified_secs: m.last_modified().map(|t| t.as_secs_f64()).unwrap_or(0.0),
                is_latest: m.is_latest().unwrap_or(false),
                delete_marker: true,
            };
            all.entry(m.key().unwrap_or_default().to_string())
                .or_default()
                .push(entry);
        }
        if !page.is_truncated().unwrap_or(false) {
            return Ok(all);
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
    }
}

/// A copy of the old version becomes the new current version; no version is deleted,
/// so the restore itself can be undone the same way.
async fn copy_version(s3: &Client, bucket: &str, key: &str, version: &str) -> anyhow::Result<()> {
    let source = format!("{bucket}/{}?versionId={version}", encode_key(key));
    s3.copy_object()
        .bucket(bucket)
        .key(key)
        .copy_source(source)
        .send()
        .await
        .with_context(|| format!("CopyObject {key} version {version}"))?;
    Ok(())
}

/// CopySource is `bucket/key` URL-encoded; `/` between key segments stays as is.
fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, secs: f64, latest: bool, marker: bool) -> Entry {
        Entry {
            version_id: id.into(),
            modified_secs: secs,
            is_latest: latest,
            delete_marker: marker,
        }
    }

    #[test]
    fn the_version_current_at_the_time_is_brought_back() {
        let overwritten = [
            entry("v1", 10.0, false, false),
            entry("v2", 20.0, true, false),
        ];
        assert_eq!(plan(&overwritten, 15.0), Plan::Restore("v1".into()));
        assert_eq!(plan(&overwritten, 25.0), Plan::Unchanged);
        let deleted = [
            entry("v1", 10.0, false, false),
            entry("d", 20.0, true, true),
        ];
        assert_eq!(plan(&deleted, 15.0), Plan::Restore("v1".into()));
        assert_eq!(plan(&deleted, 25.0), Plan::NotThen);
        let created_later = [entry("v1", 30.0, true, false)];
        assert_eq!(plan(&created_later, 15.0), Plan::NotThen);
    }

    #[test]
    fn copy_source_keys_are_url_encoded_but_keep_slashes() {
        assert_eq!(encode_key("users/a b/ü.jpg"), "users/a%20b/%C3%BC.jpg");
    }
}
