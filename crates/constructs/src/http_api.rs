//! An API Gateway HTTP API: routes to Lambda functions, JWT or Lambda authorizers,
//! stage throttling, CORS and JSON access logs.
//!
//! Whether the API has an authorizer is part of its type. `HttpApi::new` gives an
//! `HttpApi<NoAuthorizer>`, which offers only open routes; `.authorizer(...)` turns it
//! into an `HttpApi<WithAuthorizer>`, which offers protected routes too. A protected
//! route on an API without an authorizer does not compile.
use std::collections::BTreeMap;
use std::fmt;

use super::function::FunctionRef;
use super::stack::Stack;
use super::stage::RouteThrottle;
use cfn::apigatewayv2::api::{Api, Cors};
use cfn::apigatewayv2::authorizer::{Authorizer, JWTConfiguration};
use cfn::apigatewayv2::stage::{AccessLogSettings, RouteSettings, Stage};
use cfn::apigatewayv2::{Integration, Route as RouteResource};
use cfn::lambda::Permission;
use cfn::logs::LogGroup;
use cfn_core::{Expr, Json, LogicalId};

/// The methods a route can answer. (API Gateway's `ANY` is left out: it would need
/// its own CORS and permission handling, and no app routes on it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may call a route of an API that has an authorizer ([`HttpApi::route`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Type state of an API without an authorizer: only open routes.
#[derive(Debug, Clone)]
pub struct NoAuthorizer;

/// Type state of an API with an authorizer: open and protected routes.
#[derive(Debug, Clone)]
pub struct WithAuthorizer(AuthorizerKind);

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NoAuthorizer {}
    impl Sealed for super::WithAuthorizer {}
}

/// [`NoAuthorizer`] or [`WithAuthorizer`]; no other states exist.
pub trait AuthorizerState: sealed::Sealed {
    fn kind(&self) -> Option<&AuthorizerKind>;
}

impl AuthorizerState for NoAuthorizer {
    fn kind(&self) -> Option<&AuthorizerKind> {
        None
    }
}

impl AuthorizerState for WithAuthorizer {
    fn kind(&self) -> Option<&AuthorizerKind> {
        Some(&self.0)
    }
}

/// A route's `AuthorizationType`, fixed when the route is added (a protected route can
/// only be added once the authorizer, and so its kind, is known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Authorization {
    Open,
    Jwt,
    Custom,
}

impl Authorization {
    fn authorization_type(self) -> &'static str {
        match self {
            Authorization::Open => "NONE",
            Authorization::Jwt => "JWT",
            Authorization::Custom => "CUSTOM",
        }
    }
}

#[derive(Debug, Clone)]
struct Route {
    method: HttpMethod,
    path: &'static str,
    function: FunctionRef,
    authorization: Authorization,
}

/// Stage throttling when the app sets none: API Gateway's own account-level default
/// (10,000 rps, burst 5,000) is shared by every API of the account, so each API gets a
/// ceiling of its own.
pub const DEFAULT_THROTTLE_RATE: f64 = 1000.0;
pub const DEFAULT_THROTTLE_BURST: u32 = 2000;

#[derive(Debug, Clone)]
pub struct HttpApi<A> {
    pub id: LogicalId,
    name: String,
    cors_origins: Vec<String>,
    throttle_rate: f64,
    throttle_burst: u32,
    open_route_throttle: Option<RouteThrottle>,
    auth_state: A,
    routes: Vec<Route>,
}

impl HttpApi<NoAuthorizer> {
    pub fn new(stack: &Stack, id: &str) -> HttpApi<NoAuthorizer> {
        HttpApi {
            id: LogicalId::from_path(&[id]),
            name: stack.stage.physical_name(id),
            cors_origins: Vec::new(),
            throttle_rate: DEFAULT_THROTTLE_RATE,
            throttle_burst: DEFAULT_THROTTLE_BURST,
            open_route_throttle: None,
            auth_state: NoAuthorizer,
            routes: Vec::new(),
        }
    }

    /// The API's one authorizer; from here on routes may be protected.
    pub fn authorizer(self, kind: AuthorizerKind) -> HttpApi<WithAuthorizer> {
        HttpApi {
            id: self.id,
            name: self.name,
            cors_origins: self.cors_origins,
            throttle_rate: self.throttle_rate,
            throttle_burst: self.throttle_burst,
            open_route_throttle: self.open_route_throttle,
            auth_state: WithAuthorizer(kind),
            routes: self.routes,
        }
    }
}

impl HttpApi<WithAuthorizer> {
    /// A route the authorizer must accept the caller of.
    pub fn protected_route(
        self,
        method: HttpMethod,
        path: &'static str,
        function: &FunctionRef,
    ) -> HttpApi<WithAuthorizer> {
        let authorization = match self.auth_state.0 {
            AuthorizerKind::Jwt { .. } => Authorization::Jwt,
            AuthorizerKind::Lambda { .. } => Authorization::Custom,
        };
        self.with_route(method, path, function, authorization)
    }

