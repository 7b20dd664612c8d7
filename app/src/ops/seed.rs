//! Sample data for a dev stage: per user two batches (one public), a few events of each
//! type, a pending reminder and a device. Every id is derived from the user and a fixed
//! name; a batch that exists is left as it is (batches are create-only), the other items
//! are whole-item puts, so a second run rewrites the same items: seeding is idempotent.
//! The counts are of items present afterwards, written now or before.
use crate::model::{
    Batch, BatchType, Device, Event, EventType, Reminder, ReminderKind, ReminderStatus,
};
use crate::store::{Store, StoreResult};

const CREATED_AT: &str = "2026-01-01T08:00:00Z";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub batches: usize,
    pub events: usize,
    pub reminders: usize,
    pub devices: usize,
}

/// Seeds each user (`sub`) with the same shape of data.
pub async fn seed_users(store: &Store, subs: &[String]) -> StoreResult<Seeded> {
    let mut seeded = Seeded::default();
    for (n, sub) in subs.iter().enumerate() {
        for batch in batches(n) {
            if store.get_batch(sub, &batch.id).await?.is_none() {
                store.put_batch(sub, &batch).await?;
            }
            seeded.batches += 1;
            for event in events(&batch) {
                store.put_event(sub, &event).await?;
                seeded.events += 1;
            }
            let reminder = reminder(sub, &batch);
            store.put_reminder(sub, &reminder).await?;
            seeded.reminders += 1;
        }
        store.put_device(sub, &device(n)).await?;
        seeded.devices += 1;
    }
    Ok(seeded)
}

fn batches(user: usize) -> [Batch; 2] {
    let batch = |id: &str, name: &str, batch_type, is_public| Batch {
        id: format!("SEED{user:02}{id}"),
        name: name.to_string(),
        batch_type,
        is_public,
        notes: Some("seeded sample data".into()),
        started_at: CREATED_AT.into(),
        created_at: CREATED_AT.into(),
    };
    [
        batch("MILK", "Seed milk kefir", BatchType::Milk, true),
        batch("WATER", "Seed water kefir", BatchType::Water, false),
    ]
}

fn events(batch: &Batch) -> Vec<Event> {
    [
        (EventType::Feeding, None, Some("fed 2 tbsp grains")),
        (EventType::Tasting, Some(4), Some("tangy")),
        (EventType::Note, None, Some("left on the counter")),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (event_type, rating, note))| Event {
        id: format!("{}E{i}", batch.id),
        batch_id: batch.id.clone(),
        event_type,
        occurred_at: format!("2026-01-0{}T09:00:00Z", i + 1),
        note: note.map(str::to_string),
        rating,
        photo: None,
        created_at: CREATED_AT.into(),
        batch_name: batch.name.clone(),
        batch_type: Some(batch.batch_type),
    })
    .collect()
}

fn reminder(sub: &str, batch: &Batch) -> Reminder {
    Reminder {
        id: format!("{}R", batch.id),
        batch_id: batch.id.clone(),
        batch_name: batch.name.clone(),
        kind: ReminderKind::Strain,
        // Far ahead, so the processor never sends a seeded reminder.
        due_at: "2099-01-01T00:00:00Z".into(),
        status: ReminderStatus::Pending,
        created_at: CREATED_AT.into(),
        sent_at: None,
        owner_sub: sub.to_string(),
    }
}

fn device(user: usize) -> Device {
    Device {
        token: format!("ExponentPushToken[seed-{user:02}]"),
        platform: "ios".into(),
        updated_at: CREATED_AT.into(),
    }
}
