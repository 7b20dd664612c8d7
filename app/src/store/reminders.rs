//! Reminders: `USER#<sub>` / `REMINDER#<id>`. While pending they sit in the GSI1 "due"
//! index (`DUE#<shard>` / `<dueAt>#<sub>#<id>`); sending removes them from it.
use super::batches::to_page;
use super::item::{get_s, n, opt_s, s, Item};
use super::{sdk, Store, StoreError, StoreResult};
use crate::keys;
use crate::model::{Page, Reminder, ReminderKind, ReminderStatus};

/// Sent reminders expire from the table after this many days (TTL attribute `ttl`).
const SENT_RETENTION_DAYS: i64 = 30;

/// Outcome of trying to take a due reminder for sending.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// This run owns the reminder and must send it.
    Won,
    /// Another run already took (or finished) it.
    Lost,
}

impl Store {
    pub async fn put_reminder(&self, sub: &str, r: &Reminder) -> StoreResult<()> {
        let item = Item::from([
            ("PK".into(), s(keys::user_pk(sub))),
            ("SK".into(), s(keys::reminder_sk(&r.id))),
            ("entity".into(), s("reminder")),
            ("ownerSub".into(), s(sub)),
            ("id".into(), s(&r.id)),
            ("batchId".into(), s(&r.batch_id)),
            ("batchName".into(), s(&r.batch_name)),
            ("kind".into(), s(r.kind.as_str())),
            ("dueAt".into(), s(&r.due_at)),
            ("status".into(), s("pending")),
            ("createdAt".into(), s(&r.created_at)),
            ("GSI1PK".into(), s(keys::due_gsi1pk(keys::due_shard(&r.id)))),
            ("GSI1SK".into(), s(keys::due_gsi1sk(&r.due_at, sub, &r.id))),
        ]);
        self.put(item).await
    }

    /// The caller's reminders, newest first by creation.
    pub async fn list_reminders(
        &self,
        sub: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> StoreResult<Page<Reminder>> {
        let items = self
            .query_prefix(
                sub,
                keys::REMINDER_PREFIX,
                cursor.map(keys::reminder_sk),
                limit,
                false,
            )
            .await?;
        let mut page = to_page(items, limit, reminder_from_item)?;
        page.next_cursor = page
            .next_cursor
            .take()
            .and(page.items.last().map(|r| r.id.clone()));
        Ok(page)
    }

    /// Pending reminders due at or before `now` (a `format_ts` string), from the index
    /// only: the processor never scans the table.
    pub async fn due_reminders(&self, now: &str) -> StoreResult<Vec<Reminder>> {
        let mut due = Vec::new();
        for shard in 0..keys::DUE_SHARDS {
            let mut start = None;
            loop {
                let out = self
                    .ddb
                    .query()
                    .table_name(&self.table)
                    .index_name(contract::GSI1)
                    .key_condition_expression("GSI1PK = :pk AND GSI1SK < :cut")
                    .expression_attribute_values(":pk", s(keys::due_gsi1pk(shard)))
                    .expression_attribute_values(":cut", s(keys::due_cutoff(now)))
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(sdk)?;
                for item in out.items.unwrap_or_default() {
                    due.push(reminder_from_item(&item)?);
                }
                start = out.last_evaluated_key;
                if start.is_none() {
                    break;
                }
            }
        }
        Ok(due)
    }

    /// Marks a pending reminder sent, only if it is still pending. Of two overlapping
    /// processor runs exactly one wins; the loser must not send.
    pub async fn claim_reminder(
        &self,
        r: &Reminder,
        claim_id: &str,
        now: &str,
        now_epoch: i64,
    ) -> StoreResult<Claim> {
        let result = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(keys::user_pk(&r.owner_sub)))
            .key("SK", s(keys::reminder_sk(&r.id)))
            .update_expression(
                "SET #st = :sent, sentAt = :now, claimId = :claim, #ttl = :ttl REMOVE GSI1PK, GSI1SK",
            )
            .condition_expression("#st = :pending")
            .expression_attribute_names("#st", "status")
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":sent", s("sent"))
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":now", s(now))
            .expression_attribute_values(":claim", s(claim_id))
            .expression_attribute_values(
                ":ttl",
                n(now_epoch + SENT_RETENTION_DAYS * 24 * 3600),
            )
            .send()
            .await;
        match result {
            Ok(_) => Ok(Claim::Won),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(Claim::Lost)
            }
            Err(e) => Err(sdk(e)),
        }
    }

    /// Puts a claimed reminder back to pending after a failed delivery, only if this run
    /// still owns the claim, so the next run retries it.
    pub async fn release_reminder(&self, r: &Reminder, claim_id: &str) -> StoreResult<()> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(keys::user_pk(&r.owner_sub)))
            .key("SK", s(keys::reminder_sk(&r.id)))
            .update_expression(
                "SET #st = :pending, GSI1PK = :g1pk, GSI1SK = :g1sk REMOVE sentAt, claimId, #ttl",
            )
            .condition_expression("claimId = :claim")
            .expression_attribute_names("#st", "status")
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":claim", s(claim_id))
            .expression_attribute_values(":g1pk", s(keys::due_gsi1pk(keys::due_shard(&r.id))))
            .expression_attribute_values(
                ":g1sk",
                s(keys::due_gsi1sk(&r.due_at, &r.owner_sub, &r.id)),
            )
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }
}

pub(crate) fn reminder_from_item(item: &Item) -> StoreResult<Reminder> {
    let kind = get_s(item, "kind")?;
    let status = match get_s(item, "status")?.as_str() {
        "pending" => ReminderStatus::Pending,
        "sent" => ReminderStatus::Sent,
        other => return Err(StoreError::Corrupt(format!("reminder status {other}"))),
    };
    Ok(Reminder {
        id: get_s(item, "id")?,
        batch_id: get_s(item, "batchId")?,
        batch_name: get_s(item, "batchName")?,
        kind: ReminderKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("reminder kind {kind}")))?,
        due_at: get_s(item, "dueAt")?,
        status,
        created_at: get_s(item, "createdAt")?,
        sent_at: opt_s(item, "sentAt"),
        owner_sub: get_s(item, "ownerSub")?,
    })
}
