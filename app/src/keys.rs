//! The single-table key schema: every entity and how it is addressed. app/README.md
//! documents the same table; keep them in step.
//!
//! | entity   | PK            | SK                          | GSI1PK            | GSI1SK                        |
//! |----------|---------------|-----------------------------|-------------------|-------------------------------|
//! | batch    | USER#<sub>    | BATCH#<batchId>             | PUBLIC#<batchId>¹ | BATCH                          |
//! | event    | USER#<sub>    | EVENT#<batchId>#<eventId>   |                   |                               |
//! | reminder | USER#<sub>    | REMINDER#<reminderId>       | DUE#<shard>²      | <dueAt>#<sub>#<reminderId>    |
//! | device   | USER#<sub>    | DEVICE#<expoToken>          |                   |                               |
//!
//! ¹ only while the batch is public (sparse index). ² only while the reminder is pending.
//! Ids are ULIDs, so SK order within a prefix is creation order.

pub fn user_pk(sub: &str) -> String {
    format!("USER#{sub}")
}

pub const BATCH_PREFIX: &str = "BATCH#";
pub const EVENT_PREFIX: &str = "EVENT#";
pub const REMINDER_PREFIX: &str = "REMINDER#";
pub const DEVICE_PREFIX: &str = "DEVICE#";

pub fn batch_sk(batch_id: &str) -> String {
    format!("{BATCH_PREFIX}{batch_id}")
}

pub fn event_prefix(batch_id: &str) -> String {
    format!("{EVENT_PREFIX}{batch_id}#")
}

pub fn event_sk(batch_id: &str, event_id: &str) -> String {
    format!("{EVENT_PREFIX}{batch_id}#{event_id}")
}

pub fn reminder_sk(reminder_id: &str) -> String {
    format!("{REMINDER_PREFIX}{reminder_id}")
}

pub fn device_sk(token: &str) -> String {
    format!("{DEVICE_PREFIX}{token}")
}

pub fn public_gsi1pk(batch_id: &str) -> String {
    format!("PUBLIC#{batch_id}")
}

pub const PUBLIC_GSI1SK: &str = "BATCH";

/// Pending reminders are spread over a few index partitions so one busy minute does not
/// make a hot key; the processor queries every shard.
pub const DUE_SHARDS: u32 = 4;

pub fn due_gsi1pk(shard: u32) -> String {
    format!("DUE#{shard}")
}

/// Shard from the ULID's random tail: stable for an id, evenly spread.
pub fn due_shard(reminder_id: &str) -> u32 {
    reminder_id.bytes().last().map(u32::from).unwrap_or(0) % DUE_SHARDS
}

/// `dueAt` first (fixed-width UTC) so `GSI1SK < cutoff` selects exactly the due items.
pub fn due_gsi1sk(due_at: &str, sub: &str, reminder_id: &str) -> String {
    format!("{due_at}#{sub}#{reminder_id}")
}

/// Upper bound for "due at or before `now`": `$` sorts right after the `#` separator.
pub fn due_cutoff(now: &str) -> String {
    format!("{now}$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_cutoff_includes_now_and_excludes_later() {
        let now = "2025-06-01T12:00:00Z";
        let cut = due_cutoff(now);
        assert!(due_gsi1sk(now, "u", "r").as_str() < cut.as_str());
        assert!(due_gsi1sk("2025-06-01T11:59:59Z", "u", "r").as_str() < cut.as_str());
        assert!(due_gsi1sk("2025-06-01T12:00:01Z", "u", "r").as_str() > cut.as_str());
    }

    #[test]
    fn event_prefix_does_not_match_other_batches() {
        assert!(event_sk("B1", "E").starts_with(&event_prefix("B1")));
        assert!(!event_sk("B10", "E").starts_with(&event_prefix("B1")));
    }
}
