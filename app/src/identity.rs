//! Who is calling. The caller is always the `sub` claim of a token that an authorizer
//! (API Gateway's JWT authorizer, or the local gateway) has already validated; handlers
//! never look at raw tokens.
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub sub: String,
}

impl Caller {
    /// Reads the caller from authorizer claims. A `sub` that could escape its key prefix
    /// (`#`) or is implausibly long is refused: it becomes part of every DynamoDB key.
    pub fn from_claims(claims: &HashMap<String, String>) -> Option<Caller> {
        let sub = claims.get("sub")?;
        valid_sub(sub).then(|| Caller { sub: sub.clone() })
    }
}

/// Cognito subs are UUIDs; accept the conservative alphabet they use.
pub fn valid_sub(sub: &str) -> bool {
    !sub.is_empty()
        && sub.len() <= 128
        && sub
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_is_taken_from_claims() {
        let claims = HashMap::from([("sub".to_string(), "abc-123".to_string())]);
        assert_eq!(Caller::from_claims(&claims).unwrap().sub, "abc-123");
    }

    #[test]
    fn missing_or_unsafe_sub_is_no_caller() {
        assert!(Caller::from_claims(&HashMap::new()).is_none());
        let claims = HashMap::from([("sub".to_string(), "a#USER#b".to_string())]);
        assert!(Caller::from_claims(&claims).is_none());
    }
}
