//! Echomate (seed 000): a social app backend. Cognito email/password accounts, Users,
//! Posts and Likes tables on demand, CRUD Lambdas outside any VPC released through
//! `prod`/`staging` aliases, a private media bucket for presigned uploads, a throttled
//! HTTP API with the built-in JWT (Cognito) authorizer, a billing alarm and dashboards.
use cfn_core::iam::actions::dynamodb;
use cfn_core::LogicalId;
use constructs::access_logs::AccessLogBucket;
use constructs::alarm::Alarm;
use constructs::alias::add_with_aliases;
use constructs::billing_alarm::BillingAlarm;
use constructs::bucket::{browser_cors, AllowedMethods, ObjectAction};
use constructs::budget::MonthlyBudget;
use constructs::dashboard::Dashboard;
use constructs::function::{Function, FunctionRef};
use constructs::http_api::HttpMethod::{self, Delete, Get, Post, Put};
use constructs::http_api::{AuthorizerKind, HttpApi};
use constructs::stage::RouteThrottle;
use constructs::topic::AlertTopic;
use constructs::user_pool::{AppClient, AuthFlow, PasswordPolicy, SignIn, UserPool, UserPoolRef};
use constructs::StageConfig;
use constructs::{Bucket, BucketRef, Stack, Table, TableRef};

pub const APP_NAME: &str = "echomate";

/// Posts by author, newest first; likes by user.
pub const POSTS_BY_AUTHOR: &str = "byAuthor";
pub const LIKES_BY_USER: &str = "byUser";
/// Presigned uploads go under `media/<userId>/`.
const MEDIA_PREFIX: &str = "media/";

mod published {
    pub const USER_POOL_ID: &str = "auth/user-pool-id";
    pub const USER_POOL_CLIENT_ID: &str = "auth/user-pool-client-id";
    pub const API_ID: &str = "api/id";
}

/// Production: data retained, point-in-time recovery, versioned buckets.
pub const PROD: StageConfig = StageConfig {
    app: APP_NAME,
    // The budget owner, as a cost-allocation tag on every stack (dev inherits it).
    cost_center: APP_NAME,
    title: "Echomate",
    alarm_email: "alerts@echomate.example",
    mail_domain: "echomate.example",
    monthly_budget_usd: 20,
    // Seed: built-in API Gateway throttling instead of WAF.
    throttle_rate_limit: 50.0,
    throttle_burst_limit: 100,
    open_route_throttle: RouteThrottle {
        rate_limit: 5.0,
        burst_limit: 10,
    },
    cors_origins: &["https://echomate.example"],
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

/// The app as the toolkit's CLI drives it: `cargo run -p echomate -- synth | plan | deploy ...`.
pub const APP: toolkit::App = toolkit::App {
    name: APP_NAME,
    package: "echomate",
    stages: &[toolkit::Stage::of(&DEV), toolkit::Stage::of(&PROD)],
    stacks,
    stacks_dir: "stacks/examples/echomate",
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
    let auth = auth_stack(&stage);
    let data = data_stack(&stage);
    let functions = functions_stack(&stage, &data);
    let api = api_stack(&stage, &auth, &functions);
    let monitoring = monitoring_stack(&stage, &api, &functions.names);
    vec![auth, data, functions.stack, api, monitoring]
}

fn id(name: &str) -> LogicalId {
    LogicalId::new(name).expect("valid logical id")
}

fn auth_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new("Auth", stage, "Cognito user pool, email and password");
    let pool = UserPool::new(
        &stack,
        "users",
        SignIn::Password(PasswordPolicy {
            minimum_length: 10,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: false,
            temporary_password_validity_days: Some(3),
        }),
    )
    .required_attribute("name")
    .self_sign_up(true)
    .add_to(
        &mut stack,
        // Amplify signs in with SRP: the password never leaves the device.
        &[AppClient {
            id: "app",
            auth_flows: vec![AuthFlow::UserSrp, AuthFlow::RefreshToken],
            access_token_hours: 1,
            id_token_hours: 1,
            refresh_token_days: 30,
            oauth: None,
        }],
    );
    stack.publish(
        id("UserPoolIdParameter"),
        published::USER_POOL_ID,
        pool.pool_id.clone(),
        "ID of the user pool",
    );
    stack.publish(
        id("UserPoolClientIdParameter"),
        published::USER_POOL_CLIENT_ID,
        pool.client_ids[0].clone(),
        "ID of the app client",
    );
    stack
}

