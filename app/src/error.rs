//! The error every layer returns (validation, store, sign-in, handlers) and the
//! failure envelope it renders as: `{"success":false,"error":{"code","message","statusCode"}}`.
//! Extractors reject with it too, so axum's own rejection bodies never reach a client.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answer. `code` is a stable machine-readable string clients can switch on.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "BAD_REQUEST", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(401, "UNAUTHORIZED", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(404, "NOT_FOUND", message)
    }

    /// Logs the detail and answers with a generic message: internal errors must not leak
    /// AWS request ids, table names or stack traces to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(500, "INTERNAL", "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({
            "success": false,
            "error": {"code": self.code, "message": self.message, "statusCode": status.as_u16()}
        });
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    #[tokio::test]
    async fn error_envelope_has_code_message_and_status() {
        let r = ApiError::bad_request("name is required").into_response();
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()["content-type"], "application/json");
        let body = to_bytes(r.into_body(), usize::MAX).await.unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            json!({"success": false, "error": {"code": "BAD_REQUEST", "message": "name is required", "statusCode": 400}})
        );
    }
}