    /// An open or protected route, for route tables that say which (`Auth`).
    pub fn route(
        self,
        method: HttpMethod,
        path: &'static str,
        function: &FunctionRef,
        auth: Auth,
    ) -> HttpApi<WithAuthorizer> {
        match auth {
            Auth::None => self.open_route(method, path, function),
            Auth::Authorizer => self.protected_route(method, path, function),
        }
    }
}

impl<A: AuthorizerState> HttpApi<A> {
    pub fn cors_origins(mut self, origins: &[&str]) -> HttpApi<A> {
        self.cors_origins = origins.iter().map(|o| o.to_string()).collect();
        self
    }

    pub fn throttle(mut self, rate: f64, burst: u32) -> HttpApi<A> {
        self.throttle_rate = rate;
        self.throttle_burst = burst;
        self
    }

    /// A limit of its own on each open route (`RouteSettings` of the stage), so that calls
    /// nobody had to sign in for cannot use up the API's stage-wide limit.
    pub fn open_route_throttle(mut self, throttle: RouteThrottle) -> HttpApi<A> {
        self.open_route_throttle = Some(throttle);
        self
    }

    /// A route anyone may call (sign-in, public pages).
    pub fn open_route(
        self,
        method: HttpMethod,
        path: &'static str,
        function: &FunctionRef,
    ) -> HttpApi<A> {
        self.with_route(method, path, function, Authorization::Open)
    }

