//! The success envelope: `{"success":true,"data":...}` with 200 or 201.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;

pub struct Reply<T> {
    status: StatusCode,
    data: T,
}

impl<T: Serialize> Reply<T> {
    pub fn ok(data: T) -> Reply<T> {
        Reply {
            status: StatusCode::OK,
            data,
        }
    }

    pub fn created(data: T) -> Reply<T> {
        Reply {
            status: StatusCode::CREATED,
            data,
        }
    }
}

#[derive(Serialize)]
struct Envelope<T> {
    success: bool,
    data: T,
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let envelope = Envelope {
            success: true,
            data: self.data,
        };
        (self.status, Json(envelope)).into_response()
    }
}

/// What a JSON handler returns: an error can never be rendered as a success.
pub type ApiResult<T> = Result<Reply<T>, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use serde_json::{json, Value};

    #[tokio::test]
    async fn success_envelope_wraps_data() {
        let r = Reply::created(json!({"id": "x"})).into_response();
        assert_eq!(r.status(), 201);
        assert_eq!(r.headers()["content-type"], "application/json");
        let body = to_bytes(r.into_body(), usize::MAX).await.unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap(),
            json!({"success": true, "data": {"id": "x"}})
        );
    }
}
