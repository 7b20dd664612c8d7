//! One module per Lambda handler group. Handlers validate input, call the store, and
//! shape the response; they never build keys themselves.
pub mod auth;
pub mod batches;
pub mod devices;
pub mod events;
pub mod export;
pub mod public;
pub mod reminders;

use crate::error::ApiError;
use crate::model::Batch;
use crate::{validate, App};

/// Validates a batch id from the path and loads it from the caller's partition. Another
/// user's batch is simply absent there, so it is the same 404 as a missing one.
pub(crate) async fn own_batch(app: &App, sub: &str, raw_id: &str) -> Result<Batch, ApiError> {
    let id = validate::id("batch id", raw_id)?;
    app.store
        .get_batch(sub, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("batch not found"))
}
