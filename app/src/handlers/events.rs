//! POST /batches/{id}/events, GET /batches/{id}/events.
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::extract::{JsonBody, PathParam, QueryParams};
use crate::http::{ApiResult, Reply};
use crate::identity::Caller;
use crate::model::{Event, EventType, Photo};
use crate::photos::{self, MAX_PHOTO_BYTES};
use crate::{validate, App};
use axum::extract::State;

pub const NOTE_MAX: usize = 1000;
const PAGE_DEFAULT: usize = 50;
const PAGE_MAX: usize = 200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateEvent {
    #[serde(rename = "type")]
    event_type: String,
    occurred_at: Option<String>,
    note: Option<String>,
    rating: Option<i64>,
    photo: Option<PhotoRequest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PhotoRequest {
    content_type: String,
    size_bytes: i64,
}

/// The body is validated before the table is touched: bad input is a 400 even for a
/// batch that does not exist.
pub async fn create(
    State(app): State<App>,
    Caller { sub }: Caller,
    PathParam(batch_id): PathParam,
    JsonBody(body): JsonBody<CreateEvent>,
) -> ApiResult<Value> {
    let now = app.now();
    let event_type = EventType::parse(&body.event_type).ok_or_else(|| {
        ApiError::bad_request(
            "`type` must be one of: feeding, straining, bottling, tasting, note, photo",
        )
    })?;
    let rating = match (event_type, body.rating) {
        (EventType::Tasting, Some(r)) if (1..=5).contains(&r) => Some(r as u8),
        (EventType::Tasting, Some(_)) => {
            return Err(ApiError::bad_request(
                "`rating` must be an integer from 1 to 5",
            ))
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request(
                "`rating` is only allowed on tasting events",
            ))
        }
        (_, None) => None,
    };
    let note = validate::optional_text("note", body.note.as_deref(), NOTE_MAX)?;
    if event_type == EventType::Note && note.is_none() {
        return Err(ApiError::bad_request(
            "a note event needs a non-empty `note`",
        ));
    }
    let occurred_at = match body.occurred_at.as_deref() {
        Some(t) => validate::past_timestamp("occurredAt", t, now)?,
        None => now,
    };
    let photo_req = match (event_type, body.photo) {
        (EventType::Photo, Some(p)) => Some(check_photo(p)?),
        (EventType::Photo, None) => {
            return Err(ApiError::bad_request(
                "a photo event needs `photo` with `contentType` and `sizeBytes`",
            ))
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request(
                "`photo` is only allowed on photo events",
            ))
        }
        (_, None) => None,
    };

    let batch = super::own_batch(&app, &sub, &batch_id).await?;
    let id = crate::model::new_id();
    let photo = photo_req.map(|(content_type, ext, size)| Photo {
        key: photos::photo_key(&sub, &batch.id, &id, ext),
        content_type,
        size_bytes: size,
    });
    let event = Event {
        id,
        batch_id: batch.id.clone(),
        event_type,
        occurred_at: validate::format_ts(occurred_at),
        note,
        rating,
        photo,
        created_at: validate::format_ts(now),
        batch_name: batch.name,
        batch_type: Some(batch.batch_type),
    };
    let upload = match &event.photo {
        Some(p) => Some(
            app.photos
                .presign_upload(&p.key, &p.content_type, p.size_bytes)
                .await?,
        ),
        None => None,
    };
    app.store.put_event(&sub, &event).await?;
    let mut data = json!({ "event": event });
    if let Some(u) = upload {
        data["upload"] = json!(u);
    }
    Ok(Reply::created(data))
}

fn check_photo(p: PhotoRequest) -> Result<(String, &'static str, u64), ApiError> {
    let ext = photos::extension(&p.content_type).ok_or_else(|| {
        ApiError::bad_request(
            "`photo.contentType` must be one of: image/jpeg, image/png, image/webp, image/heic",
        )
    })?;
    if p.size_bytes < 1 || p.size_bytes as u64 > MAX_PHOTO_BYTES {
        return Err(ApiError::bad_request(format!(
            "`photo.sizeBytes` must be from 1 to {MAX_PHOTO_BYTES}"
        )));
    }
    Ok((p.content_type, ext, p.size_bytes as u64))
}

pub async fn list(
    State(app): State<App>,
    Caller { sub }: Caller,
    PathParam(batch_id): PathParam,
    query: QueryParams,
) -> ApiResult<Value> {
    let limit = validate::limit(query.single("limit")?, PAGE_DEFAULT, PAGE_MAX)?;
    let cursor = validate::cursor(query.single("cursor")?)?;
    let batch = super::own_batch(&app, &sub, &batch_id).await?;
    let page = app
        .store
        .list_events(&sub, &batch.id, limit, cursor.as_deref())
        .await?;
    let mut items = Vec::with_capacity(page.items.len());
    for e in &page.items {
        let mut v: Value = json!(e);
        if let Some(p) = &e.photo {
            v["photoUrl"] = json!(app.photos.presign_download(&p.key).await?);
        }
        items.push(v);
    }
    Ok(Reply::ok(
        json!({ "items": items, "nextCursor": page.next_cursor }),
    ))
}