/// On-demand tables (the constructs' default) and the private media bucket.
fn data_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new("Data", stage, "users, posts and likes tables, media bucket");
    Table::new(&stack, "users", "userId").add_to(&mut stack);
    Table::new(&stack, "posts", "postId")
        .index(POSTS_BY_AUTHOR, "authorId", Some("createdAt"))
        .add_to(&mut stack);
    Table::new(&stack, "likes", "postId")
        .sort_key("userId")
        .index(LIKES_BY_USER, "userId", Some("postId"))
        .add_to(&mut stack);
    // Presigned URLs bypass the functions: S3 access logs record who read or wrote what.
    let mut access_logs = AccessLogBucket::new(&stack, "access-logs", 90, stage.retain_data);
    let media_logs = access_logs.accept(&BucketRef::for_stage(&stack, "media"), "media");
    access_logs.add_to(&mut stack);
    Bucket::new(&stack, "media")
        .access_logs(media_logs)
        .versioned(stage.bucket_versioning)
        .exempt_if(
            !stage.bucket_versioning,
            "CKV_AWS_21",
            "versioned where data is kept (prod); this stage's objects are test data, \
             deleted with the stack",
        )
        .retain(stage.retain_data)
        .cors(browser_cors(
            &[AllowedMethods::Put, AllowedMethods::Get],
            stage.cors_origins,
        ))
        .add_to(&mut stack);
    stack
}

