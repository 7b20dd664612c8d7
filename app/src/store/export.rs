//! Export reads: batches and events of one user, in key order, one DynamoDB page at a time
//! so an export never holds a whole account in memory.
use super::batches::batch_from_item;
use super::events::event_from_item;
use super::item::{get_s, s, Item};
use super::{sdk, Store, StoreResult};
use crate::keys;
use crate::model::{Batch, Event};

#[derive(Debug, Clone)]
pub enum ExportRow {
    Batch(Batch),
    Event(Event),
}

/// One page of export rows; `sk` of each row is the resume point after it.
pub struct ExportPage {
    pub rows: Vec<(String, ExportRow)>,
    /// The key to continue after, when DynamoDB has more.
    pub next: Option<String>,
}

impl Store {
    /// Up to `limit` items after `start_after_sk` (exclusive). Batches (`BATCH#`) sort
    /// before events (`EVENT#`); devices (`DEVICE#`) sit between and are filtered out.
    pub async fn export_page(
        &self,
        sub: &str,
        start_after_sk: Option<&str>,
        limit: usize,
    ) -> StoreResult<ExportPage> {
        let start = start_after_sk.map(|sk| {
            Item::from([
                ("PK".to_string(), s(keys::user_pk(sub))),
                ("SK".to_string(), s(sk)),
            ])
        });
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND SK BETWEEN :lo AND :hi")
            .filter_expression("begins_with(SK, :b) OR begins_with(SK, :e)")
            .expression_attribute_values(":pk", s(keys::user_pk(sub)))
            .expression_attribute_values(":lo", s(keys::BATCH_PREFIX))
            // `$` sorts right after `#`: the range ends after the last EVENT# key.
            .expression_attribute_values(":hi", s("EVENT$"))
            .expression_attribute_values(":b", s(keys::BATCH_PREFIX))
            .expression_attribute_values(":e", s(keys::EVENT_PREFIX))
            .limit(limit as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(sdk)?;
        let mut rows = Vec::new();
        for item in out.items.unwrap_or_default() {
            let sk = get_s(&item, "SK")?;
            let row = if sk.starts_with(keys::BATCH_PREFIX) {
                ExportRow::Batch(batch_from_item(&item)?)
            } else {
                ExportRow::Event(event_from_item(&item)?)
            };
            rows.push((sk, row));
        }
        let next = match out.last_evaluated_key {
            Some(k) => Some(get_s(&k, "SK")?),
            None => None,
        };
        Ok(ExportPage { rows, next })
    }
}
