//! MVP checklist (seed 001): one Rust Lambda behind an HTTP API, talking to RDS
//! PostgreSQL inside a VPC. The seed's open items this declaration closes: HTTPS
//! enforced (HTTP APIs serve TLS only; the database requires TLS), rate limiting (stage
//! throttling), specific CORS origins instead of `*`, structured logs in CloudWatch, and
//! secrets in Secrets Manager instead of environment variables.
use cfn_core::LogicalId;
use constructs::alarm::Alarm;
use constructs::budget::MonthlyBudget;
use constructs::function::Function;
use constructs::http_api::HttpApi;
use constructs::http_api::HttpMethod::{self, Delete, Get, Post, Put};
use constructs::postgres::{self, Postgres};
use constructs::secret::Secret;
use constructs::stage::RouteThrottle;
use constructs::topic::AlertTopic;
use constructs::vpc::{Vpc, VpcRef};
use constructs::Stack;
use constructs::StageConfig;

pub const APP_NAME: &str = "mvp-checklist";

const API_ID: &str = "api/id";

/// Production: data retained, point-in-time recovery, versioned buckets.
pub const PROD: StageConfig = StageConfig {
    app: APP_NAME,
    // The budget owner, as a cost-allocation tag on every stack (dev inherits it).
    cost_center: APP_NAME,
    title: "MVP Checklist",
    alarm_email: "alerts@mvp-checklist.example",
    mail_domain: "mvp-checklist.example",
    monthly_budget_usd: 40,
    throttle_rate_limit: 100.0,
    throttle_burst_limit: 200,
    open_route_throttle: RouteThrottle {
        rate_limit: 5.0,
        burst_limit: 10,
    },
    // Seed: "CORS origins: currently allows *, should be specific domains".
    cors_origins: &[
        "https://mvp-checklist.example",
        "https://app.mvp-checklist.example",
    ],
    stage: "prod",
    production: true,
    region: "us-east-1",
    log_retention_days: 30,
    retain_data: true,
    point_in_time_recovery: true,
    bucket_versioning: true,
};

/// Development: same shape, shorter log retention, nothing retained on delete.
pub const DEV: StageConfig = StageConfig {
    stage: "dev",
    production: false,
    log_retention_days: 14,
    retain_data: false,
    point_in_time_recovery: false,
    bucket_versioning: false,
    ..PROD
};

/// What each stage is assumed to use in a month, for `cost` and the plan's cost delta.
pub mod usage;

/// The app as the toolkit's CLI drives it: `cargo run -p mvp-checklist -- synth | plan | deploy ...`.
pub const APP: toolkit::App = toolkit::App {
    name: APP_NAME,
    package: "mvp-checklist",
    stages: &[toolkit::Stage::of(&DEV), toolkit::Stage::of(&PROD)],
    stacks,
    stacks_dir: "stacks/examples/mvp-checklist",
    root: concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
    // The seed's handlers are not part of this repository: deploy takes prebuilt zips
    // (`--lambda-dir DIR` with `<binary>/bootstrap.zip`).
    lambda_build: None,
    usage: Some(usage::of),
    declared: None,
};

/// The configuration of one of [`APP`]'s stages.
pub fn config(stage: toolkit::Stage) -> StageConfig {
    match stage.name {
        "prod" => PROD,
        _ => DEV,
    }
}

pub fn stacks(stage: toolkit::Stage) -> Vec<Stack> {
    let stage = config(stage);
    let (backend, functions) = backend_stack(&stage);
    let monitoring = monitoring_stack(&stage, &backend, &functions);
    vec![backend, monitoring]
}

/// The routes of the app's single Lambda (clean-architecture monolith). It issues and
/// verifies its own JWTs, so the API authorizes nothing itself.
const ROUTES: [(HttpMethod, &str); 7] = [
    (Get, "/health"),
    (Post, "/auth/register"),
    (Post, "/auth/login"),
    (Post, "/auth/refresh"),
    (Get, "/preferences"),
    (Put, "/preferences"),
    (Delete, "/preferences"),
];

/// Network, database and API in one stack: the database's security group rules refer
/// to the function's group, and nothing else deploys on its own schedule.
fn backend_stack(stage: &StageConfig) -> (Stack, Vec<String>) {
    let mut stack = Stack::new("Backend", stage, "VPC, PostgreSQL, API function, HTTP API");
    let vpc = Vpc::new("app", [10, 20]).add_to(&mut stack);
    let functions_group = vpc.security_group(&mut stack, "api-function", "API function");
    let database_group = vpc.security_group(&mut stack, "database", "PostgreSQL");
    // The only way into the database: port 5432 from the function's group.
    VpcRef::allow(
        &mut stack,
        &functions_group,
        &database_group,
        postgres::PORT,
        "PostgreSQL from the API function",
    );
    // Without a NAT gateway the function reaches Secrets Manager through an endpoint.
    vpc.interface_endpoint(&mut stack, "secretsmanager", &functions_group);
    let database = Postgres::new(&stack, "app", "app").add_to(&mut stack, &vpc, &database_group);
    let signing_key =
        Secret::generated(&stack, "jwt-signing-key", "Signs the app's JWTs", 64).add_to(&mut stack);

    let mut function = Function::new(&stack, "api", "Users, auth and preferences API")
        .memory(512)
        .timeout(15)
        .env("DB_HOST", database.host.clone())
        .env("DB_PORT", database.port.clone())
        .env("DB_NAME", database.database.as_str())
        .env("DB_SECRET_ARN", database.secret_arn.clone())
        .env("DB_SSLMODE", "verify-full")
        .env("JWT_SECRET_ARN", signing_key.arn.clone())
        .env("ALLOWED_ORIGINS", stage.cors_origins.join(","));
    database.grant_credentials(&mut function);
    signing_key.grant_read(&mut function);
    let function = vpc.add_function(&mut stack, function, &functions_group);

    let mut api = HttpApi::new(&stack, "http-api")
        .cors_origins(stage.cors_origins)
        .throttle(stage.throttle_rate_limit, stage.throttle_burst_limit);
    for (method, path) in ROUTES {
        api = api.open_route(method, path, &function);
    }
    let api_id = api.add_to(&mut stack);
    stack.publish(
        LogicalId::new("ApiIdParameter").expect("valid id"),
        API_ID,
        api_id,
        "HTTP API ID",
    );
    (stack, vec![function.name])
}

fn monitoring_stack(stage: &StageConfig, backend: &Stack, functions: &[String]) -> Stack {
    let mut stack = Stack::new("Monitoring", stage, "alarms, alert topic and budget");
    stack.depends_on(backend);
    let topic =
        AlertTopic::for_alarms_and_budgets(&stack, "alerts", stage.alarm_email).add_to(&mut stack);
    for function in functions {
        Alarm::lambda_errors(function, 1.0).add_to(&mut stack, &topic);
        Alarm::lambda_throttles(function).add_to(&mut stack, &topic);
    }
    let api_id = stack.import(
        LogicalId::new("ApiId").expect("valid id"),
        API_ID,
        "HTTP API ID",
    );
    let api_name = stage.physical_name("http-api");
    Alarm::api_server_error_rate(&api_name, api_id.clone(), 5.0).add_to(&mut stack, &topic);
    Alarm::api_latency(&api_name, api_id, 3000.0).add_to(&mut stack, &topic);
    MonthlyBudget::new(&stack, "monthly", stage.monthly_budget_usd).add_to(
        &mut stack,
        &topic,
        stage.alarm_email,
    );
    stack
}
