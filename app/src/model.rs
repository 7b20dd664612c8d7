//! Domain types as the API shows them (camelCase JSON). Storage mapping lives in `store`.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchType {
    /// Milk kefir: grains in milk, strained about every 24 h.
    Milk,
    /// Water kefir: sugar water, ~48 h first ferment, then bottled for a second ferment.
    Water,
}

impl BatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchType::Milk => "milk",
            BatchType::Water => "water",
        }
    }

    pub fn parse(s: &str) -> Option<BatchType> {
        match s {
            "milk" => Some(BatchType::Milk),
            "water" => Some(BatchType::Water),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub batch_type: BatchType,
    pub is_public: bool,
    /// Private: never shown on the public page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub started_at: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    Feeding,
    Straining,
    Bottling,
    Tasting,
    Note,
    Photo,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::Feeding,
        EventType::Straining,
        EventType::Bottling,
        EventType::Tasting,
        EventType::Note,
        EventType::Photo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Feeding => "feeding",
            EventType::Straining => "straining",
            EventType::Bottling => "bottling",
            EventType::Tasting => "tasting",
            EventType::Note => "note",
            EventType::Photo => "photo",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Photo {
    /// S3 object key, always under `users/<sub>/`.
    #[serde(skip)]
    pub key: String,
    pub content_type: String,
    pub size_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub batch_id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub occurred_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 1..=5, tasting events only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    pub created_at: String,
    /// Denormalised from the batch (names never change) so the export needs no joins.
    #[serde(skip)]
    pub batch_name: String,
    #[serde(skip)]
    pub batch_type: Option<BatchType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReminderKind {
    Strain,
    Feed,
    Bottle,
    Burp,
    Refrigerate,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 5] = [
        ReminderKind::Strain,
        ReminderKind::Feed,
        ReminderKind::Bottle,
        ReminderKind::Burp,
        ReminderKind::Refrigerate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Strain => "strain",
            ReminderKind::Feed => "feed",
            ReminderKind::Bottle => "bottle",
            ReminderKind::Burp => "burp",
            ReminderKind::Refrigerate => "refrigerate",
        }
    }

    pub fn parse(s: &str) -> Option<ReminderKind> {
        ReminderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The push notification text.
    pub fn message(self, batch_name: &str) -> String {
        match self {
            ReminderKind::Strain => format!("Time to strain {batch_name}"),
            ReminderKind::Feed => format!("Time to feed {batch_name}"),
            ReminderKind::Bottle => format!("Time to bottle {batch_name}"),
            ReminderKind::Burp => format!("Burp the bottles of {batch_name}"),
            ReminderKind::Refrigerate => format!("Move {batch_name} to the fridge"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReminderStatus {
    Pending,
    Sent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub id: String,
    pub batch_id: String,
    pub batch_name: String,
    pub kind: ReminderKind,
    pub due_at: String,
    pub status: ReminderStatus,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
    #[serde(skip)]
    pub owner_sub: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub token: String,
    pub platform: String,
    pub updated_at: String,
}

/// One page of a listing; `next_cursor` is opaque to clients.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A new id: a ULID, so ids sort by creation time in sort keys.
pub fn new_id() -> String {
    ulid::Ulid::generate().to_string()
}
