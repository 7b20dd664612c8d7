//! Canonical JSON: sorted keys at every level, two-space indent, trailing newline.
//! Sorting here (not relying on serde_json's map type) keeps output byte-identical even
//! when a dependency turns on serde_json's `preserve_order` feature workspace-wide.
use serde_json::{Map, Value};

pub fn sort_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut sorted = Map::new();
            for (k, v) in entries {
                sorted.insert(k, sort_keys(v));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

pub fn to_canonical_string(value: Value) -> String {
    sorted_to_string(&sort_keys(value))
}

/// The bytes of a value whose keys [`sort_keys`] already sorted: a template kept both as a
/// value and as text is sorted once.
pub fn sorted_to_string(sorted: &Value) -> String {
    let mut text =
        serde_json::to_string_pretty(sorted).expect("a serde_json::Value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let text = to_canonical_string(json!({"b": {"z": 1, "a": [{"y": 1, "x": 2}]}, "a": 0}));
        assert_eq!(
            text,
            "{\n  \"a\": 0,\n  \"b\": {\n    \"a\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ],\n    \"z\": 1\n  }\n}\n"
        );
    }
}
