//! Template values for people: intrinsic functions in short form, canonical JSON, line diffs.
use serde_json::{Map, Value};
use similar::{ChangeTag, TextDiff};

/// Recursively sorts object keys (serde_json's `preserve_order` is on in this workspace).
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&map[k]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Pretty canonical JSON ending in a newline (what the line diff works on).
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(&canonical(value)).expect("JSON value serializes") + "\n"
}

/// One-line rendering: strings bare, `Ref`/`GetAtt` as `${X}`/`${X.Attr}`, `Sub` as its
/// template, `Join` joined; anything else compact JSON.
pub fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.len() == 1 => {
            let (k, v) = map.iter().next().expect("one entry");
            match (k.as_str(), v) {
                ("Ref", Value::String(name)) => format!("${{{name}}}"),
                ("Fn::GetAtt", Value::Array(parts)) => {
                    let parts: Vec<String> = parts.iter().map(render).collect();
                    format!("${{{}}}", parts.join("."))
                }
                ("Fn::GetAtt", Value::String(path)) => format!("${{{path}}}"),
                ("Fn::Sub", Value::String(template)) => template.clone(),
                ("Fn::Sub", Value::Array(parts)) if !parts.is_empty() => render(&parts[0]),
                ("Fn::Join", Value::Array(parts)) if parts.len() == 2 => {
                    let sep = parts[0].as_str().unwrap_or("");
                    match &parts[1] {
                        Value::Array(items) => {
                            items.iter().map(render).collect::<Vec<_>>().join(sep)
                        }
                        other => render(other),
                    }
                }
                _ => compact(value),
            }
        }
        _ => compact(value),
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(&canonical(value)).expect("JSON value serializes")
}

/// A string or list of strings (IAM `Action`, `Resource`, ...) as rendered items.
pub fn render_list(value: Option<&Value>) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(render).collect(),
        Some(other) => vec![render(other)],
    }
}

/// A line of a unified diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// Line diff of two values as pretty JSON (`None` is an absent value): every line with
/// its kind, context lines included (property values are small).
pub fn line_diff(old: Option<&Value>, new: Option<&Value>) -> Vec<(LineKind, String)> {
    let old = old.map(pretty).unwrap_or_default();
    let new = new.map(pretty).unwrap_or_default();
    let diff = TextDiff::from_lines(&old, &new);
    diff.iter_all_changes()
        .map(|c| {
            let kind = match c.tag() {
                ChangeTag::Equal => LineKind::Context,
                ChangeTag::Delete => LineKind::Removed,
                ChangeTag::Insert => LineKind::Added,
            };
            (kind, c.value().trim_end_matches('\n').to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_render_short() {
        assert_eq!(render(&json!({"Ref": "Table"})), "${Table}");
        assert_eq!(
            render(&json!({"Fn::GetAtt": ["Table", "Arn"]})),
            "${Table.Arn}"
        );
        assert_eq!(
            render(&json!({"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]})),
            "${B.Arn}/*"
        );
        assert_eq!(
            render(&json!({"Fn::Sub": "${T.Arn}/index/*"})),
            "${T.Arn}/index/*"
        );
        assert_eq!(render(&json!({"b": 1, "a": 2})), r#"{"a":2,"b":1}"#);
    }

    #[test]
    fn line_diff_marks_changed_lines() {
        let lines = line_diff(
            Some(&json!({"a": 1, "b": 2})),
            Some(&json!({"a": 1, "b": 3})),
        );
        assert!(lines.contains(&(LineKind::Removed, "  \"b\": 2".to_string())));
        assert!(lines.contains(&(LineKind::Added, "  \"b\": 3".to_string())));
        assert!(lines.contains(&(LineKind::Context, "  \"a\": 1,".to_string())));
    }
}
