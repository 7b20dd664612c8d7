//! GET /public/b/{batchId}: no authentication. Only batches their owner marked public,
//! and only the fields meant for strangers: no notes, no owner, no photos, no note text.
use axum::extract::State;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::extract::PathParam;
use crate::http::{ApiResult, Reply};
use crate::{validate, App};

/// The public page shows the most recent events only.
const PUBLIC_EVENTS: usize = 100;

pub async fn get(State(app): State<App>, PathParam(raw_id): PathParam) -> ApiResult<Value> {
    let id = validate::id("batchId", &raw_id)?;
    // Private and missing batches are the same 404, so ids cannot be probed.
    let (owner, batch) = app
        .store
        .public_batch(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("batch not found"))?;
    let events = app
        .store
        .list_events(&owner, &batch.id, PUBLIC_EVENTS, None)
        .await?;
    let events: Vec<_> = events
        .items
        .iter()
        .map(|e| json!({"type": e.event_type, "occurredAt": e.occurred_at}))
        .collect();
    Ok(Reply::ok(json!({
        "id": batch.id,
        "name": batch.name,
        "type": batch.batch_type,
        "startedAt": batch.started_at,
        "events": events,
    })))
}
