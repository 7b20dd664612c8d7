//! Permissions as deployed: each function's deployed role against what its template
//! grants. Every (action, resource) of the template's Allow statements is a declared
//! call; a call the deployed role does not allow fails the deploy. An action the deployed
//! role allows that no declared statement covers is reported (not a failure).
//!
//! Whether the role allows a call is a [`PermissionChecker`]: on AWS, IAM's own policy
//! simulator ([`IamSimulator`], `iam:SimulatePrincipalPolicy`: identity policies,
//! boundaries, SCPs); on the emulator, whose IAM evaluates no resources, the role's
//! policies read back (ListRolePolicies/GetRolePolicy, attached managed policies) and
//! evaluated in-process with the crate `iam-rs` ([`LocalEvaluator`]). Its behaviour on
//! the cases that matter here (explicit Deny over Allow, implicit deny, wildcards in
//! actions and resources, case-insensitive actions, `NotAction`, `NotResource`) is
//! checked by this module's tests before it is trusted.
use std::collections::BTreeSet;

use anyhow::{anyhow, Context, Result};
use serde_json::Value;

use super::template::{get_att, Resolver, StackTemplate};
use crate::declared::is_runtime_action;

/// A function and the inline policy statements its role's template grants.
#[derive(Debug, Clone)]
pub struct TemplateFunction {
    /// The stack's file name (`Api`) and CloudFormation name.
    pub stack: String,
    pub stack_name: String,
    pub logical_id: String,
    /// The literal `FunctionName`, when the template sets one.
    pub function_name: Option<String>,
    pub role_logical_id: String,
    /// Statements of the role's inline policies, as written in the template.
    pub statements: Vec<Value>,
}

/// Every Lambda function whose role is a role of the same stack.
pub fn template_functions(stacks: &[StackTemplate]) -> Vec<TemplateFunction> {
    let mut out = Vec::new();
    for s in stacks {
        for (id, props) in s.resources_of("AWS::Lambda::Function") {
            let Some((role, _)) = props.get("Role").and_then(get_att) else {
                continue;
            };
            if s.resource_type(role) != Some("AWS::IAM::Role") {
                continue;
            }
            let statements = s
                .properties(role)
                .and_then(|p| p.get("Policies"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.pointer("/PolicyDocument/Statement"))
                .flat_map(one_or_many)
                .cloned()
                .collect();
            out.push(TemplateFunction {
                stack: s.name.clone(),
                stack_name: s.stack_name.clone(),
                logical_id: id.to_string(),
                function_name: props
                    .get("FunctionName")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                role_logical_id: role.to_string(),
                statements,
            });
        }
    }
    out
}

fn one_or_many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// One action on one resource (an ARN, or `*`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    pub action: String,
    pub resource: String,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on {}", self.action, self.resource)
    }
}

/// A concrete resource a pattern covers: `*` and `?` filled in (a log group's `:*`
/// becomes one log stream), so the check asks about a real request.
pub fn sample_resource(pattern: &str) -> String {
    if pattern == "*" {
        return pattern.to_string();
    }
    pattern.replace('*', "bb-verify").replace('?', "x")
}

/// The declared calls of a function (Allow statements; `Action` × `Resource`), and what
/// could not be checked, with why.
pub fn declared_calls(f: &TemplateFunction, resolver: &Resolver) -> (Vec<Call>, Vec<String>) {
    let mut calls = BTreeSet::new();
    let mut unchecked = Vec::new();
    for st in &f.statements {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        if st.get("Condition").is_some() || st.get("NotAction").is_some() {
            unchecked.push(format!(
                "a statement with {} (not enumerable as calls)",
                if st.get("Condition").is_some() {
                    "a Condition"
                } else {
                    "NotAction"
                }
            ));
            continue;
        }
        let actions: Vec<&str> = st
            .get("Action")
            .map(one_or_many)
            .unwrap_or_default()
            .into_iter()
            .filter_map(Value::as_str)
            .collect();
        for r in st.get("Resource").map(one_or_many).unwrap_or_default() {
            match resolver.string(r) {
                Some(resource) => {
                    for a in &actions {
                        calls.insert(Call {
                            action: a.to_string(),
                            resource: sample_resource(&resource),
                        });
                    }
                }
                None => unchecked.push(format!("{} on {r} (cannot resolve)", actions.join(", "))),
            }
        }
    }
    (calls.into_iter().collect(), unchecked)
}

