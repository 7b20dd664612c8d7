//! POST /batches, GET /batches, GET /batches/{id}.
use serde::Deserialize;

use crate::model::{Batch, BatchType};
use crate::request::ApiRequest;
use crate::response::{ApiError, ApiResponse, ApiResult};
use crate::{validate, App};

pub const NAME_MAX: usize = 100;
pub const NOTES_MAX: usize = 2000;
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateBatch {
    name: String,
    #[serde(rename = "type")]
    batch_type: String,
    #[serde(default)]
    is_public: bool,
    notes: Option<String>,
    started_at: Option<String>,
}

pub async fn create(app: &App, req: &ApiRequest) -> ApiResult {
    let sub = &req.caller()?.sub;
    let body: CreateBatch = req.json()?;
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
    app.store.put_batch(sub, &batch).await?;
    Ok(ApiResponse::created(batch))
}

pub async fn list(app: &App, req: &ApiRequest) -> ApiResult {
    let sub = &req.caller()?.sub;
    let limit = validate::limit(req.query_param("limit")?, PAGE_DEFAULT, PAGE_MAX)?;
    let cursor = validate::cursor(req.query_param("cursor")?)?;
    let page = app
        .store
        .list_batches(sub, limit, cursor.as_deref())
        .await?;
    Ok(ApiResponse::ok(page))
}

pub async fn get(app: &App, req: &ApiRequest, id: &str) -> ApiResult {
    let sub = &req.caller()?.sub;
    let batch = super::own_batch(app, sub, id).await?;
    Ok(ApiResponse::ok(batch))
}
