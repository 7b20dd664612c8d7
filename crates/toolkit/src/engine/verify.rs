//! After a deploy: the stage's API and functions read back and checked against what the
//! app declares ([`Declared`], its app<->infra contract) or, for an app without one,
//! against the synthesized templates ([`verify_routes`](super::verify_routes),
//! [`verify_permissions`](super::verify_permissions)). The templates always say where a
//! declared thing lives (the API's and roles' physical ids, the ARNs an action is on).
use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};

use super::cfn::Cfn;
use super::deploy::Engine;
use super::template::{ref_target, sub_variables, Resolver, StackTemplate};
use super::verify_permissions::{
    declared_calls, read_role, role_name, template_actions, template_functions, undeclared_grants,
    Call, PermissionChecker,
};
use super::verify_routes;
use crate::declared::{is_runtime_action, Declared};

/// What one function's check found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunctionCheck {
    pub function: String,
    pub role: String,
    /// Declared calls checked.
    pub checked: usize,
    /// Declared calls the deployed role does not allow (a failure).
    pub denied: Vec<Call>,
    /// Actions the app declares that no statement of the function's template grants on
    /// any resource (a failure: the role cannot allow them).
    pub never_granted: Vec<String>,
    /// The function runs with another role than its stack's (a failure).
    pub wrong_role: Option<String>,
    /// Actions the role allows that nothing declares (reported).
    pub undeclared: Vec<String>,
    /// Declared statements that could not be checked, and why (reported).
    pub unchecked: Vec<String>,
}

/// Everything a verification found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verification {
    /// Per stack with an HTTP API: the differences (empty: as declared).
    pub routes: BTreeMap<String, Vec<String>>,
    /// Declared routes per API stack (for the summary).
    pub route_count: BTreeMap<String, usize>,
    pub functions: Vec<FunctionCheck>,
    /// How permissions were decided.
    pub method: String,
}

impl Verification {
    /// The failures, one sentence each.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (stack, problems) in &self.routes {
            out.extend(problems.iter().map(|p| format!("{stack}: {p}")));
        }
        for f in &self.functions {
            if let Some(role) = &f.wrong_role {
                out.push(format!("{}: {role}", f.function));
            }
            for call in &f.denied {
                out.push(format!(
                    "{}: role {} does not allow the declared {call}",
                    f.function, f.role
                ));
            }
            for action in &f.never_granted {
                out.push(format!(
                    "{}: the app declares {action}, which its template grants on no resource",
                    f.function
                ));
            }
        }
        out
    }

    /// Worth knowing, not failing for.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.functions {
            if !f.undeclared.is_empty() {
                out.push(format!(
                    "{}: role {} allows actions nothing declares: {}",
                    f.function,
                    f.role,
                    f.undeclared.join(", ")
                ));
            }
            for u in &f.unchecked {
                out.push(format!("{}: not checked: {u}", f.function));
            }
        }
        out
    }

    /// One line: what was checked.
    pub fn summary(&self) -> String {
        let routes: usize = self.route_count.values().sum();
        let calls: usize = self.functions.iter().map(|f| f.checked).sum();
        format!(
            "verified: {routes} route(s) of {} API(s); {calls} declared call(s) of {} function(s) \
             ({})",
            self.route_count.len(),
            self.functions.len(),
            self.method
        )
    }
}

fn stack_of<'a>(stacks: &'a [StackTemplate], stack_name: &str) -> Option<&'a StackTemplate> {
    stacks.iter().find(|s| s.stack_name == stack_name)
}

/// Reads back and compares the HTTP API of every stack that declares one.
pub async fn routes<C: Cfn>(
    engine: &Engine<'_, C>,
    apigateway: &aws_sdk_apigatewayv2::Client,
    stacks: &[StackTemplate],
    app: Option<&Declared>,
    into: &mut Verification,
) -> Result<()> {
    for stack in stacks {
        let Some((api_logical, declared)) = verify_routes::declared(stack)? else {
            continue;
        };
        let physical = |logical: String| async move {
            engine
                .call("DescribeStackResource", || {
                    engine.cfn.physical_id(&stack.stack_name, &logical)
                })
                .await
                .map_err(|e| anyhow!("{}: {logical}: {e}", stack.name))
        };
        let api_id = physical(api_logical.clone())
            .await?
            .ok_or_else(|| anyhow!("{}: {api_logical} has no physical id", stack.name))?;
        let mut functions: Vec<String> = declared
            .routes
            .values()
            .filter_map(|r| r.function.clone())
            // Logical ids of this stack; a name from an integration's ARN is final.
            .filter(|f| stack.resource(f).is_some())
            .collect();
        functions.sort();
        functions.dedup();
        let mut names = BTreeMap::new();
        for f in functions {
            if let Some(name) = physical(f.clone()).await? {
                names.insert(f, name);
            }
        }
        let declared = declared.with_function_names(&names);
        // The app's routes; the template adds what the app does not declare (authorizer
        // names, throttling).
        let declared = match app {
            Some(app) => verify_routes::from_declared(&declared, &app.routes),
            None => declared,
        };
        let deployed = verify_routes::deployed(apigateway, &api_id).await?;
        into.route_count
            .insert(stack.name.clone(), declared.routes.len());
        into.routes.insert(
            stack.name.clone(),
            verify_routes::compare(&declared, &deployed),
        );
    }
    Ok(())
}

/// Names a policy statement refers to (`Ref`, `${Name}` in `Fn::Sub`), pseudo
/// parameters and attributes left out.
fn referenced_names(v: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(r) = ref_target(v) {
        out.push(r.to_string());
    }
    if let Some(s) = v.get("Fn::Sub").and_then(serde_json::Value::as_str) {
        out.extend(
            sub_variables(s)
                .into_iter()
                .filter(|n| !n.starts_with("AWS::") && !n.contains('.'))
                .map(str::to_string),
        );
    }
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| referenced_names(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| referenced_names(i, out)),
        _ => {}
    }
}