/// A deployed role and its policy documents (inline and attached managed).
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedRole {
    pub arn: String,
    pub name: String,
    /// (policy name, document).
    pub documents: Vec<(String, Value)>,
}

/// The role name in a role ARN (`arn:aws:iam::1:role/path/name` → `name`).
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// IAM returns policy documents URL-encoded (moto: plain JSON); both are read.
pub fn parse_document(text: &str) -> Result<Value> {
    if let Ok(v) = serde_json::from_str(text) {
        return Ok(v);
    }
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded).map_err(|e| anyhow!("policy document is not JSON: {e}"))
}

fn iam_error<E: std::error::Error + 'static, R: std::fmt::Debug>(
    e: aws_sdk_iam::error::SdkError<E, R>,
) -> anyhow::Error {
    anyhow!("{}", aws_sdk_iam::error::DisplayErrorContext(e))
}

/// The role's inline and attached managed policies, read back from IAM.
pub async fn read_role(iam: &aws_sdk_iam::Client, arn: &str) -> Result<DeployedRole> {
    let name = role_name(arn).to_string();
    let mut documents = Vec::new();
    let mut pages = iam
        .list_role_policies()
        .role_name(&name)
        .into_paginator()
        .send();
    let mut inline = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(iam_error)
            .with_context(|| format!("ListRolePolicies {name}"))?;
        inline.extend(page.policy_names().iter().cloned());
    }
    for policy in inline {
        let out = iam
            .get_role_policy()
            .role_name(&name)
            .policy_name(&policy)
            .send()
            .await
            .map_err(iam_error)
            .with_context(|| format!("GetRolePolicy {name}/{policy}"))?;
        documents.push((policy, parse_document(out.policy_document())?));
    }
    let mut pages = iam
        .list_attached_role_policies()
        .role_name(&name)
        .into_paginator()
        .send();
    let mut attached = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(iam_error)
            .with_context(|| format!("ListAttachedRolePolicies {name}"))?;
        for p in page.attached_policies() {
            if let Some(a) = p.policy_arn() {
                attached.push(a.to_string());
            }
        }
    }
    for policy_arn in attached {
        let policy = iam
            .get_policy()
            .policy_arn(&policy_arn)
            .send()
            .await
            .map_err(iam_error)
            .with_context(|| format!("GetPolicy {policy_arn}"))?;
        let version = policy
            .policy()
            .and_then(|p| p.default_version_id())
            .ok_or_else(|| anyhow!("{policy_arn} has no default version"))?;
        let doc = iam
            .get_policy_version()
            .policy_arn(&policy_arn)
            .version_id(version)
            .send()
            .await
            .map_err(iam_error)
            .with_context(|| format!("GetPolicyVersion {policy_arn}"))?;
        let text = doc
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default();
        documents.push((policy_arn, parse_document(text)?));
    }
    Ok(DeployedRole {
        arn: arn.to_string(),
        name,
        documents,
    })
}

/// Whether a role allows calls.
#[allow(async_fn_in_trait)]
pub trait PermissionChecker {
    /// For messages: how the decision was made.
    fn method(&self) -> &'static str;
    /// One verdict per call, in order: allowed or not.
    async fn allowed(&self, role: &DeployedRole, calls: &[Call]) -> Result<Vec<bool>>;
}

/// IAM's policy simulator: what AWS itself decides for the role.
pub struct IamSimulator {
    pub client: aws_sdk_iam::Client,
}

