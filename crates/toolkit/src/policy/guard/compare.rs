//! Comparisons as cfn-guard makes them: `==` between values of different types cannot be
//! decided (and fails), a list meets a single value element by element, `in` reads a list.
use serde_json::Value;

use super::ast::{BinaryOp, Literal};

/// The values a comparison with a literal looks at: a list is compared element by
/// element with a single value, as a whole with a list.
pub fn compared_values<'a>(
    value: &'a Value,
    literal: &Literal,
    op: BinaryOp,
) -> std::slice::Iter<'a, Value> {
    match (value, literal, op) {
        (Value::Array(items), Literal::Regex(_), BinaryOp::Eq) => items.iter(),
        (Value::Array(items), Literal::Value(rhs), BinaryOp::Eq) if !rhs.is_array() => items.iter(),
        (single, _, _) => std::slice::from_ref(single).iter(),
    }
}

/// `==`: `None` when the two cannot be compared (different types).
pub fn compare_eq(lhs: &Value, rhs: &Literal) -> Option<bool> {
    match rhs {
        Literal::Regex(regex) => lhs.as_str().map(|s| regex.is_match(s)),
        Literal::Value(Value::Array(list)) if !lhs.is_array() && list.len() == 1 => {
            compare_values(lhs, &list[0])
        }
        Literal::Value(value) => compare_values(lhs, value),
    }
}

pub fn compare_values(lhs: &Value, rhs: &Value) -> Option<bool> {
    match (lhs, rhs) {
        (Value::String(a), Value::String(b)) => Some(a == b),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Null, Value::Null) => Some(true),
        (Value::Number(a), Value::Number(b)) => Some(a.as_f64() == b.as_f64()),
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(false);
            }
            for (x, y) in a.iter().zip(b) {
                if !compare_values(x, y)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Value::Object(a), Value::Object(b)) => {
            if a.len() != b.len() {
                return Some(false);
            }
            for (key, x) in a {
                match b.get(key) {
                    Some(y) if compare_values(x, y)? => {}
                    _ => return Some(false),
                }
            }
            Some(true)
        }
        _ => None,
    }
}

/// `in [list]`: a value is one of the list's; a list is all of them (or, when the list
/// holds lists, one of those). `not in`: a value is none of them, a list has none of them.
pub fn in_list(value: &Value, list: &[Value], negated: bool) -> bool {
    match value {
        Value::Array(items) if !list.first().is_some_and(Value::is_array) => {
            if negated {
                !items.iter().any(|item| list.contains(item))
            } else {
                items.iter().all(|item| list.contains(item))
            }
        }
        other => list.contains(other) != negated,
    }
}

/// `None` for types that have no emptiness.
pub fn is_empty(value: &Value) -> Option<bool> {
    match value {
        Value::Array(items) => Some(items.is_empty()),
        Value::Object(map) => Some(map.is_empty()),
        Value::String(s) => Some(s.is_empty()),
        _ => None,
    }
}
