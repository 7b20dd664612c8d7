//! Reading synthesized templates: resources by type, what `Ref`/`Fn::GetAtt`/`Fn::Join`
//! point at, and `Fn::Sub` strings with the pseudo parameters filled in. Just enough to
//! say what a deploy meant to create; anything else is reported as unresolvable.
use std::collections::BTreeMap;

use serde_json::Value;

/// A parsed template with its stack's names.
#[derive(Debug, Clone)]
pub struct StackTemplate {
    /// The stack's file name, e.g. `Api`.
    pub name: String,
    /// The CloudFormation stack name, e.g. `bubblebatch-dev-api`.
    pub stack_name: String,
    pub template: Value,
}

impl StackTemplate {
    /// A synthesized stack's template: its value, not its text parsed again.
    pub fn of(stack: &crate::synth::SynthesizedStack) -> anyhow::Result<StackTemplate> {
        Ok(StackTemplate {
            name: stack.name.clone(),
            stack_name: stack.stack_name.clone(),
            template: Value::clone(&stack.template),
        })
    }

    pub fn parse(name: &str, stack_name: &str, json: &str) -> anyhow::Result<StackTemplate> {
        Ok(StackTemplate {
            name: name.to_string(),
            stack_name: stack_name.to_string(),
            template: serde_json::from_str(json)
                .map_err(|e| anyhow::anyhow!("{name}: template is not JSON: {e}"))?,
        })
    }

    /// `(logical id, properties)` of every resource of this type, sorted by logical id.
    pub fn resources_of<'a>(&'a self, resource_type: &str) -> Vec<(&'a str, &'a Value)> {
        static EMPTY: Value = Value::Null;
        let mut found: Vec<(&str, &Value)> = self
            .template
            .get("Resources")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(resource_type))
            .map(|(id, r)| (id.as_str(), r.get("Properties").unwrap_or(&EMPTY)))
            .collect();
        found.sort_by_key(|(id, _)| *id);
        found
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Value> {
        self.template.get("Resources")?.get(logical_id)
    }

    pub fn resource_type(&self, logical_id: &str) -> Option<&str> {
        self.resource(logical_id)?.get("Type")?.as_str()
    }

    pub fn properties(&self, logical_id: &str) -> Option<&Value> {
        self.resource(logical_id)?.get("Properties")
    }

    /// The default of an SSM-typed parameter (`AWS::SSM::Parameter::Value<...>`): the
    /// path of the SSM parameter CloudFormation reads.
    pub fn ssm_parameter_path(&self, parameter: &str) -> Option<&str> {
        let p = self.template.get("Parameters")?.get(parameter)?;
        p.get("Type")?
            .as_str()?
            .starts_with("AWS::SSM::Parameter::Value")
            .then(|| p.get("Default")?.as_str())
            .flatten()
    }
}

/// `{"Ref": X}` → X.
pub fn ref_target(v: &Value) -> Option<&str> {
    v.get("Ref")?.as_str()
}

/// `{"Fn::GetAtt": [X, Attr]}` (or `"X.Attr"`) → (X, Attr).
pub fn get_att(v: &Value) -> Option<(&str, &str)> {
    match v.get("Fn::GetAtt")? {
        Value::Array(parts) => Some((parts.first()?.as_str()?, parts.get(1)?.as_str()?)),
        Value::String(s) => s.split_once('.'),
        _ => None,
    }
}

/// The logical id a value points at through `Ref`, `Fn::GetAtt`, or a `Fn::Join`/`Fn::Sub`
/// whose only reference is one resource (e.g. `integrations/${Integration}`).
pub fn referenced_resource(v: &Value) -> Option<&str> {
    if let Some(r) = ref_target(v) {
        return Some(r);
    }
    if let Some((r, _)) = get_att(v) {
        return Some(r);
    }
    if let Some(Value::Array(parts)) = v.get("Fn::Join") {
        let items = parts.get(1)?.as_array()?;
        let refs: Vec<&str> = items.iter().filter_map(referenced_resource).collect();
        return (refs.len() == 1).then(|| refs[0]);
    }
    if let Some(s) = v.get("Fn::Sub").and_then(Value::as_str) {
        let refs: Vec<&str> = sub_variables(s)
            .into_iter()
            .filter(|r| !r.starts_with("AWS::"))
            .collect();
        return (refs.len() == 1).then(|| refs[0]);
    }
    None
}