impl PermissionChecker for IamSimulator {
    fn method(&self) -> &'static str {
        "iam:SimulatePrincipalPolicy"
    }

    async fn allowed(&self, role: &DeployedRole, calls: &[Call]) -> Result<Vec<bool>> {
        // One simulation per resource, with all its actions: each result names its action.
        let mut by_resource: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for c in calls {
            by_resource.entry(&c.resource).or_default().push(&c.action);
        }
        let mut allowed: BTreeSet<(String, String)> = BTreeSet::new();
        for (resource, actions) in by_resource {
            let mut request = self
                .client
                .simulate_principal_policy()
                .policy_source_arn(&role.arn)
                .set_action_names(Some(actions.iter().map(|a| a.to_string()).collect()));
            if resource != "*" {
                request = request.resource_arns(resource);
            }
            let mut pages = request.into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(iam_error).with_context(|| {
                    format!("SimulatePrincipalPolicy {} on {resource}", role.arn)
                })?;
                for r in page.evaluation_results() {
                    if r.eval_decision().as_str() == "allowed" {
                        allowed.insert((
                            r.eval_action_name().to_ascii_lowercase(),
                            resource.to_string(),
                        ));
                    }
                }
            }
        }
        Ok(calls
            .iter()
            .map(|c| allowed.contains(&(c.action.to_ascii_lowercase(), c.resource.clone())))
            .collect())
    }
}

/// The role's policy documents evaluated in-process (iam-rs).
pub struct LocalEvaluator;

/// A stand-in ARN for a call on `*`: only `*`-like patterns match it, as in AWS.
const ANY_RESOURCE: &str = "arn:aws:bb-verify:us-east-1:000000000000:any";

impl LocalEvaluator {
    pub fn decide(documents: &[Value], call: &Call) -> Result<bool> {
        let decision = Self::evaluate(documents, call, iam_rs::Context::new())?;
        Ok(decision == iam_rs::Decision::Allow)
    }

    /// The decision for one call, with condition keys in `context`: `Allow`, `Deny` (an
    /// explicit Deny) or `NotApplicable` (no statement allows it: an implicit deny).
    pub fn evaluate(
        documents: &[Value],
        call: &Call,
        context: iam_rs::Context,
    ) -> Result<iam_rs::Decision> {
        let policies = documents
            .iter()
            .map(|d| {
                let mut d = d.clone();
                // IAM takes documents without a Version as 2008-10-17; iam-rs wants one.
                if let Some(doc) = d.as_object_mut() {
                    doc.entry("Version").or_insert_with(|| "2008-10-17".into());
                }
                iam_rs::IAMPolicy::from_json(&d.to_string())
                    .map_err(|e| anyhow!("policy document not understood by iam-rs: {e}"))
            })
            .collect::<Result<Vec<_>>>()?;
        let resource = if call.resource == "*" {
            ANY_RESOURCE
        } else {
            &call.resource
        };
        let arn =
            iam_rs::Arn::parse(resource).map_err(|e| anyhow!("{resource} is not an ARN: {e:?}"))?;
        let request = iam_rs::IAMRequest::new_with_context(
            iam_rs::Principal::Aws(iam_rs::PrincipalId::String(
                "arn:aws:iam::000000000000:role/bb-verify".into(),
            )),
            call.action.clone(),
            arn,
            context,
        );
        iam_rs::evaluate_policies(&policies, &request)
            .map_err(|e| anyhow!("evaluating {call}: {e}"))
    }
}

impl PermissionChecker for LocalEvaluator {
    fn method(&self) -> &'static str {
        "the role's policies evaluated locally (iam-rs)"
    }

    async fn allowed(&self, role: &DeployedRole, calls: &[Call]) -> Result<Vec<bool>> {
        let documents: Vec<Value> = role.documents.iter().map(|(_, d)| d.clone()).collect();
        calls
            .iter()
            .map(|c| LocalEvaluator::decide(&documents, c))
            .collect()
    }
}

