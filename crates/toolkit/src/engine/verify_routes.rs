//! Routes as deployed: the HTTP API read back through API Gateway v2 (GetRoutes,
//! GetAuthorizers, GetIntegrations, GetStage) against what the synthesized template
//! declares: every route with its authorization type and authorizer, each integration's
//! function, the default stage's throttling. A missing or extra route, a route without
//! its authorizer, an integration to the wrong function fail the deploy.
use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};
use serde_json::Value;

use super::template::{referenced_resource, StackTemplate};
use crate::declared::DeclaredRoute;

/// One route, declared or deployed.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteSpec {
    /// NONE, JWT, AWS_IAM, CUSTOM.
    pub authorization: String,
    /// The authorizer's name.
    pub authorizer: Option<String>,
    /// The function the integration invokes (its name); `None` for other integrations.
    pub function: Option<String>,
}

/// An HTTP API, declared or deployed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiSpec {
    /// By route key (`GET /batches`).
    pub routes: BTreeMap<String, RouteSpec>,
    /// Authorizer name → type.
    pub authorizers: BTreeMap<String, String>,
    /// The `$default` (or only) stage's default throttling: (burst, rate).
    pub throttling: Option<(i64, f64)>,
}

/// The HTTP API a stack declares: its logical id, and the spec with functions named by
/// logical id (resolve them with [`ApiSpec::with_function_names`]).
pub fn declared(stack: &StackTemplate) -> Result<Option<(String, ApiSpec)>> {
    let apis = stack.resources_of("AWS::ApiGatewayV2::Api");
    let Some((api_id, _)) = apis.first() else {
        return Ok(None);
    };
    if apis.len() > 1 {
        anyhow::bail!(
            "{}: more than one HTTP API; route verification handles one per stack",
            stack.name
        );
    }
    let mut spec = ApiSpec::default();
    let authorizer_names: BTreeMap<&str, String> = stack
        .resources_of("AWS::ApiGatewayV2::Authorizer")
        .into_iter()
        .map(|(id, p)| {
            let name = p
                .get("Name")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_string();
            let kind = p
                .get("AuthorizerType")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            spec.authorizers.insert(name.clone(), kind);
            (id, name)
        })
        .collect();
    for (id, p) in stack.resources_of("AWS::ApiGatewayV2::Route") {
        let key = p
            .get("RouteKey")
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("{}: route {id} has no literal RouteKey", stack.name))?;
        let authorizer = p
            .get("AuthorizerId")
            .and_then(referenced_resource)
            .map(|a| {
                authorizer_names
                    .get(a)
                    .cloned()
                    .unwrap_or_else(|| a.to_string())
            });
        let uri = p
            .get("Target")
            .and_then(referenced_resource)
            .and_then(|integration| stack.properties(integration))
            .and_then(|i| i.get("IntegrationUri"));
        // A function of this stack (by logical id, named later), or one named in the
        // URI itself (`...:function:<name>[:alias]`, e.g. a function of another stack).
        let function = uri
            .and_then(referenced_resource)
            .filter(|f| stack.resource_type(f) == Some("AWS::Lambda::Function"))
            .map(str::to_string)
            .or_else(|| {
                let text = uri?;
                let text = text.as_str().or_else(|| text.get("Fn::Sub")?.as_str())?;
                function_name(text)
            });
        spec.routes.insert(
            key.to_string(),
            RouteSpec {
                authorization: p
                    .get("AuthorizationType")
                    .and_then(Value::as_str)
                    .unwrap_or("NONE")
                    .to_string(),
                authorizer,
                function,
            },
        );
    }
    let stages = stack.resources_of("AWS::ApiGatewayV2::Stage");
    let stage = stages
        .iter()
        .find(|(_, p)| p.get("StageName").and_then(Value::as_str) == Some("$default"))
        .or(stages.first());
    if let Some((_, p)) = stage {
        spec.throttling = throttling(p.get("DefaultRouteSettings"));
    }
    Ok(Some((api_id.to_string(), spec)))
}