/// The `${...}` names of an `Fn::Sub` string (without `${!literal}` escapes).
pub fn sub_variables(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

/// Values for the pseudo parameters and for references a caller knows.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub url_suffix: String,
    /// `Ref` values of resources and parameters (e.g. physical ids), by logical id.
    pub refs: BTreeMap<String, String>,
}

impl Resolver {
    pub fn new(region: &str, account: &str) -> Resolver {
        let partition = if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        };
        Resolver {
            partition: partition.into(),
            region: region.into(),
            account: account.into(),
            url_suffix: if partition == "aws-cn" {
                "amazonaws.com.cn".into()
            } else {
                "amazonaws.com".into()
            },
            refs: BTreeMap::new(),
        }
    }

    fn variable(&self, name: &str) -> Option<String> {
        match name {
            "AWS::Partition" => Some(self.partition.clone()),
            "AWS::Region" => Some(self.region.clone()),
            "AWS::AccountId" => Some(self.account.clone()),
            "AWS::URLSuffix" => Some(self.url_suffix.clone()),
            other => self.refs.get(other).cloned(),
        }
    }

    /// A string value: literal, `Ref`, or `Fn::Sub` (string form); `None` when it uses
    /// something unknown.
    pub fn string(&self, v: &Value) -> Option<String> {
        if let Some(s) = v.as_str() {
            return Some(s.to_string());
        }
        if let Some(r) = ref_target(v) {
            return self.variable(r);
        }
        let sub = v.get("Fn::Sub")?.as_str()?;
        let mut out = String::new();
        let mut rest = sub;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            let name = &after[..end];
            match name.strip_prefix('!') {
                Some(literal) => {
                    out.push_str("${");
                    out.push_str(literal);
                    out.push('}');
                }
                None => out.push_str(&self.variable(name)?),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_found_through_join_and_sub() {
        let join = json!({"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]});
        assert_eq!(referenced_resource(&join), Some("Integration"));
        let sub = json!({"Fn::Sub": "integrations/${Integration}"});
        assert_eq!(referenced_resource(&sub), Some("Integration"));
        assert_eq!(
            referenced_resource(&json!({"Fn::GetAtt": ["Fn", "Arn"]})),
            Some("Fn")
        );
        assert_eq!(
            referenced_resource(&json!({"Fn::GetAtt": "Fn.Arn"})),
            Some("Fn")
        );
        let two = json!({"Fn::Sub": "${A}/${B}"});
        assert_eq!(referenced_resource(&two), None);
    }

    #[test]
    fn sub_fills_pseudo_parameters_and_known_refs() {
        let mut r = Resolver::new("us-east-1", "123456789012");
        r.refs.insert("HttpApi".into(), "abc123".into());
        let v = json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*"});
        assert_eq!(
            r.string(&v).unwrap(),
            "arn:aws:execute-api:us-east-1:123456789012:abc123/*"
        );
        assert_eq!(
            r.string(&json!({"Fn::Sub": "${!Literal}-x"})).unwrap(),
            "${Literal}-x"
        );
        assert_eq!(r.string(&json!({"Fn::Sub": "${Unknown}"})), None);
        assert_eq!(Resolver::new("cn-north-1", "1").partition, "aws-cn");
    }

    #[test]
    fn ssm_typed_parameters_name_their_path() {
        let t = StackTemplate {
            name: "Monitoring".into(),
            stack_name: "x".into(),
            template: json!({"Parameters": {
                "ApiId": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/dev/api/id"},
                "Plain": {"Type": "String", "Default": "/not/ssm"}}}),
        };
        assert_eq!(t.ssm_parameter_path("ApiId"), Some("/app/dev/api/id"));
        assert_eq!(t.ssm_parameter_path("Plain"), None);
    }
}