    fn with_route(
        mut self,
        method: HttpMethod,
        path: &'static str,
        function: &FunctionRef,
        authorization: Authorization,
    ) -> HttpApi<A> {
        self.routes.push(Route {
            method,
            path,
            function: function.clone(),
            authorization,
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
        self.add_api(stack);
        self.add_stage(stack, &api_id);
        if let Some(kind) = self.auth_state.kind() {
            add_authorizer(stack, &self.id, &api_id, kind);
        }
        let mut integrations: BTreeMap<String, LogicalId> = BTreeMap::new();
        for route in &self.routes {
            let integration = integrations
                .entry(route.function.name.clone())
                .or_insert_with(|| self.add_integration(stack, &api_id, &route.function))
                .clone();
            let route_id = self.add_route(stack, &api_id, route, &integration);
            // Route settings name route keys: CloudFormation rejects them until the
            // route exists.
            if self.open_route_throttle.is_some() && route.authorization == Authorization::Open {
                stack.add_dependency(&self.id.child("DefaultStage"), &route_id);
            }
        }
        api_id
    }

    fn add_api(&self, stack: &mut Stack) {
        let mut methods: Vec<&str> = self.routes.iter().map(|r| r.method.as_str()).collect();
        methods.push(HttpMethod::Options.as_str());
        methods.sort();
        methods.dedup();
        let cors = Cors {
            allow_headers: Some(vec!["authorization".into(), "content-type".into()]),
            allow_methods: Some(methods.into_iter().map(Into::into).collect()),
            allow_origins: Some(self.cors_origins.iter().map(Into::into).collect()),
            max_age: Some(3600.into()),
            ..Cors::new()
        };
        stack.add(
            self.id.clone(),
            &Api {
                name: Some(self.name.as_str().into()),
                description: Some(format!("{} HTTP API", self.name).into()),
                protocol_type: Some("HTTP".into()),
                cors_configuration: Some(cors),
                ..Api::new()
            },
        );
    }

    fn add_stage(&self, stack: &mut Stack, api_id: &Expr) {
        let access_logs = self.id.child("AccessLogs");
        let retain = stack.stage.retain_data;
        stack
            .add(
                access_logs.clone(),
                &LogGroup {
                    log_group_name: Some(format!("/aws/apigateway/{}", self.name).into()),
                    retention_in_days: Some(stack.stage.log_retention_days.into()),
                    ..LogGroup::new()
                },
            )
            .retain(retain);
        let (check, reason) = crate::function::LOG_GROUP_CMK;
        stack.suppress(&access_logs, check, reason);
        stack.add(
            self.id.child("DefaultStage"),
            &Stage {
                auto_deploy: Some(true.into()),
                default_route_settings: Some(RouteSettings {
                    detailed_metrics_enabled: Some(false.into()),
                    throttling_burst_limit: Some(self.throttle_burst.into()),
                    throttling_rate_limit: Some(self.throttle_rate.into()),
                    ..RouteSettings::new()
                }),
                route_settings: self.open_route_settings(),
                access_log_settings: Some(AccessLogSettings {
                    destination_arn: Some(LogGroup::att_arn(&access_logs).into()),
                    format: Some(ACCESS_LOG_FORMAT.into()),
                }),
                ..Stage::new(api_id, "$default")
            },
        );
    }

    /// `{"POST /auth/login": {ThrottlingRateLimit, ThrottlingBurstLimit}, ...}`.
    fn open_route_settings(&self) -> Option<Json> {
        let throttle = self.open_route_throttle?;
        let settings: serde_json::Map<String, serde_json::Value> = self
            .routes
            .iter()
            .filter(|r| r.authorization == Authorization::Open)
            .map(|r| {
                let limits = serde_json::json!({
                    "ThrottlingBurstLimit": throttle.burst_limit,
                    "ThrottlingRateLimit": throttle.rate_limit,
                });
                (format!("{} {}", r.method, r.path), limits)
            })
            .collect();
        (!settings.is_empty()).then(|| Json::from(serde_json::Value::Object(settings)))
    }

    fn add_integration(
        &self,
        stack: &mut Stack,
        api_id: &Expr,
        function: &FunctionRef,
    ) -> LogicalId {
        let function_id = function
            .id
            .clone()
            .unwrap_or_else(|| LogicalId::from_path(&[&function.name]));
        let id = self.id.child(&format!("{function_id}Integration"));
        stack.add(
            id.clone(),
            &Integration {
                integration_uri: Some(function.arn().into()),
                payload_format_version: Some("2.0".into()),
                ..Integration::new(api_id, "AWS_PROXY")
            },
        );
        id
    }

    fn add_route(
        &self,
        stack: &mut Stack,
        api_id: &Expr,
        route: &Route,
        integration: &LogicalId,
    ) -> LogicalId {
        let route_id = self
            .id
            .child(&format!("{} {} route", route.method, route.path));
        let authorizer_id = (route.authorization != Authorization::Open)
            .then(|| Expr::reference(&authorizer_id(&self.id)).into());
        let target = crate::concat(vec![
            Expr::from("integrations/"),
            Expr::reference(integration),
        ]);
        stack.add(
            route_id.clone(),
            &RouteResource {
                target: Some(target.into()),
                authorization_type: Some(route.authorization.authorization_type().into()),
                authorizer_id,
                ..RouteResource::new(api_id, format!("{} {}", route.method, route.path))
            },
        );
        // One permission per route: the function can be invoked only through this
        // method and path of this API, not through any other route or API.
        let source = execute_api_arn(&self.id, route.method, route.path);
        stack.add(
            route_id.child("Permission"),
            &Permission {
                source_arn: Some(source.into()),
                ..invoke_by_api_gateway(&route.function)
            },
        );
        route_id
    }
}

fn authorizer_id(api: &LogicalId) -> LogicalId {
    api.child("Authorizer")
}

fn invoke_by_api_gateway(function: &FunctionRef) -> Permission {
    Permission::new(
        "lambda:InvokeFunction",
        function.arn(),
        "apigateway.amazonaws.com",
    )
}

/// `arn:...:execute-api:region:account:api-id/*/METHOD/path`, path parameters as `*`.
fn execute_api_arn(api: &LogicalId, method: HttpMethod, path: &str) -> Expr {
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

fn add_authorizer(stack: &mut Stack, api: &LogicalId, api_id: &Expr, kind: &AuthorizerKind) {
    let id = authorizer_id(api);
    let identity_source = Some(vec!["$request.header.Authorization".into()]);
    let properties = match kind {
        AuthorizerKind::Jwt { issuer, audience } => Authorizer {
            identity_source,
            jwt_configuration: Some(JWTConfiguration {
                audience: Some(audience.iter().map(Into::into).collect()),
                issuer: Some(issuer.into()),
            }),
            ..Authorizer::new(api_id, "JWT", "jwt")
        },
        AuthorizerKind::Lambda {
            function,
            cache_seconds,
        } => {
            stack.add(
                id.child("Permission"),
                &Permission {
                    source_arn: Some(Expr::sub(format!(
                        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/authorizers/${{{id}}}"
                    )).into()),
                    ..invoke_by_api_gateway(function)
                },
            );
            Authorizer {
                identity_source,
                authorizer_uri: Some(Expr::sub(format!(
                    "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{}/invocations",
                    function.arn_in_sub()
                )).into()),
                authorizer_payload_format_version: Some("2.0".into()),
                authorizer_result_ttl_in_seconds: Some((*cache_seconds).into()),
                enable_simple_responses: Some(true.into()),
                ..Authorizer::new(api_id, "REQUEST", "lambda")
            }
        }
    };
    stack.add(id, &properties);
}

/// JSON access log line; `$context` variables documented for HTTP APIs.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","latency":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}"#;
