//! A synthesized template as JSON, and CloudFormation values as text.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::synth::SynthesizedStack;

/// One stack's template.
pub struct Template {
    /// File name, e.g. `Api`.
    pub name: String,
    /// CloudFormation stack name, e.g. `bubblebatch-dev-api`.
    pub stack_name: String,
    pub resources: BTreeMap<String, Value>,
    pub parameters: BTreeMap<String, Value>,
}

impl Template {
    pub fn parse(stack: &SynthesizedStack) -> anyhow::Result<Template> {
        let json: &Value = &stack.template;
        let section = |key: &str| -> BTreeMap<String, Value> {
            json[key]
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        Ok(Template {
            name: stack.name.clone(),
            stack_name: stack.stack_name.clone(),
            resources: section("Resources"),
            parameters: section("Parameters"),
        })
    }

    pub fn type_of(&self, logical_id: &str) -> Option<&str> {
        self.resources.get(logical_id)?["Type"].as_str()
    }

    /// The resource's `Properties` (`Null` when it has none or does not exist).
    pub fn properties(&self, logical_id: &str) -> &Value {
        self.resources
            .get(logical_id)
            .map(|r| &r["Properties"])
            .unwrap_or(&Value::Null)
    }

    /// Logical IDs of this template's resources of one type, sorted.
    pub fn of_type<'a>(&'a self, resource_type: &'a str) -> impl Iterator<Item = &'a str> {
        self.resources
            .iter()
            .filter(move |(_, r)| r["Type"] == resource_type)
            .map(|(id, _)| id.as_str())
    }
}

/// A value as text with references kept as `${Name}` / `${Name.Attribute}` (the `Fn::Sub`
/// notation): literals as they are, `Fn::Sub` templates unsubstituted (variables of its
/// map filled in), `Ref`, `Fn::GetAtt` and `Fn::Join` rendered. `None` for anything else
/// (`Fn::Select`, `Fn::If`, ...), which a diagram cannot name.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(map) if map.len() == 1 => {
            let (function, argument) = map.iter().next()?;
            match function.as_str() {
                "Ref" => Some(format!("${{{}}}", argument.as_str()?)),
                "Fn::GetAtt" => {
                    let parts = argument.as_array()?;
                    let names: Option<Vec<&str>> = parts.iter().map(Value::as_str).collect();
                    Some(format!("${{{}}}", names?.join(".")))
                }
                "Fn::Sub" => match argument {
                    Value::String(template) => Some(template.clone()),
                    Value::Array(parts) => {
                        let mut template = parts.first()?.as_str()?.to_string();
                        for (name, value) in parts.get(1)?.as_object()? {
                            template = template.replace(&format!("${{{name}}}"), &text(value)?);
                        }
                        Some(template)
                    }
                    _ => None,
                },
                "Fn::Join" => {
                    let parts = argument.as_array()?;
                    let separator = parts.first()?.as_str()?;
                    let items: Option<Vec<String>> =
                        parts.get(1)?.as_array()?.iter().map(text).collect();
                    Some(items?.join(separator))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `${Name}` / `${Name.Attribute}` references in a text, as `Name`, in order;
/// pseudo parameters (`AWS::...`) and literals (`${!...}`) left out.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        if !inner.starts_with("AWS::") && !inner.starts_with('!') {
            names.push(inner.split('.').next().unwrap_or(inner));
        }
        rest = &after[end + 1..];
    }
    names
}

/// Text for people and for matching names across stacks: pseudo parameters shortened
/// the way the permission report does (`{account}`, `{region}`, partition `aws`).
pub fn display(text: &str) -> String {
    text.replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", "{region}")
        .replace("${AWS::AccountId}", "{account}")
        .replace("${AWS::URLSuffix}", "amazonaws.com")
}

/// Every value inside a JSON tree that could name another resource (intrinsic function
/// objects and strings), with the top-level property it sits under.
pub fn references(properties: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    if let Some(map) = properties.as_object() {
        for (key, value) in map {
            collect(key, value, &mut found);
        }
    }
    found
}

fn collect<'a>(key: &str, value: &'a Value, found: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::String(_) => found.push((key.to_string(), value)),
        Value::Object(map) if is_intrinsic(map) => found.push((key.to_string(), value)),
        Value::Object(map) => map.values().for_each(|v| collect(key, v, found)),
        Value::Array(items) => items.iter().for_each(|v| collect(key, v, found)),
        _ => {}
    }
}

fn is_intrinsic(map: &serde_json::Map<String, Value>) -> bool {
    map.len() == 1
        && map
            .keys()
            .next()
            .is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_render_in_sub_notation() {
        assert_eq!(text(&json!({"Ref": "HttpApi"})).unwrap(), "${HttpApi}");
        assert_eq!(
            text(&json!({"Fn::GetAtt": ["Fn", "Arn"]})).unwrap(),
            "${Fn.Arn}"
        );
        assert_eq!(
            text(&json!({"Fn::Join": ["", ["integrations/", {"Ref": "I"}]]})).unwrap(),
            "integrations/${I}"
        );
        assert_eq!(
            text(&json!({"Fn::Sub": ["a-${X}", {"X": {"Ref": "Y"}}]})).unwrap(),
            "a-${Y}"
        );
        assert_eq!(text(&json!({"Fn::Select": [0, []]})), None);
    }

    #[test]
    fn placeholders_skip_pseudo_parameters_and_literals() {
        assert_eq!(
            placeholders("arn:${AWS::Partition}:x:${UserPoolId}/${A.Arn}/${!Literal}"),
            ["UserPoolId", "A"]
        );
    }
}
