//! Photos whose event is gone. Events keep their photo's key; an object under
//! `users/<sub>/batches/<batch>/` that no event of that batch names (the event or batch
//! was deleted, or the photo replaced) is an orphan. Finding changes nothing; removing
//! takes the list found.
use std::collections::{BTreeSet, HashMap};

use aws_sdk_s3::error::DisplayErrorContext;

use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub key: String,
    pub reason: &'static str,
}

/// Every orphaned photo in the bucket, in key order.
pub async fn find_orphans(
    store: &Store,
    s3: &aws_sdk_s3::Client,
    bucket: &str,
) -> Result<Vec<Orphan>, String> {
    let mut named: HashMap<(String, String), Option<BTreeSet<String>>> = HashMap::new();
    let mut orphans = Vec::new();
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix("users/")
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("listing {bucket}: {}", DisplayErrorContext(&e)))?;
        for key in page.contents().iter().filter_map(|o| o.key()) {
            let Some((sub, batch)) = owner_and_batch(key) else {
                orphans.push(Orphan {
                    key: key.to_string(),
                    reason: "not a photo key",
                });
                continue;
            };
            let slot = (sub.to_string(), batch.to_string());
            if !named.contains_key(&slot) {
                let keys = photo_keys(store, sub, batch).await?;
                named.insert(slot.clone(), keys);
            }
            let reason = match &named[&slot] {
                None => Some("its batch no longer exists"),
                Some(keys) if !keys.contains(key) => Some("no event of its batch refers to it"),
                Some(_) => None,
            };
            if let Some(reason) = reason {
                orphans.push(Orphan {
                    key: key.to_string(),
                    reason,
                });
            }
        }
    }
    orphans.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(orphans)
}

/// Deletes exactly these objects (the latest version; a versioned bucket keeps the old).
pub async fn remove(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    orphans: &[Orphan],
) -> Result<usize, String> {
    for orphan in orphans {
        s3.delete_object()
            .bucket(bucket)
            .key(&orphan.key)
            .send()
            .await
            .map_err(|e| format!("deleting {}: {}", orphan.key, DisplayErrorContext(&e)))?;
    }
    Ok(orphans.len())
}

/// `users/<sub>/batches/<batch>/<file>` → (sub, batch).
fn owner_and_batch(key: &str) -> Option<(&str, &str)> {
    let mut parts = key.split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("users"), Some(sub), Some("batches"), Some(batch), Some(file), None)
            if !sub.is_empty() && !batch.is_empty() && !file.is_empty() =>
        {
            Some((sub, batch))
        }
        _ => None,
    }
}

/// The photo keys the batch's events name; `None` when the batch is gone.
async fn photo_keys(
    store: &Store,
    sub: &str,
    batch: &str,
) -> Result<Option<BTreeSet<String>>, String> {
    if store
        .get_batch(sub, batch)
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Ok(None);
    }
    let mut keys = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .list_events(sub, batch, 100, cursor.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        keys.extend(
            page.items
                .iter()
                .filter_map(|e| e.photo.as_ref().map(|p| p.key.clone())),
        );
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(Some(keys)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::owner_and_batch;

    #[test]
    fn photo_keys_name_their_owner_and_batch() {
        assert_eq!(
            owner_and_batch("users/abc/batches/B1/E1.jpg"),
            Some(("abc", "B1"))
        );
        for other in [
            "users/abc/B1/E1.jpg",
            "users//batches/B1/E1.jpg",
            "users/abc/batches/B1/x/E1.jpg",
            "misc.txt",
        ] {
            assert_eq!(owner_and_batch(other), None, "{other}");
        }
    }
}