fn throttling(settings: Option<&Value>) -> Option<(i64, f64)> {
    let s = settings?;
    Some((
        s.get("ThrottlingBurstLimit")?.as_i64()?,
        s.get("ThrottlingRateLimit")?.as_f64()?,
    ))
}

impl ApiSpec {
    /// Function logical ids → physical names (the deployed functions' names).
    pub fn with_function_names(mut self, names: &BTreeMap<String, String>) -> ApiSpec {
        for r in self.routes.values_mut() {
            if let Some(f) = &r.function {
                if let Some(name) = names.get(f) {
                    r.function = Some(name.clone());
                }
            }
        }
        self
    }
}

/// The API as the app declares it: its routes (key, JWT or public, the function's name),
/// a guarded route's authorizer the one the template gives it (else the template's only
/// JWT authorizer), and the template's authorizers and throttling, which apps do not
/// declare.
pub fn from_declared(template: &ApiSpec, routes: &[DeclaredRoute]) -> ApiSpec {
    let jwt: Vec<&String> = template
        .authorizers
        .iter()
        .filter(|(_, kind)| kind.as_str() == "JWT")
        .map(|(name, _)| name)
        .collect();
    let only_jwt = (jwt.len() == 1).then(|| jwt[0].clone());
    let routes = routes
        .iter()
        .map(|r| {
            let key = r.key();
            let authorizer = if r.authorized {
                template
                    .routes
                    .get(&key)
                    .and_then(|t| t.authorizer.clone())
                    .or_else(|| only_jwt.clone())
            } else {
                None
            };
            let authorization = if r.authorized { "JWT" } else { "NONE" };
            let spec = RouteSpec {
                authorization: authorization.to_string(),
                authorizer,
                function: Some(r.function.clone()),
            };
            (key, spec)
        })
        .collect();
    ApiSpec {
        routes,
        ..template.clone()
    }
}

/// The function name in a Lambda integration URI: a function ARN (optionally with a
/// qualifier), or API Gateway's `.../functions/<arn>/invocations` form.
pub fn function_name(uri: &str) -> Option<String> {
    let arn = match uri.split_once("/functions/") {
        Some((_, rest)) => rest.trim_end_matches("/invocations"),
        None => uri,
    };
    let rest = arn.split_once(":function:")?.1;
    Some(rest.split(':').next()?.to_string())
}

/// Every difference, as a sentence naming the route or setting.
pub fn compare(declared: &ApiSpec, deployed: &ApiSpec) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, want) in &declared.routes {
        let Some(got) = deployed.routes.get(key) else {
            problems.push(format!("route {key} is missing"));
            continue;
        };
        if got.authorization != want.authorization {
            problems.push(format!(
                "route {key} has authorization {}, declared {}",
                got.authorization, want.authorization
            ));
        }
        if got.authorizer != want.authorizer {
            problems.push(match (&want.authorizer, &got.authorizer) {
                (Some(w), None) => format!("route {key} has no authorizer, declared {w}"),
                (None, Some(g)) => format!("route {key} has authorizer {g}, declared none"),
                (w, g) => format!(
                    "route {key} has authorizer {}, declared {}",
                    g.as_deref().unwrap_or("-"),
                    w.as_deref().unwrap_or("-")
                ),
            });
        }
        if got.function != want.function {
            problems.push(format!(
                "route {key} invokes {}, declared {}",
                got.function.as_deref().unwrap_or("no function"),
                want.function.as_deref().unwrap_or("no function")
            ));
        }
    }
    for key in deployed.routes.keys() {
        if !declared.routes.contains_key(key) {
            problems.push(format!("route {key} is deployed but not declared"));
        }
    }
    for (name, kind) in &declared.authorizers {
        match deployed.authorizers.get(name) {
            None => problems.push(format!("authorizer {name} is missing")),
            Some(k) if k != kind => {
                problems.push(format!("authorizer {name} is {k}, declared {kind}"))
            }
            Some(_) => {}
        }
    }
    if declared.throttling.is_some() && deployed.throttling != declared.throttling {
        let show = |t: Option<(i64, f64)>| match t {
            Some((burst, rate)) => format!("burst {burst}, rate {rate}"),
            None => "none".to_string(),
        };
        problems.push(format!(
            "stage throttling is {}, declared {}",
            show(deployed.throttling),
            show(declared.throttling)
        ));
    }
    problems
}

