//! GET /batches/{id}/reminders/suggestions, POST /batches/{id}/reminders/confirm,
//! GET /me/reminders.
use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};
use time::Duration;

use crate::error::ApiError;
use crate::http::extract::{JsonBody, PathParam, QueryParams};
use crate::http::{ApiResult, Reply};
use crate::identity::Caller;
use crate::model::{Page, Reminder, ReminderKind, ReminderStatus};
use crate::suggest::suggest;
use crate::{validate, App};

/// Suggestions look at this many most recent events; older ones cannot move the anchor.
const RECENT_EVENTS: usize = 50;
const MAX_AHEAD_DAYS: i64 = 30;
const PAGE_DEFAULT: usize = 50;
const PAGE_MAX: usize = 200;

pub async fn suggestions(
    State(app): State<App>,
    Caller { sub }: Caller,
    PathParam(batch_id): PathParam,
) -> ApiResult<Value> {
    let batch = super::own_batch(&app, &sub, &batch_id).await?;
    let events = app
        .store
        .list_events(&sub, &batch.id, RECENT_EVENTS, None)
        .await?;
    let items = suggest(&batch, &events.items, app.now());
    Ok(Reply::ok(json!({ "batchId": batch.id, "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Confirm {
    kind: String,
    due_at: String,
}

pub async fn confirm(
    State(app): State<App>,
    Caller { sub }: Caller,
    PathParam(batch_id): PathParam,
    JsonBody(body): JsonBody<Confirm>,
) -> ApiResult<Reminder> {
    let kind = ReminderKind::parse(&body.kind).ok_or_else(|| {
        ApiError::bad_request("`kind` must be one of: strain, feed, bottle, burp, refrigerate")
    })?;
    let now = app.now();
    // A minute of slack so a suggestion "due now" can be confirmed as is.
    let due = validate::timestamp(
        "dueAt",
        &body.due_at,
        now - Duration::minutes(1),
        now + Duration::days(MAX_AHEAD_DAYS),
    )?;
    let batch = super::own_batch(&app, &sub, &batch_id).await?;
    let reminder = Reminder {
        id: crate::model::new_id(),
        batch_id: batch.id,
        batch_name: batch.name,
        kind,
        due_at: validate::format_ts(due),
        status: ReminderStatus::Pending,
        created_at: validate::format_ts(now),
        sent_at: None,
        owner_sub: sub.clone(),
    };
    app.store.put_reminder(&sub, &reminder).await?;
    Ok(Reply::created(reminder))
}

pub async fn mine(
    State(app): State<App>,
    Caller { sub }: Caller,
    query: QueryParams,
) -> ApiResult<Page<Reminder>> {
    let limit = validate::limit(query.single("limit")?, PAGE_DEFAULT, PAGE_MAX)?;
    let cursor = validate::cursor(query.single("cursor")?)?;
    let page = app
        .store
        .list_reminders(&sub, limit, cursor.as_deref())
        .await?;
    Ok(Reply::ok(page))
}
