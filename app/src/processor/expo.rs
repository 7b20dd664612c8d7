//! Client of the Expo push API (https://docs.expo.dev/push-notifications/sending-notifications/).
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Expo accepts at most 100 messages per request.
pub const MAX_BATCH: usize = 100;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Message {
    pub to: String,
    pub title: String,
    pub body: String,
    pub sound: &'static str,
    pub data: serde_json::Value,
}

/// Per-message result, in the order of the messages sent.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Ticket {
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<TicketDetails>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TicketDetails {
    #[serde(default)]
    pub error: Option<String>,
}

impl Ticket {
    /// Expo says this token will never work again: the app was uninstalled or the token
    /// revoked. Such devices are removed.
    pub fn device_gone(&self) -> bool {
        self.status == "error"
            && self
                .details
                .as_ref()
                .and_then(|d| d.error.as_deref())
                .is_some_and(|e| e == "DeviceNotRegistered")
    }
}

#[derive(Deserialize)]
struct PushResponse {
    data: Vec<Ticket>,
}

#[derive(Clone)]
pub struct ExpoClient {
    http: reqwest::Client,
    url: String,
}

impl ExpoClient {
    pub fn new(url: impl Into<String>) -> ExpoClient {
        ExpoClient {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("TLS backend initialises"),
            url: url.into(),
        }
    }

    /// Sends up to `MAX_BATCH` messages. An error means nothing is known to be delivered
    /// (transport failure, non-2xx, or a malformed answer).
    pub async fn send(&self, messages: &[Message]) -> Result<Vec<Ticket>, String> {
        assert!(messages.len() <= MAX_BATCH, "caller chunks messages");
        let resp = self
            .http
            .post(&self.url)
            .header("accept", "application/json")
            .json(messages)
            .send()
            .await
            .map_err(|e| format!("expo request failed: {e}"))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("expo answered HTTP {status}"));
        }
        let body: PushResponse = resp
            .json()
            .await
            .map_err(|e| format!("expo answer unreadable: {e}"))?;
        if body.data.len() != messages.len() {
            return Err(format!(
                "expo returned {} tickets for {} messages",
                body.data.len(),
                messages.len()
            ));
        }
        Ok(body.data)
    }
}
