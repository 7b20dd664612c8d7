//! POST /batches, GET /batches, GET /batches/{id}.
use axum::extract::State;
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::extract::{JsonBody, PathParam, QueryParams};
use crate::http::{ApiResult, Reply};
use crate::identity::Caller;
use crate::model::{Batch, BatchType, Page};
use crate::{validate, App};

pub const NAME_MAX: usize = 100;
pub const NOTES_MAX: usize = 2000;
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateBatch {
    name: String,
    #[serde(rename = "type")]
    batch_type: String,
    #[serde(default)]
    is_public: bool,
    notes: Option<String>,
    started_at: Option<String>,
}

pub async fn create(
    State(app): State<App>,
    Caller { sub }: Caller,
    JsonBody(body): JsonBody<CreateBatch>,
) -> ApiResult<Batch> {
    let now = app.now();
    let batch = Batch {
        id: crate::model::new_id(),
        name: validate::required_text("name", &body.name, NAME_MAX)?,
        batch_type: BatchType::parse(&body.batch_type)
            .ok_or_else(|| ApiError::bad_request("`type` must be one of: milk, water"))?,
        is_public: body.is_public,
        notes: validate::optional_text("notes", body.notes.as_deref(), NOTES_MAX)?,
        started_at: match body.started_at.as_deref() {
            Some(t) => validate::format_ts(validate::past_timestamp("startedAt", t, now)?),
            None => validate::format_ts(now),
        },
        created_at: validate::format_ts(now),
    };
    app.store.put_batch(&sub, &batch).await?;
    Ok(Reply::created(batch))
}

pub async fn list(
    State(app): State<App>,
    Caller { sub }: Caller,
    query: QueryParams,
) -> ApiResult<Page<Batch>> {
    let limit = validate::limit(query.single("limit")?, PAGE_DEFAULT, PAGE_MAX)?;
    let cursor = validate::cursor(query.single("cursor")?)?;
    let page = app
        .store
        .list_batches(&sub, limit, cursor.as_deref())
        .await?;
    Ok(Reply::ok(page))
}

pub async fn get(
    State(app): State<App>,
    Caller { sub }: Caller,
    PathParam(id): PathParam,
) -> ApiResult<Batch> {
    let batch = super::own_batch(&app, &sub, &id).await?;
    Ok(Reply::ok(batch))
}
