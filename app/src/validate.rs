//! Input validation helpers. Every failure is a 400 whose message names the field and
//! the rule, so a client developer can fix the request without reading our code.
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::error::ApiError;

/// Trims and checks a required text field: 1..=max characters, no control characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::bad_request(format!(
            "`{field}` must not be empty"
        )));
    }
    text(field, v, max)
}

/// An optional text field: absent or blank becomes `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ApiError> {
    if v.chars().count() > max {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be at most {max} characters"
        )));
    }
    // Newlines and tabs are fine in notes; other control characters only break exports.
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ApiError::bad_request(format!(
            "`{field}` must not contain control characters"
        )));
    }
    Ok(v.to_string())
}

/// Ids are ULIDs we generated (26 Crockford base32 characters). Checking the shape
/// before it reaches a key keeps `#` and other separators out of DynamoDB keys.
pub fn id(field: &str, value: &str) -> Result<String, ApiError> {
    match ulid::Ulid::from_string(value) {
        Ok(u) if value.len() == 26 => Ok(u.to_string()),
        _ => Err(ApiError::bad_request(format!(
            "`{field}` must be a 26-character ULID"
        ))),
    }
}

/// RFC 3339 timestamp, normalised to UTC, within [earliest, latest].
pub fn timestamp(
    field: &str,
    value: &str,
    earliest: OffsetDateTime,
    latest: OffsetDateTime,
) -> Result<OffsetDateTime, ApiError> {
    let t = OffsetDateTime::parse(value, &Rfc3339).map_err(|_| {
        ApiError::bad_request(format!(
            "`{field}` must be an RFC 3339 timestamp like 2025-01-31T08:00:00Z"
        ))
    })?;
    if t < earliest || t > latest {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be between {} and {}",
            format_ts(earliest),
            format_ts(latest)
        )));
    }
    Ok(t.to_offset(time::UtcOffset::UTC))
}

/// A past-or-present timestamp (events, batch start): not before 2000, at most 5 minutes
/// in the future to tolerate phone clocks.
pub fn past_timestamp(
    field: &str,
    value: &str,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, ApiError> {
    let earliest = time::macros::datetime!(2000-01-01 0:00 UTC);
    timestamp(field, value, earliest, now + Duration::minutes(5))
}

/// `cursor` query parameter of a listing: absent, or an id from the previous page.
pub fn cursor(value: Option<&str>) -> Result<Option<String>, ApiError> {
    value.map(|c| id("cursor", c)).transpose()
}

/// `limit` query parameter: 1..=max, default when absent.
pub fn limit(value: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    match value {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(format!(
                "`limit` must be an integer from 1 to {max}"
            ))),
        },
    }
}

/// Seconds precision, fixed width, always `Z`: lexicographic order equals time order,
/// which the reminder index relies on.
pub fn format_ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f).expect("UTC timestamps after year 0 format")
}

pub fn parse_stored_ts(value: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value, &Rfc3339).ok()
}

/// A plausible email address: one `@`, non-empty local part, a dotted domain, no spaces.
/// Deliverability is Cognito's job; this only stops garbage early. Lower-cased so the
/// same person always maps to the same user.
pub fn email(value: &str) -> Result<String, ApiError> {
    let v = value.trim().to_ascii_lowercase();
    let ok = v.len() <= 254
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !v.contains('/')
            }
            None => false,
        };
    if ok {
        Ok(v)
    } else {
        Err(ApiError::bad_request(
            "`email` must be a valid email address",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn text_rules() {
        assert_eq!(required_text("name", "  Kefir ", 10).unwrap(), "Kefir");
        assert!(required_text("name", "   ", 10)
            .unwrap_err()
            .message
            .contains("empty"));
        assert!(required_text("name", "ééééééééééé", 10).is_err());
        assert!(required_text("name", "a\u{0}b", 10).is_err());
        assert_eq!(optional_text("note", Some(" "), 5).unwrap(), None);
    }

    #[test]
    fn ids_must_be_ulids() {
        let u = crate::model::new_id();
        assert_eq!(id("id", &u).unwrap(), u);
        assert!(id("id", "BATCH#x").is_err());
        assert!(id("id", "").is_err());
        assert!(id("id", &format!("{u}0")).is_err());
    }

    #[test]
    fn timestamps_are_bounded_and_sortable() {
        let now = datetime!(2025-06-01 12:00 UTC);
        assert!(past_timestamp("t", "2025-06-01T13:00:00Z", now).is_err());
        assert!(past_timestamp("t", "1999-12-31T23:00:00Z", now).is_err());
        assert!(past_timestamp("t", "yesterday", now).is_err());
        let t = past_timestamp("t", "2025-06-01T13:00:00+02:00", now).unwrap();
        assert_eq!(format_ts(t), "2025-06-01T11:00:00Z");
    }

    #[test]
    fn email_rules() {
        assert_eq!(email(" Ana@Example.COM ").unwrap(), "ana@example.com");
        for bad in [
            "", "ana", "ana@", "@x.io", "a b@x.io", "a@b", "a@@b.io", "a@b..io", "a/b@c.io",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limit_rules() {
        assert_eq!(limit(None, 20, 100).unwrap(), 20);
        assert_eq!(limit(Some("100"), 20, 100).unwrap(), 100);
        assert!(limit(Some("0"), 20, 100).is_err());
        assert!(limit(Some("-1"), 20, 100).is_err());
        assert!(limit(Some("abc"), 20, 100).is_err());
    }
}
