//! An API Gateway HTTP API: routes to Lambda functions, JWT or Lambda authorizers,
//! stage throttling, CORS and JSON access logs.
use std::collections::BTreeMap;

use super::function::FunctionRef;
use super::stack::Stack;
use cfn_core::resources::{apigatewayv2 as apigw, lambda, logs};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Open route (sign-in, public pages).
    None,
    /// The API's authorizer must accept the caller.
    Authorizer,
}

#[derive(Debug, Clone)]
pub enum AuthorizerKind {
    Jwt {
        issuer: Expr,
        audience: Vec<Expr>,
    },
    /// A Lambda authorizer with simple responses, cached per token.
    Lambda {
        function: FunctionRef,
        cache_seconds: u32,
    },
}

#[derive(Debug, Clone)]
struct Route {
    method: &'static str,
    path: &'static str,
    function: FunctionRef,
    auth: Auth,
}

/// Stage throttling when the app sets none: API Gateway's own account-level default
/// (10,000 rps, burst 5,000) is shared by every API of the account, so each API gets a
/// ceiling of its own.
pub const DEFAULT_THROTTLE_RATE: f64 = 1000.0;
pub const DEFAULT_THROTTLE_BURST: u32 = 2000;

#[derive(Debug, Clone)]
pub struct HttpApi {
    pub id: LogicalId,
    name: String,
    cors_origins: Vec<String>,
    throttle_rate: f64,
    throttle_burst: u32,
    authorizer: Option<AuthorizerKind>,
    routes: Vec<Route>,
}

impl HttpApi {
    pub fn new(stack: &Stack, id: &str) -> HttpApi {
        HttpApi {
            id: LogicalId::from_path(&[id]),
            name: stack.stage.physical_name(id),
            cors_origins: Vec::new(),
            throttle_rate: DEFAULT_THROTTLE_RATE,
            throttle_burst: DEFAULT_THROTTLE_BURST,
            authorizer: None,
            routes: Vec::new(),
        }
    }

    pub fn cors_origins(mut self, origins: &[&str]) -> HttpApi {
        self.cors_origins = origins.iter().map(|o| o.to_string()).collect();
        self
    }

    pub fn throttle(mut self, rate: f64, burst: u32) -> HttpApi {
        self.throttle_rate = rate;
        self.throttle_burst = burst;
        self
    }

    pub fn authorizer(mut self, kind: AuthorizerKind) -> HttpApi {
        self.authorizer = Some(kind);
        self
    }

    pub fn route(
        mut self,
        method: &'static str,
        path: &'static str,
        function: &FunctionRef,
        auth: Auth,
    ) -> HttpApi {
        self.routes.push(Route {
            method,
            path,
            function: function.clone(),
            auth,
        });
        self
    }

