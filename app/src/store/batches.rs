//! Batches: `USER#<sub>` / `BATCH#<id>`; public ones also carry `GSI1PK = PUBLIC#<id>`.
use aws_sdk_dynamodb::types::AttributeValue;

use super::item::{get_bool, get_s, opt_s, put_opt, s, Item};
use super::{sdk, Store, StoreError, StoreResult};
use crate::keys;
use crate::model::{Batch, BatchType, Page};

impl Store {
    pub async fn put_batch(&self, sub: &str, b: &Batch) -> StoreResult<()> {
        let mut item = Item::from([
            ("PK".into(), s(keys::user_pk(sub))),
            ("SK".into(), s(keys::batch_sk(&b.id))),
            ("entity".into(), s("batch")),
            ("ownerSub".into(), s(sub)),
            ("id".into(), s(&b.id)),
            ("name".into(), s(&b.name)),
            ("type".into(), s(b.batch_type.as_str())),
            ("isPublic".into(), AttributeValue::Bool(b.is_public)),
            ("startedAt".into(), s(&b.started_at)),
            ("createdAt".into(), s(&b.created_at)),
        ]);
        put_opt(&mut item, "notes", &b.notes);
        if b.is_public {
            // Sparse index: only public batches are findable without knowing the owner.
            item.insert("GSI1PK".into(), s(keys::public_gsi1pk(&b.id)));
            item.insert("GSI1SK".into(), s(keys::PUBLIC_GSI1SK));
        }
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            // A new ULID never collides; the condition guards against a retried PUT
            // overwriting a batch whose events already reference it.
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    pub async fn get_batch(&self, sub: &str, id: &str) -> StoreResult<Option<Batch>> {
        let out = self
            .ddb
            .get_item()
            .table_name(&self.table)
            .key("PK", s(keys::user_pk(sub)))
            .key("SK", s(keys::batch_sk(id)))
            .send()
            .await
            .map_err(sdk)?;
        out.item.as_ref().map(batch_from_item).transpose()
    }

    /// Newest first (ULID ids sort by creation time).
    pub async fn list_batches(
        &self,
        sub: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> StoreResult<Page<Batch>> {
        let items = self
            .query_prefix(
                sub,
                keys::BATCH_PREFIX,
                cursor.map(keys::batch_sk),
                limit,
                false,
            )
            .await?;
        let mut page = to_page(items, limit, batch_from_item)?;
        page.next_cursor = page
            .next_cursor
            .take()
            .and(page.items.last().map(|b| b.id.clone()));
        Ok(page)
    }

    /// Looks a batch up by id alone through the sparse public index. Returns the owner
    /// too, so the caller can read the batch's events from the owner's partition.
    pub async fn public_batch(&self, id: &str) -> StoreResult<Option<(String, Batch)>> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .index_name(contract::GSI1)
            .key_condition_expression("GSI1PK = :pk AND GSI1SK = :sk")
            .expression_attribute_values(":pk", s(keys::public_gsi1pk(id)))
            .expression_attribute_values(":sk", s(keys::PUBLIC_GSI1SK))
            .limit(1)
            .send()
            .await
            .map_err(sdk)?;
        match out.items.unwrap_or_default().first() {
            Some(item) if get_bool(item, "isPublic") => {
                Ok(Some((get_s(item, "ownerSub")?, batch_from_item(item)?)))
            }
            _ => Ok(None),
        }
    }

    /// One query page within the caller's partition, `limit + 1` items so we know
    /// whether another page exists without an extra round trip.
    pub(crate) async fn query_prefix(
        &self,
        sub: &str,
        prefix: &str,
        start_after_sk: Option<String>,
        limit: usize,
        forward: bool,
    ) -> StoreResult<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = start_after_sk.map(|sk| {
            Item::from([
                ("PK".to_string(), s(keys::user_pk(sub))),
                ("SK".to_string(), s(sk)),
            ])
        });
        // DynamoDB may stop early at 1 MB; keep reading until we have enough.
        loop {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                .expression_attribute_values(":pk", s(keys::user_pk(sub)))
                .expression_attribute_values(":prefix", s(prefix))
                .scan_index_forward(forward)
                .limit((limit + 1 - items.len()) as i32)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(sdk)?;
            items.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if items.len() > limit || start.is_none() {
                return Ok(items);
            }
        }
    }
}

/// Cuts a `limit + 1` result to a page; `next_cursor` is a marker the caller fills in.
pub(crate) fn to_page<T>(
    mut items: Vec<Item>,
    limit: usize,
    convert: impl Fn(&Item) -> StoreResult<T>,
) -> StoreResult<Page<T>> {
    let more = items.len() > limit;
    items.truncate(limit);
    Ok(Page {
        items: items.iter().map(convert).collect::<StoreResult<_>>()?,
        next_cursor: more.then(String::new),
    })
}

pub(crate) fn batch_from_item(item: &Item) -> StoreResult<Batch> {
    let t = get_s(item, "type")?;
    Ok(Batch {
        id: get_s(item, "id")?,
        name: get_s(item, "name")?,
        batch_type: BatchType::parse(&t)
            .ok_or_else(|| StoreError::Corrupt(format!("batch type {t}")))?,
        is_public: get_bool(item, "isPublic"),
        notes: opt_s(item, "notes"),
        started_at: get_s(item, "startedAt")?,
        created_at: get_s(item, "createdAt")?,
    })
}
