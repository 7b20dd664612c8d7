//! Logical IDs: stable, human-readable names derived from construct paths.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogicalIdError {
    #[error("logical ID is empty")]
    Empty,
    #[error("logical ID '{0}' must be ASCII letters and digits only and start with a letter")]
    NotAlphanumeric(String),
    #[error("logical ID '{0}' is longer than 255 characters")]
    TooLong(String),
}

impl LogicalId {
    pub fn new(id: impl Into<String>) -> Result<LogicalId, LogicalIdError> {
        let id = id.into();
        if id.is_empty() {
            return Err(LogicalIdError::Empty);
        }
        let valid = id.chars().all(|c| c.is_ascii_alphanumeric())
            && id.starts_with(|c: char| c.is_ascii_alphabetic());
        if !valid {
            return Err(LogicalIdError::NotAlphanumeric(id));
        }
        if id.len() > 255 {
            return Err(LogicalIdError::TooLong(id));
        }
        Ok(LogicalId(id))
    }

    /// Joins construct path segments into one PascalCase ID: `["batches", "role"]` →
    /// `BatchesRole`. Separators (`-`, `_`, `/`, `.`, space) start a new word, so IDs
    /// depend only on construct names, never on declaration order.
    pub fn from_path(segments: &[&str]) -> LogicalId {
        let mut out = String::new();
        for segment in segments {
            let mut upper_next = true;
            for c in segment.chars() {
                if c.is_ascii_alphanumeric() {
                    if upper_next {
                        out.push(c.to_ascii_uppercase());
                    } else {
                        out.push(c);
                    }
                    upper_next = false;
                } else {
                    upper_next = true;
                }
            }
        }
        LogicalId::new(out).unwrap_or_else(|e| panic!("construct path {segments:?}: {e}"))
    }

    /// A child ID: `BatchesFunction` + `LogGroup` → `BatchesFunctionLogGroup`.
    pub fn child(&self, suffix: &str) -> LogicalId {
        LogicalId::from_path(&[&self.0, suffix])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_pascal_case() {
        assert_eq!(
            LogicalId::from_path(&["reminder-processor", "log_group"]).as_str(),
            "ReminderProcessorLogGroup"
        );
        assert_eq!(
            LogicalId::from_path(&["GET /batches/{id}"]).as_str(),
            "GETBatchesId"
        );
    }

    #[test]
    fn invalid_ids_are_rejected() {
        assert_eq!(LogicalId::new(""), Err(LogicalIdError::Empty));
        assert!(matches!(
            LogicalId::new("a-b"),
            Err(LogicalIdError::NotAlphanumeric(_))
        ));
        assert!(matches!(
            LogicalId::new("1abc"),
            Err(LogicalIdError::NotAlphanumeric(_))
        ));
        assert!(matches!(
            LogicalId::new("a".repeat(256)),
            Err(LogicalIdError::TooLong(_))
        ));
    }
}
