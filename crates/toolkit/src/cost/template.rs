//! Reading what a price depends on out of a synthesized template: literal values only
//! (an intrinsic is reported as unknown, never guessed).
use anyhow::{anyhow, Context, Result};
use serde_json::Value;

/// One stack's template, as the estimator reads it.
#[derive(Debug, Clone)]
pub struct StackTemplate {
    /// Display name: Auth, Data, Api, ...
    pub name: String,
    /// CloudFormation stack name.
    pub stack_name: String,
    pub resources: Vec<TemplateResource>,
}

#[derive(Debug, Clone)]
pub struct TemplateResource {
    pub logical_id: String,
    pub resource_type: String,
    pub properties: Value,
}

impl StackTemplate {
    pub fn from_json(name: &str, stack_name: &str, template: &Value) -> Result<StackTemplate> {
        let resources = template
            .get("Resources")
            .and_then(Value::as_object)
            .ok_or_else(|| anyhow!("{name}: template has no Resources"))?;
        let resources = resources
            .iter()
            .map(|(id, r)| {
                let resource_type = r
                    .get("Type")
                    .and_then(Value::as_str)
                    .ok_or_else(|| anyhow!("{name}: resource {id} has no Type"))?;
                Ok(TemplateResource {
                    logical_id: id.clone(),
                    resource_type: resource_type.to_string(),
                    properties: r.get("Properties").cloned().unwrap_or(Value::Null),
                })
            })
            .collect::<Result<_>>()?;
        Ok(StackTemplate {
            name: name.to_string(),
            stack_name: stack_name.to_string(),
            resources,
        })
    }

    pub fn from_text(name: &str, stack_name: &str, text: &str) -> Result<StackTemplate> {
        let value: Value =
            serde_json::from_str(text).with_context(|| format!("{name}: template is not JSON"))?;
        StackTemplate::from_json(name, stack_name, &value)
    }
}

impl TemplateResource {
    pub fn prop(&self, path: &[&str]) -> Option<&Value> {
        path.iter()
            .try_fold(&self.properties, |v, key| v.get(*key))
            .filter(|v| !v.is_null())
    }

    pub fn string(&self, path: &[&str]) -> Option<String> {
        self.prop(path).and_then(literal_string)
    }

    pub fn number(&self, path: &[&str]) -> Option<f64> {
        self.prop(path).and_then(literal_number)
    }

    pub fn boolean(&self, path: &[&str]) -> Option<bool> {
        match self.prop(path)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The logical ID a `{"Fn::GetAtt": [id, attr]}` or `{"Ref": id}` at `path` names.
    pub fn reference(&self, path: &[&str]) -> Option<String> {
        referenced_id(self.prop(path)?)
    }
}

/// A string, or the text of a `Fn::Sub` (its `${...}` left in place).
pub fn literal_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) if o.len() == 1 => match o.get("Fn::Sub")? {
            Value::String(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

pub fn literal_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub fn referenced_id(value: &Value) -> Option<String> {
    let o = value.as_object()?;
    if let Some(Value::String(id)) = o.get("Ref") {
        return Some(id.clone());
    }
    match o.get("Fn::GetAtt")? {
        Value::Array(parts) => parts.first()?.as_str().map(str::to_string),
        Value::String(dotted) => dotted.split('.').next().map(str::to_string),
        _ => None,
    }
}

/// `guitar-collection-dev-guitars-handler` → `guitars-handler`;
/// `app-dev-uploads-${AWS::AccountId}-${AWS::Region}` → `uploads`.
pub fn short_name(physical: &str, prefix: &str) -> String {
    let base = physical.split("-${").next().unwrap_or(physical);
    base.strip_prefix(prefix).unwrap_or(base).to_string()
}

/// Invocations a month of `rate(5 minutes)`; `None` for cron and anything else.
pub fn schedule_runs_per_month(expression: &str, hours_per_month: f64) -> Option<f64> {
    let inner = expression.strip_prefix("rate(")?.strip_suffix(')')?;
    let (amount, unit) = inner.trim().split_once(' ')?;
    let amount: f64 = amount.parse().ok()?;
    let minutes = match unit.trim_end_matches('s') {
        "minute" => amount,
        "hour" => amount * 60.0,
        "day" => amount * 1440.0,
        _ => return None,
    };
    (minutes > 0.0).then(|| hours_per_month * 60.0 / minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_references_and_names() {
        assert_eq!(
            literal_string(&json!({"Fn::Sub": "a-${X}"})),
            Some("a-${X}".into())
        );
        assert_eq!(literal_number(&json!("20")), Some(20.0));
        assert_eq!(literal_number(&json!({"Ref": "X"})), None);
        assert_eq!(
            referenced_id(&json!({"Fn::GetAtt": ["Fn", "Arn"]})),
            Some("Fn".into())
        );
        assert_eq!(referenced_id(&json!({"Ref": "Api"})), Some("Api".into()));
        assert_eq!(
            short_name("gc-dev-guitars-handler", "gc-dev-"),
            "guitars-handler"
        );
        assert_eq!(
            short_name("gc-dev-uploads-${AWS::AccountId}-${AWS::Region}", "gc-dev-"),
            "uploads"
        );
    }

    #[test]
    fn rate_schedules_become_monthly_runs() {
        assert_eq!(
            schedule_runs_per_month("rate(5 minutes)", 730.0),
            Some(8_760.0)
        );
        assert_eq!(schedule_runs_per_month("rate(1 hour)", 730.0), Some(730.0));
        assert_eq!(
            schedule_runs_per_month("rate(1 day)", 730.0),
            Some(730.0 / 24.0)
        );
        assert_eq!(schedule_runs_per_month("cron(0 9 * * ? *)", 730.0), None);
    }
}
