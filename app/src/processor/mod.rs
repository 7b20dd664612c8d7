//! The reminder processor, invoked by the schedule: due reminders come from the GSI1
//! "due" index, each is claimed with a conditional write before anything is sent (so two
//! overlapping runs never both send it), then pushed to all of the owner's devices.
//!
//! Delivery is at most once per reminder: if Expo cannot be reached, the claim is
//! released and the next run retries; a crash between claim and send loses that one
//! notification rather than sending it twice.
pub mod expo;

use serde::Serialize;
use time::OffsetDateTime;

use crate::model::Reminder;
use crate::store::{Claim, Store, StoreError};
use crate::validate::format_ts;
use expo::{ExpoClient, Message, MAX_BATCH};

#[derive(Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub due: usize,
    pub sent: usize,
    /// Claimed by another run first.
    pub skipped: usize,
    /// Expo unreachable; released for the next run.
    pub failed: usize,
    pub notifications: usize,
    pub devices_removed: usize,
}

pub async fn run(
    store: &Store,
    expo: &ExpoClient,
    now: OffsetDateTime,
) -> Result<Report, StoreError> {
    let run_id = crate::model::new_id();
    let now_s = format_ts(now);
    let due = store.due_reminders(&now_s).await?;
    let mut report = Report {
        due: due.len(),
        ..Report::default()
    };
    for r in &due {
        match store
            .claim_reminder(r, &run_id, &now_s, now.unix_timestamp())
            .await?
        {
            Claim::Lost => report.skipped += 1,
            Claim::Won => match deliver(store, expo, r, &mut report).await? {
                true => report.sent += 1,
                false => {
                    store.release_reminder(r, &run_id).await?;
                    report.failed += 1;
                }
            },
        }
    }
    tracing::info!(?report, "reminder run finished");
    Ok(report)
}

/// Sends one reminder to every device of its owner. `false` means Expo could not be
/// reached for some chunk, so the reminder should be retried.
async fn deliver(
    store: &Store,
    expo: &ExpoClient,
    r: &Reminder,
    report: &mut Report,
) -> Result<bool, StoreError> {
    let devices = store.list_devices(&r.owner_sub).await?;
    for chunk in devices.chunks(MAX_BATCH) {
        let messages: Vec<Message> = chunk
            .iter()
            .map(|d| Message {
                to: d.token.clone(),
                title: "BubbleBatch".into(),
                body: r.kind.message(&r.batch_name),
                sound: "default",
                data: serde_json::json!({"batchId": r.batch_id, "reminderId": r.id}),
            })
            .collect();
        match expo.send(&messages).await {
            Ok(tickets) => {
                for (device, ticket) in chunk.iter().zip(&tickets) {
                    if ticket.device_gone() {
                        store.delete_device(&r.owner_sub, &device.token).await?;
                        report.devices_removed += 1;
                    } else if ticket.status == "ok" {
                        report.notifications += 1;
                    } else {
                        tracing::warn!(reminder = %r.id, message = ?ticket.message, "push rejected");
                    }
                }
            }
            Err(e) => {
                tracing::warn!(reminder = %r.id, error = %e, "push failed");
                return Ok(false);
            }
        }
    }
    Ok(true)
}