/// The deployed API, read back.
pub async fn deployed(client: &aws_sdk_apigatewayv2::Client, api_id: &str) -> Result<ApiSpec> {
    use aws_sdk_apigatewayv2::error::DisplayErrorContext;
    let fail = |what: &str| format!("reading the API {api_id} back ({what})");
    let mut spec = ApiSpec::default();

    let mut authorizers: BTreeMap<String, String> = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .get_authorizers()
            .api_id(api_id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| anyhow!("{}", DisplayErrorContext(e)))
            .with_context(|| fail("GetAuthorizers"))?;
        for a in page.items() {
            let name = a.name().unwrap_or_default().to_string();
            if let Some(id) = a.authorizer_id() {
                authorizers.insert(id.to_string(), name.clone());
            }
            let kind = a
                .authorizer_type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default();
            spec.authorizers.insert(name, kind);
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }

    let mut integrations: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .get_integrations()
            .api_id(api_id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| anyhow!("{}", DisplayErrorContext(e)))
            .with_context(|| fail("GetIntegrations"))?;
        for i in page.items() {
            if let Some(id) = i.integration_id() {
                integrations.insert(id.to_string(), i.integration_uri().and_then(function_name));
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }

    let mut token = None;
    loop {
        let page = client
            .get_routes()
            .api_id(api_id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| anyhow!("{}", DisplayErrorContext(e)))
            .with_context(|| fail("GetRoutes"))?;
        for r in page.items() {
            let function = r
                .target()
                .and_then(|t| t.strip_prefix("integrations/"))
                .and_then(|id| integrations.get(id).cloned().flatten());
            spec.routes.insert(
                r.route_key().unwrap_or_default().to_string(),
                RouteSpec {
                    authorization: r
                        .authorization_type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_else(|| "NONE".into()),
                    authorizer: r
                        .authorizer_id()
                        .filter(|_| r.authorization_type().is_some_and(|t| t.as_str() != "NONE"))
                        .map(|id| {
                            authorizers
                                .get(id)
                                .cloned()
                                .unwrap_or_else(|| id.to_string())
                        }),
                    function,
                },
            );
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }

    let stage = client
        .get_stage()
        .api_id(api_id)
        .stage_name("$default")
        .send()
        .await
        .map_err(|e| anyhow!("{}", DisplayErrorContext(e)))
        .with_context(|| fail("GetStage $default"))?;
    spec.throttling = stage.default_route_settings().and_then(|s| {
        Some((
            i64::from(s.throttling_burst_limit()?),
            s.throttling_rate_limit()?,
        ))
    });
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api_template() -> StackTemplate {
        let route = |key: &str, auth: Option<&str>, integration: &str| {
            let mut p = json!({"ApiId": {"Ref": "Api"}, "RouteKey": key,
                "Target": {"Fn::Join": ["", ["integrations/", {"Ref": integration}]]}});
            match auth {
                Some(a) => {
                    p["AuthorizationType"] = json!("JWT");
                    p["AuthorizerId"] = json!({"Ref": a});
                }
                None => p["AuthorizationType"] = json!("NONE"),
            }
            json!({"Type": "AWS::ApiGatewayV2::Route", "Properties": p})
        };
        StackTemplate {
            name: "Api".into(),
            stack_name: "app-dev-api".into(),
            template: json!({"Resources": {
                "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
                "Jwt": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"Name": "jwt", "AuthorizerType": "JWT"}},
                "ItemsFn": {"Type": "AWS::Lambda::Function", "Properties": {}},
                "ItemsIntegration": {"Type": "AWS::ApiGatewayV2::Integration",
                    "Properties": {"IntegrationUri": {"Fn::GetAtt": ["ItemsFn", "Arn"]}}},
                "GetItems": route("GET /items", Some("Jwt"), "ItemsIntegration"),
                "Health": route("GET /health", None, "ItemsIntegration"),
                "OtherIntegration": {"Type": "AWS::ApiGatewayV2::Integration",
                    "Properties": {"IntegrationUri": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:app-dev-other:live"}}},
                "Other": route("GET /other", None, "OtherIntegration"),
                "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"StageName": "$default",
                    "DefaultRouteSettings": {"ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 10.0}}}
            }}),
        }
    }

    fn declared_spec() -> ApiSpec {
        let (id, spec) = declared(&api_template()).unwrap().unwrap();
        assert_eq!(id, "Api");
        spec.with_function_names(&[("ItemsFn".to_string(), "app-dev-items".to_string())].into())
    }

    #[test]
    fn the_template_declares_routes_authorizers_functions_and_throttling() {
        let spec = declared_spec();
        let items = &spec.routes["GET /items"];
        assert_eq!(items.authorization, "JWT");
        assert_eq!(items.authorizer.as_deref(), Some("jwt"));
        assert_eq!(items.function.as_deref(), Some("app-dev-items"));
        assert_eq!(spec.routes["GET /health"].authorizer, None);
        // Named in the integration's ARN, alias left out.
        assert_eq!(
            spec.routes["GET /other"].function.as_deref(),
            Some("app-dev-other")
        );
        assert_eq!(spec.authorizers["jwt"], "JWT");
        assert_eq!(spec.throttling, Some((20, 10.0)));
        assert!(compare(&spec, &spec).is_empty());
    }

    #[test]
    fn every_kind_of_difference_is_a_precise_sentence() {
        let want = declared_spec();
        let mut got = want.clone();
        got.routes.remove("GET /health");
        got.routes.insert(
            "DELETE /items".into(),
            RouteSpec {
                authorization: "NONE".into(),
                authorizer: None,
                function: None,
            },
        );
        let items = got.routes.get_mut("GET /items").unwrap();
        items.authorization = "NONE".into();
        items.authorizer = None;
        items.function = Some("app-dev-other".into());
        got.throttling = Some((5000, 10.0));
        assert_eq!(
            compare(&want, &got),
            [
                "route GET /health is missing",
                "route GET /items has authorization NONE, declared JWT",
                "route GET /items has no authorizer, declared jwt",
                "route GET /items invokes app-dev-other, declared app-dev-items",
                "route DELETE /items is deployed but not declared",
                "stage throttling is burst 5000, rate 10, declared burst 20, rate 10",
            ]
        );
    }

    #[test]
    fn the_app_declares_the_routes_and_the_template_the_rest() {
        let template = declared_spec();
        let route = |method: &str, path: &str, authorized: bool| DeclaredRoute {
            method: method.into(),
            path: path.into(),
            authorized,
            function: "app-dev-items".into(),
        };
        // The contract has one route the template lacks and guards /health.
        let app = from_declared(
            &template,
            &[
                route("GET", "/items", true),
                route("GET", "/health", true),
                route("POST", "/items", false),
            ],
        );
        assert_eq!(app.routes["GET /health"].authorizer.as_deref(), Some("jwt"));
        assert_eq!(app.routes["POST /items"].authorization, "NONE");
        assert_eq!(app.throttling, template.throttling);
        assert_eq!(
            compare(&app, &template),
            [
                "route GET /health has authorization NONE, declared JWT",
                "route GET /health has no authorizer, declared jwt",
                "route POST /items is missing",
                "route GET /other is deployed but not declared",
            ]
        );
    }

    #[test]
    fn function_names_come_from_either_uri_form() {
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:1:function:app-dev-items").as_deref(),
            Some("app-dev-items")
        );
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:1:function:app-dev-items:live").as_deref(),
            Some("app-dev-items")
        );
        assert_eq!(
            function_name("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations").as_deref(),
            Some("f")
        );
        assert_eq!(function_name("https://example.com"), None);
    }
}