    pub fn route_keys(&self) -> Vec<String> {
        self.routes
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// Renders the API; returns its ID expression (for publishing to other stacks).
    pub fn add_to(self, stack: &mut Stack) -> Expr {
        let api_id = Expr::reference(&self.id);
        let mut methods: Vec<String> = self.routes.iter().map(|r| r.method.to_string()).collect();
        methods.push("OPTIONS".into());
        methods.sort();
        methods.dedup();
        stack.add(
            self.id.clone(),
            &apigw::Api {
                name: Expr::from(&self.name),
                description: Some(format!("{} HTTP API", self.name)),
                protocol_type: "HTTP".into(),
                cors_configuration: Some(apigw::Cors {
                    allow_credentials: None,
                    allow_headers: vec!["authorization".into(), "content-type".into()],
                    allow_methods: methods,
                    allow_origins: self.cors_origins.clone(),
                    expose_headers: None,
                    max_age: Some(3600),
                }),
            },
        );
        let access_logs = self.id.child("AccessLogs");
        stack.add(
            access_logs.clone(),
            &logs::LogGroup {
                log_group_name: Expr::from(format!("/aws/apigateway/{}", self.name)),
                retention_in_days: stack.stage.log_retention_days,
            },
        );
        stack.add(
            self.id.child("DefaultStage"),
            &apigw::Stage {
                api_id: api_id.clone(),
                stage_name: "$default".into(),
                auto_deploy: true,
                description: None,
                default_route_settings: Some(apigw::RouteSettings {
                    detailed_metrics_enabled: Some(false),
                    throttling_burst_limit: Some(self.throttle_burst),
                    throttling_rate_limit: Some(self.throttle_rate),
                }),
                access_log_settings: Some(apigw::AccessLogSettings {
                    destination_arn: Expr::get_att(&access_logs, "Arn"),
                    format: ACCESS_LOG_FORMAT.into(),
                }),
            },
        );
        let authorizer_id = self
            .authorizer
            .as_ref()
            .map(|kind| add_authorizer(stack, &self.id, &api_id, kind));

        let mut integrations: BTreeMap<String, LogicalId> = BTreeMap::new();
        for route in &self.routes {
            let function_id = route
                .function
                .id
                .clone()
                .unwrap_or_else(|| LogicalId::from_path(&[&route.function.name]));
            let integration = integrations
                .entry(route.function.name.clone())
                .or_insert_with(|| {
                    let id = self.id.child(&format!("{function_id}Integration"));
                    stack.add(
                        id.clone(),
                        &apigw::Integration {
                            api_id: api_id.clone(),
                            integration_type: "AWS_PROXY".into(),
                            integration_uri: route.function.arn(),
                            payload_format_version: "2.0".into(),
                            timeout_in_millis: None,
                        },
                    );
                    id
                })
                .clone();
            let route_id = self
                .id
                .child(&format!("{} {} route", route.method, route.path));
            let (authorization_type, authorizer) =
                match (&route.auth, &self.authorizer, &authorizer_id) {
                    (Auth::None, _, _) => ("NONE", None),
                    (Auth::Authorizer, Some(AuthorizerKind::Jwt { .. }), Some(id)) => {
                        ("JWT", Some(id.clone()))
                    }
                    (Auth::Authorizer, Some(AuthorizerKind::Lambda { .. }), Some(id)) => {
                        ("CUSTOM", Some(id.clone()))
                    }
                    (Auth::Authorizer, _, _) => panic!(
                        "route {} {} requires an authorizer but the API has none",
                        route.method, route.path
                    ),
                };
            stack.add(
                route_id.clone(),
                &apigw::Route {
                    api_id: api_id.clone(),
                    route_key: format!("{} {}", route.method, route.path),
                    target: Expr::Join(
                        String::new(),
                        vec![Expr::from("integrations/"), Expr::reference(&integration)],
                    ),
                    authorization_type: authorization_type.into(),
                    authorizer_id: authorizer,
                    operation_name: None,
                },
            );
            // One permission per route: the function can be invoked only through this
            // method and path of this API, not through any other route or API.
            stack.add(
                route_id.child("Permission"),
                &lambda::Permission {
                    action: "lambda:InvokeFunction".into(),
                    function_name: route.function.arn(),
                    principal: "apigateway.amazonaws.com".into(),
                    source_arn: Some(execute_api_arn(&self.id, route.method, route.path)),
                    source_account: None,
                },
            );
        }
        api_id
    }
}

/// `arn:...:execute-api:region:account:api-id/*/METHOD/path`, path parameters as `*`.
fn execute_api_arn(api: &LogicalId, method: &str, path: &str) -> Expr {
    let path: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "*"
            } else {
                segment
            }
        })
        .collect();
    Expr::sub(format!(
        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*/{method}/{}",
        path.join("/")
    ))
}

fn add_authorizer(
    stack: &mut Stack,
    api: &LogicalId,
    api_id: &Expr,
    kind: &AuthorizerKind,
) -> Expr {
    let id = api.child("Authorizer");
    let properties = match kind {
        AuthorizerKind::Jwt { issuer, audience } => apigw::Authorizer {
            api_id: api_id.clone(),
            name: "jwt".into(),
            authorizer_type: "JWT".into(),
            identity_source: vec!["$request.header.Authorization".into()],
            jwt_configuration: Some(apigw::JwtConfiguration {
                audience: audience.clone(),
                issuer: issuer.clone(),
            }),
            authorizer_uri: None,
            authorizer_payload_format_version: None,
            authorizer_result_ttl_in_seconds: None,
            enable_simple_responses: None,
        },
        AuthorizerKind::Lambda {
            function,
            cache_seconds,
        } => {
            stack.add(
                id.child("Permission"),
                &lambda::Permission {
                    action: "lambda:InvokeFunction".into(),
                    function_name: function.arn(),
                    principal: "apigateway.amazonaws.com".into(),
                    source_arn: Some(Expr::sub(format!(
                        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/authorizers/${{{id}}}"
                    ))),
                    source_account: None,
                },
            );
            apigw::Authorizer {
                api_id: api_id.clone(),
                name: "lambda".into(),
                authorizer_type: "REQUEST".into(),
                identity_source: vec!["$request.header.Authorization".into()],
                jwt_configuration: None,
                authorizer_uri: Some(Expr::sub(format!(
                    "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{}/invocations",
                    match function.arn() {
                        Expr::Sub(s) => s,
                        _ => format!("${{{}.Arn}}", function.id.as_ref().expect("same-stack function")),
                    }
                ))),
                authorizer_payload_format_version: Some("2.0".into()),
                authorizer_result_ttl_in_seconds: Some(*cache_seconds),
                enable_simple_responses: Some(true),
            }
        }
    };
    stack.add(id.clone(), &properties);
    Expr::reference(&id)
}

/// JSON access log line; `$context` variables documented for HTTP APIs.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","latency":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}"#;