/// Values for what a function's statements refer to: its stack's parameters as deployed
/// (SSM-typed ones read from their SSM parameter, as CloudFormation did) and its
/// resources' physical ids.
async fn resolver<C: Cfn>(
    engine: &Engine<'_, C>,
    ssm: &aws_sdk_ssm::Client,
    stack: &StackTemplate,
    statements: &[serde_json::Value],
    region: &str,
    account: &str,
) -> Result<Resolver> {
    let mut resolver = Resolver::new(region, account);
    let mut names = Vec::new();
    statements
        .iter()
        .for_each(|s| referenced_names(s, &mut names));
    names.sort();
    names.dedup();
    let deployed = engine
        .describe(&stack.stack_name)
        .await?
        .map(|i| i.parameters)
        .unwrap_or_default();
    for name in names {
        let parameter = stack.template.get("Parameters").and_then(|p| p.get(&name));
        let value = if let Some(path) = stack.ssm_parameter_path(&name) {
            // The engine never overrides SSM-typed parameters: CloudFormation read this path.
            ssm.get_parameter()
                .name(path)
                .send()
                .await
                .ok()
                .and_then(|o| o.parameter().and_then(|p| p.value()).map(str::to_string))
        } else if let Some(p) = parameter {
            deployed.get(&name).cloned().or_else(|| {
                p.get("Default")
                    .and_then(|d| d.as_str())
                    .map(str::to_string)
            })
        } else if stack.resource(&name).is_some() {
            engine
                .call("DescribeStackResource", || {
                    engine.cfn.physical_id(&stack.stack_name, &name)
                })
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        if let Some(v) = value {
            resolver.refs.insert(name, v);
        }
    }
    Ok(resolver)
}

/// The SDK clients the permission check reads from.
pub struct PermissionClients<'a> {
    pub lambda: &'a aws_sdk_lambda::Client,
    pub iam: &'a aws_sdk_iam::Client,
    pub ssm: &'a aws_sdk_ssm::Client,
    pub region: &'a str,
}

/// Checks every function's deployed role against its template's grants.
pub async fn permissions<C: Cfn, P: PermissionChecker>(
    engine: &Engine<'_, C>,
    clients: &PermissionClients<'_>,
    checker: &P,
    stacks: &[StackTemplate],
    app: Option<&Declared>,
    into: &mut Verification,
) -> Result<()> {
    let (lambda, iam, region) = (clients.lambda, clients.iam, clients.region);
    into.method = checker.method().to_string();
    for f in template_functions(stacks) {
        let stack = stack_of(stacks, &f.stack_name).expect("declared from these stacks");
        let physical = |logical: &str| {
            let logical = logical.to_string();
            async move {
                engine
                    .call("DescribeStackResource", || {
                        engine.cfn.physical_id(&stack.stack_name, &logical)
                    })
                    .await
                    .map_err(|e| anyhow!("{}: {logical}: {e}", stack.name))
            }
        };
        let name = match &f.function_name {
            Some(n) => n.clone(),
            None => physical(&f.logical_id)
                .await?
                .ok_or_else(|| anyhow!("{}: {} has no physical id", f.stack, f.logical_id))?,
        };
        let config = lambda
            .get_function_configuration()
            .function_name(&name)
            .send()
            .await
            .map_err(|e| anyhow!("{}", aws_sdk_lambda::error::DisplayErrorContext(e)))
            .with_context(|| format!("GetFunctionConfiguration {name}"))?;
        let role_arn = config.role().unwrap_or_default().to_string();
        let account = config
            .function_arn()
            .and_then(|a| a.split(':').nth(4))
            .unwrap_or_default()
            .to_string();
        let mut check = FunctionCheck {
            function: name.clone(),
            role: role_name(&role_arn).to_string(),
            ..FunctionCheck::default()
        };
        if let Some(expected) = physical(&f.role_logical_id).await? {
            if expected != check.role {
                check.wrong_role = Some(format!(
                    "runs with role {}, declared {expected} ({})",
                    check.role, f.role_logical_id
                ));
            }
        }
        let resolver =
            resolver(engine, clients.ssm, stack, &f.statements, region, &account).await?;
        let (mut calls, unchecked) = declared_calls(&f, &resolver);
        // With a contract, the app's actions are the declared ones: the template only
        // says on which resources (and grants the runtime's logs).
        let declared_actions = match app.and_then(|a| a.function(&name)) {
            Some(contract) => {
                let lower = |a: &str| a.to_ascii_lowercase();
                let wanted: Vec<String> = contract.actions.iter().map(|a| lower(a)).collect();
                calls
                    .retain(|c| is_runtime_action(&c.action) || wanted.contains(&lower(&c.action)));
                check.never_granted = contract
                    .actions
                    .iter()
                    .filter(|a| !calls.iter().any(|c| lower(&c.action) == lower(a)))
                    .cloned()
                    .collect();
                contract.actions.clone()
            }
            None => template_actions(&f),
        };
        let role = read_role(iam, &role_arn).await?;
        let verdicts = checker.allowed(&role, &calls).await?;
        check.checked = calls.len();
        check.denied = calls
            .into_iter()
            .zip(verdicts)
            .filter(|(_, allowed)| !allowed)
            .map(|(c, _)| c)
            .collect();
        check.undeclared = undeclared_grants(&role, &declared_actions);
        check.unchecked = unchecked;
        into.functions.push(check);
    }
    Ok(())
}
