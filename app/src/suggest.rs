//! Reminder suggestions from a batch's type and its latest events. Pure: no I/O, so the
//! fermentation rules are tested directly.
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::model::{Batch, BatchType, Event, EventType, ReminderKind};
use crate::validate::{format_ts, parse_stored_ts};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub kind: ReminderKind,
    pub due_at: String,
    pub overdue: bool,
    pub reason: String,
}

/// Milk kefir grains finish a ferment in about a day at room temperature.
const MILK_STRAIN_AFTER: Duration = Duration::hours(24);
/// Water kefir: ~48 h first ferment, then bottles build pressure for ~1–2 days.
const WATER_BOTTLE_AFTER: Duration = Duration::hours(48);
const WATER_BURP_AFTER: Duration = Duration::hours(24);
const WATER_FRIDGE_AFTER: Duration = Duration::hours(48);

fn latest(events: &[Event], types: &[EventType]) -> Option<OffsetDateTime> {
    events
        .iter()
        .filter(|e| types.contains(&e.event_type))
        .filter_map(|e| parse_stored_ts(&e.occurred_at))
        .max()
}

pub fn suggest(batch: &Batch, events: &[Event], now: OffsetDateTime) -> Vec<Suggestion> {
    let started = parse_stored_ts(&batch.started_at).unwrap_or(now);
    // The current ferment began at the last feeding/straining, or at the start.
    let ferment_start = latest(events, &[EventType::Feeding, EventType::Straining])
        .map_or(started, |t| t.max(started));
    let bottled = latest(events, &[EventType::Bottling]).filter(|b| *b >= ferment_start);
    let make = |kind, at: OffsetDateTime, why: &str| {
        let overdue = at < now;
        Suggestion {
            kind,
            // An overdue task is suggested for right away rather than in the past.
            due_at: format_ts(if overdue { now } else { at }),
            overdue,
            reason: why.to_string(),
        }
    };
    match (batch.batch_type, bottled) {
        (BatchType::Milk, _) => vec![make(
            ReminderKind::Strain,
            ferment_start + MILK_STRAIN_AFTER,
            "milk kefir is usually strained about 24 h after the last feeding or straining",
        )],
        (BatchType::Water, None) => vec![make(
            ReminderKind::Bottle,
            ferment_start + WATER_BOTTLE_AFTER,
            "water kefir's first ferment takes about 48 h",
        )],
        (BatchType::Water, Some(b)) => vec![
            make(
                ReminderKind::Burp,
                b + WATER_BURP_AFTER,
                "release pressure about a day after bottling",
            ),
            make(
                ReminderKind::Refrigerate,
                b + WATER_FRIDGE_AFTER,
                "a second ferment of about 48 h gives good carbonation",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn batch(t: BatchType, started: &str) -> Batch {
        Batch {
            id: "B".into(),
            name: "n".into(),
            batch_type: t,
            is_public: false,
            notes: None,
            started_at: started.into(),
            created_at: started.into(),
        }
    }

    fn event(t: EventType, at: &str) -> Event {
        Event {
            id: "E".into(),
            batch_id: "B".into(),
            event_type: t,
            occurred_at: at.into(),
            note: None,
            rating: None,
            photo: None,
            created_at: at.into(),
            batch_name: "n".into(),
            batch_type: None,
        }
    }

    #[test]
    fn milk_is_strained_a_day_after_last_straining() {
        let now = datetime!(2025-06-02 09:00 UTC);
        let b = batch(BatchType::Milk, "2025-06-01T08:00:00Z");
        let s = suggest(
            &b,
            &[event(EventType::Straining, "2025-06-02T08:30:00Z")],
            now,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, ReminderKind::Strain);
        assert_eq!(s[0].due_at, "2025-06-03T08:30:00Z");
        assert!(!s[0].overdue);
    }

    #[test]
    fn overdue_suggestion_is_due_now() {
        let now = datetime!(2025-06-05 09:00 UTC);
        let s = suggest(&batch(BatchType::Milk, "2025-06-01T08:00:00Z"), &[], now);
        assert!(s[0].overdue);
        assert_eq!(s[0].due_at, "2025-06-05T09:00:00Z");
    }

    #[test]
    fn water_bottled_gets_burp_and_fridge() {
        let now = datetime!(2025-06-03 09:00 UTC);
        let b = batch(BatchType::Water, "2025-06-01T08:00:00Z");
        let s = suggest(
            &b,
            &[event(EventType::Bottling, "2025-06-03T08:00:00Z")],
            now,
        );
        let kinds: Vec<_> = s.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![ReminderKind::Burp, ReminderKind::Refrigerate]);
        assert_eq!(s[1].due_at, "2025-06-05T08:00:00Z");
        // A feeding after the bottling starts a new first ferment.
        let s = suggest(
            &b,
            &[
                event(EventType::Bottling, "2025-06-03T08:00:00Z"),
                event(EventType::Feeding, "2025-06-03T08:30:00Z"),
            ],
            now,
        );
        assert_eq!(s[0].kind, ReminderKind::Bottle);
        assert_eq!(s[0].due_at, "2025-06-05T08:30:00Z");
    }
}