/// The actions a template's Allow statements grant (what a function declares when its
/// app has no contract).
pub fn template_actions(f: &TemplateFunction) -> Vec<String> {
    f.statements
        .iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .flat_map(|s| s.get("Action").map(one_or_many).unwrap_or_default())
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Actions the deployed role allows that no declared action covers (deployed action
/// patterns, compared case-insensitively, wildcards in declared actions honoured). The
/// runtime's own actions (writing logs) are never reported.
pub fn undeclared_grants(role: &DeployedRole, declared: &[String]) -> Vec<String> {
    let declared_actions: Vec<String> = declared.iter().map(|a| a.to_ascii_lowercase()).collect();
    let covered = |action: &str| {
        let a = action.to_ascii_lowercase();
        is_runtime_action(&a) || declared_actions.iter().any(|d| *d == a || glob(d, &a))
    };
    let mut out = BTreeSet::new();
    for (_, doc) in &role.documents {
        for st in doc.get("Statement").map(one_or_many).unwrap_or_default() {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            if st.get("NotAction").is_some() {
                out.insert("NotAction (everything but a list)".to_string());
            }
            for a in st.get("Action").map(one_or_many).unwrap_or_default() {
                if let Some(a) = a.as_str().filter(|a| !covered(a)) {
                    out.insert(a.to_string());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// `*` and `?` wildcards, as in IAM action names (and resource ARNs).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn allowed(statements: Value, action: &str, resource: &str) -> bool {
        let doc = json!({"Version": "2012-10-17", "Statement": statements});
        LocalEvaluator::decide(
            &[doc],
            &Call {
                action: action.into(),
                resource: resource.into(),
            },
        )
        .unwrap()
    }

    const TABLE: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/app-dev-table";

    // Known AWS behaviour the local evaluator must reproduce before it is trusted.
    #[test]
    fn iam_rs_explicit_deny_beats_allow_and_nothing_is_an_implicit_deny() {
        let allow = json!({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE});
        let deny = json!({"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"});
        assert!(allowed(json!([allow.clone()]), "dynamodb:GetItem", TABLE));
        assert!(!allowed(
            json!([allow.clone(), deny.clone()]),
            "dynamodb:GetItem",
            TABLE
        ));
        assert!(!allowed(
            json!([deny, allow.clone()]),
            "dynamodb:GetItem",
            TABLE
        ));
        assert!(
            !allowed(json!([allow]), "dynamodb:PutItem", TABLE),
            "implicit deny"
        );
        // Two policies (the second without a Version, which IAM accepts): the Deny in one
        // beats the Allow in the other.
        let docs = [
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}),
        ];
        let call = |a: &str| Call {
            action: a.into(),
            resource: "arn:aws:s3:::b/k".into(),
        };
        assert!(LocalEvaluator::decide(&docs, &call("s3:GetObject")).unwrap());
        assert!(!LocalEvaluator::decide(&docs, &call("s3:DeleteObject")).unwrap());
    }

    #[test]
    fn iam_rs_wildcards_in_actions_are_prefix_globs_and_case_insensitive() {
        let st = json!([{"Effect": "Allow", "Action": ["dynamodb:Get*", "logs:Put?ogEvents"], "Resource": "*"}]);
        assert!(allowed(st.clone(), "dynamodb:GetItem", TABLE));
        assert!(
            allowed(st.clone(), "DynamoDB:getitem", TABLE),
            "actions ignore case"
        );
        assert!(!allowed(st.clone(), "dynamodb:PutItem", TABLE));
        assert!(allowed(st.clone(), "logs:PutLogEvents", TABLE));
        assert!(!allowed(st, "logs:PutLogEvent", TABLE));
    }

    #[test]
    fn iam_rs_wildcards_in_resources_match_as_aws_does() {
        let index = json!([{"Effect": "Allow", "Action": "dynamodb:Query",
            "Resource": format!("{TABLE}/index/*")}]);
        assert!(allowed(
            index.clone(),
            "dynamodb:Query",
            &format!("{TABLE}/index/GSI1")
        ));
        assert!(
            !allowed(index, "dynamodb:Query", TABLE),
            "table/x/* is not table/x"
        );
        // A log group's `:*` covers its streams (the wildcard spans the resource's colons).
        let group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/app-dev-fn";
        let logs = json!([{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": format!("{group}:*")}]);
        assert!(allowed(
            logs.clone(),
            "logs:PutLogEvents",
            &format!("{group}:log-stream:2026/01/01/x")
        ));
        assert!(!allowed(
            logs,
            "logs:PutLogEvents",
            &format!("{group}-other:log-stream:x")
        ));
        // Account and region are matched too: another account's table is not granted.
        let other = "arn:aws:dynamodb:us-east-1:999999999999:table/app-dev-table";
        let exact = json!([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}]);
        assert!(!allowed(exact.clone(), "dynamodb:GetItem", other));
        assert!(
            !allowed(exact, "dynamodb:GetItem", &format!("{TABLE}2")),
            "no prefix match"
        );
        let s3 = json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos-?/*"}]);
        assert!(allowed(
            s3.clone(),
            "s3:GetObject",
            "arn:aws:s3:::photos-1/a/b.jpg"
        ));
        assert!(!allowed(s3, "s3:GetObject", "arn:aws:s3:::photos-10/a.jpg"));
    }

    #[test]
    fn iam_rs_not_action_and_not_resource() {
        let not_action = json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]);
        assert!(allowed(
            not_action.clone(),
            "s3:GetObject",
            "arn:aws:s3:::b/k"
        ));
        assert!(!allowed(
            not_action,
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/x"
        ));
        let not_resource = json!([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::public/*"}]);
        assert!(allowed(
            not_resource.clone(),
            "s3:GetObject",
            "arn:aws:s3:::public/a"
        ));
        assert!(!allowed(
            not_resource,
            "s3:GetObject",
            "arn:aws:s3:::private/a"
        ));
    }

    #[test]
    fn declared_calls_resolve_the_templates_arns() {
        let f = TemplateFunction {
            stack: "Api".into(),
            stack_name: "app-dev-api".into(),
            logical_id: "Fn".into(),
            function_name: Some("app-dev-fn".into()),
            role_logical_id: "FnRole".into(),
            statements: vec![
                json!({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                    "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t"}]}),
                json!({"Effect": "Allow", "Action": "logs:PutLogEvents",
                    "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/f:*"}}),
                json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}),
                json!({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}),
            ],
        };
        let (calls, unchecked) = declared_calls(&f, &Resolver::new("us-east-1", "123456789012"));
        let shown: Vec<String> = calls.iter().map(Call::to_string).collect();
        assert_eq!(
            shown,
            [
                "dynamodb:GetItem on arn:aws:dynamodb:us-east-1:123456789012:table/t",
                "dynamodb:Query on arn:aws:dynamodb:us-east-1:123456789012:table/t",
                "logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:bb-verify",
            ]
        );
        assert_eq!(unchecked.len(), 1);
        assert!(unchecked[0].contains("sqs:SendMessage"), "{unchecked:?}");
    }

    #[test]
    fn grants_nothing_declares_are_listed() {
        let f = TemplateFunction {
            stack: "Api".into(),
            stack_name: "s".into(),
            logical_id: "Fn".into(),
            function_name: None,
            role_logical_id: "R".into(),
            statements: vec![
                json!({"Effect": "Allow", "Action": ["dynamodb:Get*", "logs:PutLogEvents"], "Resource": "*"}),
            ],
        };
        let role = DeployedRole {
            arn: "arn:aws:iam::1:role/r".into(),
            name: "r".into(),
            documents: vec![(
                "p".into(),
                json!({"Statement": [
                    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:*", "LOGS:PutLogEvents", "s3:GetObject"], "Resource": "*"},
                    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}),
            )],
        };
        assert_eq!(
            undeclared_grants(&role, &template_actions(&f)),
            ["dynamodb:*", "s3:GetObject"]
        );
        // Against a contract's list: what it lacks is reported, the runtime's logs never.
        let contract = ["dynamodb:GetItem".to_string()];
        assert_eq!(
            undeclared_grants(&role, &contract),
            ["dynamodb:*", "s3:GetObject"]
        );
        assert_eq!(
            undeclared_grants(&role, &[]),
            ["dynamodb:*", "dynamodb:GetItem", "s3:GetObject"]
        );
    }

    #[test]
    fn documents_may_come_url_encoded() {
        let doc = parse_document("%7B%22Statement%22%3A%5B%5D%7D").unwrap();
        assert_eq!(doc, json!({"Statement": []}));
        assert_eq!(
            role_name("arn:aws:iam::1:role/service/app-dev-fn"),
            "app-dev-fn"
        );
    }
}
