//! Api: the HTTP API, its JWT authorizer and one Lambda per handler group. Functions,
//! routes, environments and grants come from the app↔infra contract.
use super::auth::AuthStack;
use super::data::DataStack;
use super::from_contract::{self, Resources};
use super::published;
use super::stage::{CustomDomain, StageConfig};
use cfn_core::{Expr, LogicalId};
use constructs::api_domain::ApiDomain;
use constructs::function::FunctionRef;
use constructs::http_api::{AuthorizerKind, HttpApi};
use constructs::user_pool::UserPoolRef;
use constructs::Stack;
use contract::Trigger;

/// How long an open route's call lasts at most in normal operation (sign-in waits on
/// Cognito and SES): sizes the reserved concurrency of the functions behind them.
const OPEN_ROUTE_SECONDS_PER_CALL: f64 = 2.0;

pub struct ApiStack {
    pub stack: Stack,
    pub api_name: String,
    pub functions: Vec<FunctionRef>,
}

pub fn stack(
    stage: &StageConfig,
    auth: &AuthStack,
    data: &DataStack,
    domain: Option<CustomDomain>,
) -> ApiStack {
    let mut stack = Stack::new("Api", stage, "HTTP API and its Lambda handlers");
    stack.depends_on(&auth.stack);
    stack.depends_on(&data.stack);
    let pool_param = LogicalId::new("UserPoolId").unwrap();
    stack.import(pool_param.clone(), published::USER_POOL_ID, "User pool ID");
    let client_id = stack.import(
        LogicalId::new("UserPoolClientId").unwrap(),
        published::USER_POOL_CLIENT_ID,
        "User pool app client ID",
    );
    let pool = UserPoolRef::imported(&pool_param, client_id.clone());
    let resources = Resources {
        table: &data.table,
        photos: &data.photos,
        user_pool: Some((&pool, &client_id)),
        expo_push_url: None,
    };

    let mut functions = Vec::new();
    let mut api = HttpApi::new(&stack, "http-api")
        .cors_origins(stage.cors_origins)
        .throttle(stage.throttle_rate_limit, stage.throttle_burst_limit)
        .open_route_throttle(stage.open_route_throttle)
        .authorizer(AuthorizerKind::Jwt {
            issuer: pool.issuer(),
            audience: vec![client_id.clone()],
        });
    for declared in contract::Function::ALL {
        if declared.trigger() != Trigger::Http {
            continue;
        }
        let mut function = resources.function(&stack, declared);
        let open_routes = declared
            .routes()
            .filter(|route| route.auth == contract::Auth::Public)
            .count() as u32;
        if open_routes > 0 {
            // Enough for its open routes at their limits and no more: a flood of them
            // cannot take the account's concurrency from the signed-in routes.
            let per_route = stage
                .open_route_throttle
                .concurrency(OPEN_ROUTE_SECONDS_PER_CALL);
            function = function.reserved_concurrency(open_routes * per_route);
        }
        let function = function.add_to(&mut stack);
        for route in declared.routes() {
            api = api.route(
                from_contract::method(route.method),
                route.path,
                &function,
                from_contract::auth(route.auth),
            );
        }
        functions.push(function);
    }
    let api_name = stage.physical_name("http-api");
    let api_id = api.add_to(&mut stack);
    let url = match domain {
        Some(domain) => {
            let default_stage = LogicalId::from_path(&["http-api"]).child("DefaultStage");
            ApiDomain::new("api-domain", domain).add_to(&mut stack, api_id.clone(), &default_stage);
            Expr::from(domain.url())
        }
        None => Expr::sub("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"),
    };
    stack.publish(
        LogicalId::new("ApiIdParameter").unwrap(),
        published::API_ID,
        api_id,
        "ID of the HTTP API",
    );
    stack.publish(
        LogicalId::new("ApiUrlParameter").unwrap(),
        published::API_URL,
        url,
        "Base URL of the HTTP API",
    );
    ApiStack {
        stack,
        api_name,
        functions,
    }
}
