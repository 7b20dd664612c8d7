//! The stage as deployed, read back from the emulator: the HTTP API's routes,
//! integrations and JWT authorizers (API Gateway v2), each function's configuration
//! (Lambda) and the schedules that invoke functions (EventBridge Scheduler). `dev` serves
//! from this, never from the synthesized templates, so what runs is what was deployed.
use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};
use aws_config::SdkConfig;

use crate::app::Stage;
use crate::synth::SynthesizedStack;

#[derive(Debug, Clone)]
pub struct Deployed {
    pub apis: Vec<Api>,
    /// By function name.
    pub functions: BTreeMap<String, Function>,
    pub schedules: Vec<Schedule>,
    /// `(stack, output key, value)` of every stack of the stage.
    pub outputs: Vec<(String, String, String)>,
}

#[derive(Debug, Clone)]
pub struct Api {
    pub id: String,
    pub name: String,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone)]
pub struct Route {
    /// `GET /batches/{batchId}`, `ANY /{proxy+}` or `$default`.
    pub key: String,
    /// The function the integration invokes (from its URI).
    pub function: String,
    pub payload_version: String,
    pub authorizer: Option<JwtAuthorizer>,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtAuthorizer {
    pub issuer: String,
    pub audience: Vec<String>,
    /// Where the token is: `$request.header.Authorization`.
    pub identity_source: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub arn: String,
    /// The execution role's ARN.
    pub role: String,
    /// The app binary that is this function's code.
    pub binary: String,
    pub environment: BTreeMap<String, String>,
    pub timeout_s: u64,
    pub memory_mb: i32,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub expression: String,
    pub function: String,
    /// The target's input (the event the function receives), `{}` when none is set.
    pub input: String,
    pub enabled: bool,
}

/// The function name in a Lambda ARN or an API Gateway integration URI
/// (`arn:aws:apigateway:…:lambda:path/2015-03-31/functions/<function ARN>/invocations`).
pub fn function_name(uri: &str) -> Option<&str> {
    let arn = uri
        .split_once("/functions/")
        .map(|(_, rest)| rest.trim_end_matches("/invocations"))
        .unwrap_or(uri);
    let rest = arn.split_once(":function:")?.1;
    Some(rest.split(':').next().unwrap_or(rest))
}

pub async fn read(
    config: &SdkConfig,
    stage: Stage,
    stacks: &[SynthesizedStack],
) -> Result<Deployed> {
    let cfn = aws_sdk_cloudformation::Client::new(config);
    let binaries: BTreeMap<&str, &str> = stacks
        .iter()
        .flat_map(|s| &s.lambda_code)
        .map(|c| (c.function_name.as_str(), c.binary.as_str()))
        .collect();
    let mut api_ids = Vec::new();
    let mut schedule_names = Vec::new();
    let mut function_names = Vec::new();
    let mut outputs = Vec::new();
    for stack in stacks {
        let stack_name = stage.stack_name(&stack.name);
        let resources = cfn
            .describe_stack_resources()
            .stack_name(&stack_name)
            .send()
            .await
            .with_context(|| format!("reading the resources of {stack_name}"))?;
        for r in resources.stack_resources() {
            let (Some(kind), Some(id)) = (r.resource_type(), r.physical_resource_id()) else {
                continue;
            };
            match kind {
                "AWS::ApiGatewayV2::Api" => api_ids.push(id.to_string()),
                "AWS::Scheduler::Schedule" => schedule_names.push(id.to_string()),
                "AWS::Lambda::Function" => function_names.push(id.to_string()),
                _ => {}
            }
        }
        let described = cfn.describe_stacks().stack_name(&stack_name).send().await?;
        for s in described.stacks() {
            for o in s.outputs() {
                outputs.push((
                    stack.name.clone(),
                    o.output_key().unwrap_or_default().to_string(),
                    o.output_value().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    let lambda = aws_sdk_lambda::Client::new(config);
    let mut functions = BTreeMap::new();
    for name in function_names {
        let c = lambda
            .get_function_configuration()
            .function_name(&name)
            .send()
            .await
            .with_context(|| format!("reading function {name}"))?;
        let Some(binary) = binaries.get(name.as_str()) else {
            bail!("function {name} is deployed but no stack of the app builds its code");
        };
        functions.insert(
            name.clone(),
            Function {
                arn: c.function_arn().unwrap_or_default().to_string(),
                role: c.role().unwrap_or_default().to_string(),
                binary: binary.to_string(),
                environment: c
                    .environment()
                    .and_then(|e| e.variables())
                    .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
                timeout_s: c.timeout().unwrap_or(3).max(1) as u64,
                memory_mb: c.memory_size().unwrap_or(128),
                name,
            },
        );
    }
    let mut apis = Vec::new();
    for id in api_ids {
        apis.push(read_api(config, &id).await?);
    }
    let scheduler = aws_sdk_scheduler::Client::new(config);
    let mut schedules = Vec::new();
    for name in schedule_names {
        let s = scheduler
            .get_schedule()
            .name(&name)
            .send()
            .await
            .with_context(|| format!("reading schedule {name}"))?;
        let target = s
            .target()
            .ok_or_else(|| anyhow!("schedule {name} has no target"))?;
        let Some(function) = function_name(target.arn()) else {
            // Schedules of other targets (queues, state machines) are not run by dev.
            continue;
        };
        schedules.push(Schedule {
            expression: s.schedule_expression().unwrap_or_default().to_string(),
            function: function.to_string(),
            input: target.input().unwrap_or("{}").to_string(),
            enabled: s
                .state()
                .map(|st| st.as_str() != "DISABLED")
                .unwrap_or(true),
            name,
        });
    }
    Ok(Deployed {
        apis,
        functions,
        schedules,
        outputs,
    })
}

async fn read_api(config: &SdkConfig, id: &str) -> Result<Api> {
    let gw = aws_sdk_apigatewayv2::Client::new(config);
    let api = gw
        .get_api()
        .api_id(id)
        .send()
        .await
        .with_context(|| format!("reading API {id}"))?;
    let integrations = gw.get_integrations().api_id(id).send().await?;
    let integrations: BTreeMap<String, (String, String)> = integrations
        .items()
        .iter()
        .filter_map(|i| {
            let function = function_name(i.integration_uri()?)?.to_string();
            let version = i.payload_format_version().unwrap_or("2.0").to_string();
            Some((i.integration_id()?.to_string(), (function, version)))
        })
        .collect();
    let mut authorizers: BTreeMap<String, JwtAuthorizer> = BTreeMap::new();
    let mut routes = Vec::new();
    for r in gw.get_routes().api_id(id).send().await?.items() {
        let key = r.route_key().unwrap_or_default().to_string();
        let target = r.target().unwrap_or_default();
        let Some((function, payload_version)) = target
            .strip_prefix("integrations/")
            .and_then(|i| integrations.get(i))
            .cloned()
        else {
            bail!("route {key} of API {id} has no Lambda integration ({target:?})");
        };
        if payload_version != "2.0" {
            bail!("route {key}: payload format {payload_version}; dev builds 2.0 events only");
        }
        let kind = r.authorization_type().map(|t| t.as_str()).unwrap_or("NONE");
        let authorizer = match (kind, r.authorizer_id()) {
            ("NONE", _) => None,
            ("JWT", Some(aid)) => {
                if !authorizers.contains_key(aid) {
                    // GetAuthorizers (plural) is not implemented by moto; one at a time.
                    let a = gw
                        .get_authorizer()
                        .api_id(id)
                        .authorizer_id(aid)
                        .send()
                        .await?;
                    let jwt = a
                        .jwt_configuration()
                        .ok_or_else(|| anyhow!("JWT authorizer {aid} has no JWT configuration"))?;
                    authorizers.insert(
                        aid.to_string(),
                        JwtAuthorizer {
                            issuer: jwt.issuer().unwrap_or_default().to_string(),
                            audience: jwt.audience().to_vec(),
                            identity_source: a.identity_source().to_vec(),
                        },
                    );
                }
                authorizers.get(aid).cloned()
            }
            (other, _) => bail!("route {key}: authorization type {other} is not served by dev"),
        };
        routes.push(Route {
            key,
            function,
            payload_version,
            authorizer,
            scopes: r.authorization_scopes().to_vec(),
        });
    }
    Ok(Api {
        id: id.to_string(),
        name: api.name().unwrap_or_default().to_string(),
        routes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_come_from_arns_and_integration_uris() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:bubblebatch-dev-auth";
        assert_eq!(function_name(arn), Some("bubblebatch-dev-auth"));
        assert_eq!(
            function_name(&format!("{arn}:live")),
            Some("bubblebatch-dev-auth")
        );
        let uri = format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
        );
        assert_eq!(function_name(&uri), Some("bubblebatch-dev-auth"));
        assert_eq!(function_name("arn:aws:sqs:us-east-1:1:queue"), None);
    }
}
