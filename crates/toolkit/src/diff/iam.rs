//! IAM statements of a template, and whether a change broadens access.
//!
//! Broadening: an added `Allow` not covered by an old `Allow` (same source, kind,
//! principal and condition; actions and resources a subset), a removed `Deny`, or a new
//! Lambda permission / trust relationship (both are `Allow`s).
use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::values::{render, render_list};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementKind {
    /// A role's or policy's identity-based permissions.
    Identity,
    /// A role's trust policy (who may assume it).
    Trust,
    /// A resource policy (bucket, topic, queue).
    Resource,
    /// `AWS::Lambda::Permission`: who may invoke a function.
    LambdaPermission,
    /// A managed policy attached by ARN.
    ManagedPolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct IamStatement {
    /// Logical ID of the resource carrying the statement.
    pub source: String,
    pub kind: StatementKind,
    pub effect: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub principal: String,
    /// Rendered `Condition`, if any.
    pub condition: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IamDiff {
    pub added: Vec<IamStatement>,
    pub removed: Vec<IamStatement>,
    /// The statements that make `broadening` true.
    pub broadening_statements: Vec<IamStatement>,
    pub broadening: bool,
}

impl IamDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Every IAM statement in a template, sorted.
pub fn statements(template: &Value) -> Vec<IamStatement> {
    let mut out = BTreeSet::new();
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    for (id, resource) in resources {
        let ty = resource.get("Type").and_then(Value::as_str).unwrap_or("");
        let props = resource.get("Properties").cloned().unwrap_or(Value::Null);
        let role = format!("role {id}");
        match ty {
            "AWS::IAM::Role" => {
                document(
                    &mut out,
                    id,
                    StatementKind::Trust,
                    None,
                    props.get("AssumeRolePolicyDocument"),
                );
                for policy in props
                    .get("Policies")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    document(
                        &mut out,
                        id,
                        StatementKind::Identity,
                        Some(&role),
                        policy.get("PolicyDocument"),
                    );
                }
                for arn in render_list(props.get("ManagedPolicyArns")) {
                    out.insert(IamStatement {
                        source: id.clone(),
                        kind: StatementKind::ManagedPolicy,
                        effect: "Allow".into(),
                        actions: vec!["(managed policy)".into()],
                        resources: vec![arn],
                        principal: role.clone(),
                        condition: None,
                    });
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let mut holders: Vec<String> = Vec::new();
                for (key, label) in [("Roles", "role"), ("Users", "user"), ("Groups", "group")] {
                    holders.extend(
                        render_list(props.get(key))
                            .into_iter()
                            .map(|h| format!("{label} {h}")),
                    );
                }
                let principal = holders.join(", ");
                document(
                    &mut out,
                    id,
                    StatementKind::Identity,
                    Some(&principal),
                    props.get("PolicyDocument"),
                );
            }
            "AWS::S3::BucketPolicy" | "AWS::SNS::TopicPolicy" | "AWS::SQS::QueuePolicy" => {
                document(
                    &mut out,
                    id,
                    StatementKind::Resource,
                    None,
                    props.get("PolicyDocument"),
                );
            }
            "AWS::Lambda::Permission" => {
                let condition = ["SourceArn", "SourceAccount"]
                    .iter()
                    .filter_map(|k| props.get(*k).map(|v| format!("{k}={}", render(v))))
                    .collect::<Vec<_>>();
                out.insert(IamStatement {
                    source: id.clone(),
                    kind: StatementKind::LambdaPermission,
                    effect: "Allow".into(),
                    actions: render_list(props.get("Action")),
                    resources: render_list(props.get("FunctionName")),
                    principal: props.get("Principal").map(render).unwrap_or_default(),
                    condition: (!condition.is_empty()).then(|| condition.join(", ")),
                });
            }
            _ => {}
        }
    }
    out.into_iter().collect()
}

fn document(
    out: &mut BTreeSet<IamStatement>,
    source: &str,
    kind: StatementKind,
    principal: Option<&str>,
    doc: Option<&Value>,
) {
    let statements = match doc.and_then(|d| d.get("Statement")) {
        Some(Value::Array(items)) => items.clone(),
        Some(single) => vec![single.clone()],
        None => return,
    };
    for s in statements {
        let negated = |pos: &str, neg: &str| -> Vec<String> {
            match s.get(pos) {
                Some(v) => render_list(Some(v)),
                None => render_list(s.get(neg))
                    .into_iter()
                    .map(|a| format!("NOT {a}"))
                    .collect(),
            }
        };
        let mut actions = negated("Action", "NotAction");
        let mut resources = negated("Resource", "NotResource");
        actions.sort();
        resources.sort();
        let principal = match principal {
            Some(p) => p.to_string(),
            None => render_principal(s.get("Principal")),
        };
        out.insert(IamStatement {
            source: source.to_string(),
            kind,
            effect: s
                .get("Effect")
                .and_then(Value::as_str)
                .unwrap_or("Allow")
                .to_string(),
            actions,
            resources,
            principal,
            condition: s.get("Condition").map(render),
        });
    }
}

fn render_principal(p: Option<&Value>) -> String {
    match p {
        None => String::new(),
        Some(Value::Object(map)) => map
            .iter()
            .flat_map(|(k, v)| {
                render_list(Some(v))
                    .into_iter()
                    .map(move |x| format!("{k}:{x}"))
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => render(other),
    }
}

fn covered_by(s: &IamStatement, old: &IamStatement) -> bool {
    let subset = |a: &[String], b: &[String]| {
        a.iter()
            .all(|x| b.contains(x) || b.contains(&"*".to_string()))
    };
    old.effect == "Allow"
        && old.source == s.source
        && old.kind == s.kind
        && old.principal == s.principal
        && old.condition == s.condition
        && subset(&s.actions, &old.actions)
        && subset(&s.resources, &old.resources)
}

pub fn diff(old: &[IamStatement], new: &[IamStatement]) -> IamDiff {
    let added: Vec<IamStatement> = new.iter().filter(|s| !old.contains(s)).cloned().collect();
    let removed: Vec<IamStatement> = old.iter().filter(|s| !new.contains(s)).cloned().collect();
    let mut broadening_statements: Vec<IamStatement> = added
        .iter()
        .filter(|s| s.effect == "Allow" && !old.iter().any(|o| covered_by(s, o)))
        .cloned()
        .collect();
    broadening_statements.extend(removed.iter().filter(|s| s.effect == "Deny").cloned());
    IamDiff {
        broadening: !broadening_statements.is_empty(),
        added,
        removed,
        broadening_statements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(actions: Value, extra: Option<Value>) -> Value {
        let mut statements = vec![
            json!({"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Table", "Arn"]}}),
        ];
        statements.extend(extra);
        json!({"Resources": {"FnRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"}}]},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": statements}}]}}}})
    }

    #[test]
    fn extracts_trust_and_identity_statements() {
        let s = statements(&role(json!("dynamodb:GetItem"), None));
        assert_eq!(s.len(), 2);
        let trust = s.iter().find(|s| s.kind == StatementKind::Trust).unwrap();
        assert_eq!(trust.principal, "Service:lambda.amazonaws.com");
        let id = s
            .iter()
            .find(|s| s.kind == StatementKind::Identity)
            .unwrap();
        assert_eq!(id.resources, vec!["${Table.Arn}"]);
        assert_eq!(id.principal, "role FnRole");
    }

    #[test]
    fn added_action_broadens_removed_action_does_not() {
        let narrow = statements(&role(json!("dynamodb:GetItem"), None));
        let wide = statements(&role(json!(["dynamodb:GetItem", "dynamodb:PutItem"]), None));
        assert!(diff(&narrow, &wide).broadening);
        let d = diff(&wide, &narrow);
        assert!(!d.broadening, "{d:?}");
        assert_eq!(d.removed.len(), 1);
    }

    #[test]
    fn removed_deny_broadens() {
        let deny = json!({"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"});
        let with = statements(&role(json!("dynamodb:GetItem"), Some(deny)));
        let without = statements(&role(json!("dynamodb:GetItem"), None));
        let d = diff(&with, &without);
        assert!(d.broadening);
        assert_eq!(d.broadening_statements[0].effect, "Deny");
    }

    #[test]
    fn new_lambda_permission_broadens() {
        let perm = json!({"Resources": {"Invoke": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "Fn"},
            "Principal": "apigateway.amazonaws.com", "SourceArn": "arn:x"}}}});
        let d = diff(&[], &statements(&perm));
        assert!(d.broadening);
        assert_eq!(d.added[0].condition.as_deref(), Some("SourceArn=arn:x"));
    }
}
