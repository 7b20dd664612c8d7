//! GET /export.csv: the caller's batches and events as RFC 4180 CSV, in pages.
//!
//! API Gateway HTTP APIs buffer Lambda responses (6 MB cap), so true streaming is not
//! available behind them. Instead each response holds at most `limit` rows and 4 MiB;
//! when more remain, `X-Next-Cursor` and a `Link: rel="next"` header point to the next
//! page. Only the first page has the header row, so concatenated pages form one CSV.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::csv_export::CsvWriter;
use crate::error::ApiError;
use crate::http::extract::QueryParams;
use crate::identity::Caller;
use crate::keys;
use crate::{validate, App};

const PAGE_DEFAULT: usize = 5000;
const PAGE_MAX: usize = 10000;
const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Items per DynamoDB query; bounds memory independently of the page size.
const FETCH: usize = 500;

/// Cursor <-> sort key: `b.<batchId>` or `e.<batchId>.<eventId>`, with ids validated so
/// a cursor can only point inside the caller's own batch/event key ranges.
pub fn cursor_to_sk(cursor: &str) -> Result<String, ApiError> {
    let bad = || ApiError::bad_request("`cursor` is not a cursor this API issued");
    let parts: Vec<&str> = cursor.split('.').collect();
    match parts.as_slice() {
        ["b", b] => Ok(keys::batch_sk(
            &validate::id("cursor", b).map_err(|_| bad())?,
        )),
        ["e", b, e] => Ok(keys::event_sk(
            &validate::id("cursor", b).map_err(|_| bad())?,
            &validate::id("cursor", e).map_err(|_| bad())?,
        )),
        _ => Err(bad()),
    }
}

pub fn sk_to_cursor(sk: &str) -> String {
    if let Some(b) = sk.strip_prefix(keys::BATCH_PREFIX) {
        format!("b.{b}")
    } else {
        let rest = sk.strip_prefix(keys::EVENT_PREFIX).unwrap_or(sk);
        format!("e.{}", rest.replace('#', "."))
    }
}

pub async fn csv(
    State(app): State<App>,
    Caller { sub }: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let limit = validate::limit(query.single("limit")?, PAGE_DEFAULT, PAGE_MAX)?;
    let mut after = match query.single("cursor")? {
        Some(c) => Some(cursor_to_sk(c)?),
        None => None,
    };
    let mut out = CsvWriter::new(after.is_none());
    let mut written = 0;
    let mut next_cursor = None;
    'pages: loop {
        let page = app
            .store
            .export_page(&sub, after.as_deref(), FETCH.min(limit - written + 1))
            .await?;
        let page_next = page.next.clone();
        for (sk, row) in page.rows {
            if written == limit || out.len() >= MAX_BYTES {
                // Rows remain that this response has no room for.
                next_cursor = after.as_deref().map(sk_to_cursor);
                break 'pages;
            }
            out.write(&row);
            written += 1;
            after = Some(sk);
        }
        match page_next {
            Some(k) => after = Some(k.max(after.unwrap_or_default())),
            None => break,
        }
    }
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"bubblebatch-export.csv\"".to_string(),
        ),
    ];
    let next = next_cursor.map(|c| {
        [
            (
                header::LINK,
                format!("</export.csv?cursor={c}&limit={limit}>; rel=\"next\""),
            ),
            (header::HeaderName::from_static("x-next-cursor"), c),
        ]
    });
    Ok((headers, next, out.finish()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_rejects_foreign_shapes() {
        let b = crate::model::new_id();
        let e = crate::model::new_id();
        for sk in [keys::batch_sk(&b), keys::event_sk(&b, &e)] {
            assert_eq!(cursor_to_sk(&sk_to_cursor(&sk)).unwrap(), sk);
        }
        for bad in [
            "",
            "b",
            "x.1",
            "b.DEVICE#x",
            &format!("e.{b}"),
            &format!("b.{b}.{e}"),
        ] {
            assert_eq!(cursor_to_sk(bad).unwrap_err().status, 400, "{bad}");
        }
    }
}
