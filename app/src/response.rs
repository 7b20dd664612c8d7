//! The response envelope every route answers with, and the error type handlers return.
//!
//! Success: `{"success":true,"data":...}`; failure:
//! `{"success":false,"error":{"code","message","statusCode"}}`. Handlers return
//! `Result<ApiResponse, ApiError>` so an error can never be rendered as a success.
use serde::Serialize;
use serde_json::{json, Value};

/// A finished HTTP answer, independent of Lambda or the local server.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn ok<T: Serialize>(data: T) -> ApiResponse {
        ApiResponse::json(200, &json!({"success": true, "data": data}))
    }

    pub fn created<T: Serialize>(data: T) -> ApiResponse {
        ApiResponse::json(201, &json!({"success": true, "data": data}))
    }

    pub fn json(status: u16, body: &Value) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(body).expect("a serde_json::Value always serializes"),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> ApiResponse {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (tests and the local gateway use it).
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

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

    pub fn into_response(self) -> ApiResponse {
        ApiResponse::json(
            self.status,
            &json!({
                "success": false,
                "error": {"code": self.code, "message": self.message, "statusCode": self.status}
            }),
        )
    }
}

impl From<ApiError> for ApiResponse {
    fn from(e: ApiError) -> ApiResponse {
        e.into_response()
    }
}

pub type ApiResult = Result<ApiResponse, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_has_code_message_and_status() {
        let r = ApiError::bad_request("name is required").into_response();
        assert_eq!(r.status, 400);
        assert_eq!(
            r.json_body(),
            json!({"success": false, "error": {"code": "BAD_REQUEST", "message": "name is required", "statusCode": 400}})
        );
    }

    #[test]
    fn success_envelope_wraps_data() {
        let r = ApiResponse::created(json!({"id": "x"}));
        assert_eq!(r.status, 201);
        assert_eq!(r.json_body(), json!({"success": true, "data": {"id": "x"}}));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
    }
}