struct Functions {
    stack: Stack,
    /// Unqualified function names (alarms and dashboards aggregate all versions).
    names: Vec<String>,
    /// The `prod` alias of each function, by binary.
    prod: Vec<(&'static str, FunctionRef)>,
}

/// The CRUD functions and their aliases. A stack of their own: the API refers to the
/// `prod` aliases by name, so they must exist before the API stack deploys.
fn functions_stack(stage: &StageConfig, data: &Stack) -> Functions {
    let mut stack = Stack::new(
        "Functions",
        stage,
        "CRUD functions, prod and staging aliases",
    );
    stack.depends_on(data);
    let users = TableRef::from_name(&stage.physical_name("users"));
    let posts = TableRef::from_name(&stage.physical_name("posts"));
    let likes = TableRef::from_name(&stage.physical_name("likes"));
    let media = BucketRef::for_stage(&stack, "media");
    let (mut names, mut prod) = (Vec::new(), Vec::new());
    for (binary, description) in [
        ("users", "Read and partially update user profiles"),
        (
            "posts",
            "Create, read, update and delete posts; list by author",
        ),
        ("likes", "Like and unlike posts; list likes"),
        ("media", "Presigned upload and download URLs for media"),
    ] {
        let mut function = Function::new(&stack, binary, description).memory(256);
        match binary {
            "users" => {
                function = function.env("USERS_TABLE", users.name.as_str());
                users.grant(
                    &mut function,
                    &[
                        dynamodb::GET_ITEM,
                        dynamodb::PUT_ITEM,
                        dynamodb::UPDATE_ITEM,
                    ],
                );
            }
            "posts" => {
                function = function.env("POSTS_TABLE", posts.name.as_str());
                posts.grant(
                    &mut function,
                    &[
                        dynamodb::GET_ITEM,
                        dynamodb::PUT_ITEM,
                        dynamodb::UPDATE_ITEM,
                        dynamodb::DELETE_ITEM,
                    ],
                );
                posts.grant_index(&mut function, POSTS_BY_AUTHOR, &[dynamodb::QUERY]);
            }
            "likes" => {
                function = function
                    .env("LIKES_TABLE", likes.name.as_str())
                    .env("POSTS_TABLE", posts.name.as_str());
                likes.grant(
                    &mut function,
                    &[dynamodb::PUT_ITEM, dynamodb::DELETE_ITEM, dynamodb::QUERY],
                );
                likes.grant_index(&mut function, LIKES_BY_USER, &[dynamodb::QUERY]);
                // Keeps the like counter on the post.
                posts.grant(&mut function, &[dynamodb::UPDATE_ITEM]);
            }
            "media" => {
                function = function.env("MEDIA_BUCKET", media.name());
                media.grant_objects(
                    &mut function,
                    MEDIA_PREFIX,
                    &[ObjectAction::Put, ObjectAction::Get],
                );
            }
            other => panic!("function {other} has no grants declared"),
        }
        let aliases = add_with_aliases(&mut stack, function);
        names.push(aliases.function.name.clone());
        prod.push((binary, aliases.prod));
    }
    Functions { stack, names, prod }
}

fn api_stack(stage: &StageConfig, auth: &Stack, functions: &Functions) -> Stack {
    let mut stack = Stack::new("Api", stage, "HTTP API with Cognito JWT authorizer");
    stack.depends_on(auth);
    stack.depends_on(&functions.stack);
    let pool_param = id("UserPoolId");
    stack.import(pool_param.clone(), published::USER_POOL_ID, "User pool ID");
    let client_id = stack.import(
        id("UserPoolClientId"),
        published::USER_POOL_CLIENT_ID,
        "App client ID",
    );
    let pool = UserPoolRef::imported(&pool_param, client_id.clone());
    let prod = |binary: &str| {
        functions
            .prod
            .iter()
            .find(|(b, _)| *b == binary)
            .map(|(_, f)| f.clone())
            .expect("declared function")
    };
    let routes: [(HttpMethod, &'static str, &str); 12] = [
        (Get, "/users/me", "users"),
        (Put, "/users/me", "users"),
        (Get, "/users/{id}", "users"),
        (Post, "/posts", "posts"),
        (Get, "/posts/{id}", "posts"),
        (Put, "/posts/{id}", "posts"),
        (Delete, "/posts/{id}", "posts"),
        (Get, "/users/{id}/posts", "posts"),
        (Put, "/posts/{id}/like", "likes"),
        (Delete, "/posts/{id}/like", "likes"),
        (Get, "/posts/{id}/likes", "likes"),
        (Post, "/media/upload-url", "media"),
    ];
    let mut api = HttpApi::new(&stack, "http-api")
        .cors_origins(stage.cors_origins)
        .throttle(stage.throttle_rate_limit, stage.throttle_burst_limit)
        .authorizer(AuthorizerKind::Jwt {
            issuer: pool.issuer(),
            audience: vec![client_id],
        });
    for (method, path, binary) in routes {
        api = api.protected_route(method, path, &prod(binary));
    }
    let api_id = api.add_to(&mut stack);
    stack.publish(
        id("ApiIdParameter"),
        published::API_ID,
        api_id,
        "HTTP API ID",
    );
    stack
}

/// Seed 8.1: billing alarm, Lambda errors and API latency, as alarms and a dashboard.
fn monitoring_stack(stage: &StageConfig, api: &Stack, functions: &[String]) -> Stack {
    let mut stack = Stack::new(
        "Monitoring",
        stage,
        "alarms, dashboard, billing alarm, budget",
    );
    stack.depends_on(api);
    let topic =
        AlertTopic::for_alarms_and_budgets(&stack, "alerts", stage.alarm_email).add_to(&mut stack);
    for function in functions {
        Alarm::lambda_errors(function, 5.0).add_to(&mut stack, &topic);
    }
    let api_id = stack.import(id("ApiId"), published::API_ID, "HTTP API ID");
    let api_name = stage.physical_name("http-api");
    Alarm::api_latency(&api_name, api_id.clone(), 1500.0).add_to(&mut stack, &topic);
    Alarm::api_server_error_rate(&api_name, api_id.clone(), 5.0).add_to(&mut stack, &topic);
    BillingAlarm::new(&stack, "monthly", stage.monthly_budget_usd).add_to(&mut stack, &topic);
    MonthlyBudget::new(&stack, "monthly", stage.monthly_budget_usd).add_to(
        &mut stack,
        &topic,
        stage.alarm_email,
    );
    Dashboard::new(&stack, "overview")
        .lambda_errors(functions)
        .api_latency(api_id)
        .add_to(&mut stack);
    stack
}
