//! POST /me/devices: registers an Expo push token for the caller.
use axum::extract::State;
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::{ApiResult, Reply};
use crate::identity::Caller;
use crate::model::Device;
use crate::{validate, App};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    token: String,
    platform: String,
}

/// `ExponentPushToken[...]` or `ExpoPushToken[...]`, the formats Expo issues. The token
/// becomes part of a sort key, so its alphabet is checked strictly.
pub fn valid_expo_token(t: &str) -> bool {
    let inner = t
        .strip_prefix("ExponentPushToken[")
        .or_else(|| t.strip_prefix("ExpoPushToken["))
        .and_then(|r| r.strip_suffix(']'));
    inner.is_some_and(|i| {
        !i.is_empty()
            && i.len() <= 200
            && i.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

pub async fn register(
    State(app): State<App>,
    Caller { sub }: Caller,
    JsonBody(body): JsonBody<RegisterDevice>,
) -> ApiResult<Device> {
    if !valid_expo_token(&body.token) {
        return Err(ApiError::bad_request(
            "`token` must be an Expo push token like ExponentPushToken[xxxx]",
        ));
    }
    if !matches!(body.platform.as_str(), "ios" | "android") {
        return Err(ApiError::bad_request(
            "`platform` must be one of: ios, android",
        ));
    }
    let device = Device {
        token: body.token,
        platform: body.platform,
        updated_at: validate::format_ts(app.now()),
    };
    app.store.put_device(&sub, &device).await?;
    Ok(Reply::created(device))
}

#[cfg(test)]
mod tests {
    use super::valid_expo_token;

    #[test]
    fn expo_token_shapes() {
        assert!(valid_expo_token("ExponentPushToken[abc-DEF_123]"));
        assert!(valid_expo_token("ExpoPushToken[x]"));
        for bad in [
            "",
            "ExponentPushToken[]",
            "ExponentPushToken[a#b]",
            "abc",
            "ExponentPushToken[a",
        ] {
            assert!(!valid_expo_token(bad), "{bad}");
        }
    }
}
