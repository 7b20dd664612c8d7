//! Guitar Collection (seed 004): a CloudFront-hosted SPA, an HTTP API behind a Lambda
//! authorizer, DynamoDB for guitars and user metadata, Cognito for accounts, and an
//! uploads bucket for images and receipts.
//!
//! The seed gives one execution role to three handlers with broad resources
//! (`table/{stack}-guitars-*`, every `…-images-*` bucket, `logs:*:*:*`) and the
//! authorizer `cognito-idp:GetUser` on `*`. Here every function has its own role with
//! only what its routes do; `examples/README.md` lists each narrowing.
use cfn_core::iam::actions::{cognito, dynamodb};
use cfn_core::{Expr, LogicalId};
use constructs::access_logs::AccessLogBucket;
use constructs::alarm::{Alarm, DynamoDbThrottles};
use constructs::bucket::{browser_cors, AllowedMethods, ObjectAction};
use constructs::budget::MonthlyBudget;
use constructs::cdn::Distribution;
use constructs::cfn::s3::bucket as s3;
use constructs::function::Function;
use constructs::http_api::HttpMethod::{self, Delete, Get, Post, Put};
use constructs::http_api::{AuthorizerKind, HttpApi};
use constructs::stage::RouteThrottle;
use constructs::topic::AlertTopic;
use constructs::user_pool::{
    AppClient, AuthFlow, MfaFactor, MfaMode, PasswordPolicy, SignIn, UserPool, UserPoolRef,
};
use constructs::StageConfig;
use constructs::{Bucket, BucketRef, Stack, Table, TableRef};

pub const APP_NAME: &str = "guitar-collection";

/// The brand index of the guitars table (seed: `brand-userId-index`).
pub const BRAND_INDEX: &str = "brand-userId-index";
/// Uploads land under `uploads/<userId>/`, receipts under `receipts/<userId>/`; processed
/// images and thumbnails are written to the images bucket under `images/`.
const UPLOADS_PREFIX: &str = "uploads/";
const RECEIPTS_PREFIX: &str = "receipts/";
const IMAGES_PREFIX: &str = "images/";
const ONE_YEAR_SECONDS: u32 = 31_536_000;

/// SSM keys the stacks publish for each other.
mod published {
    pub const USER_POOL_ID: &str = "auth/user-pool-id";
    pub const USER_POOL_CLIENT_ID: &str = "auth/user-pool-client-id";
    pub const CDN_DOMAIN: &str = "web/cdn-domain";
    pub const API_ID: &str = "api/id";
}

/// Production: data retained, point-in-time recovery, versioned buckets.
pub const PROD: StageConfig = StageConfig {
    app: APP_NAME,
    // The budget owner, as a cost-allocation tag on every stack (dev inherits it).
    cost_center: APP_NAME,
    title: "Guitar Collection",
    alarm_email: "alerts@guitar-collection.example",
    mail_domain: "guitar-collection.example",
    // Seed: "Budgets: Alert at $50/month".
    monthly_budget_usd: 50,
    cors_origins: &["https://guitar-collection.example"],
    stage: "prod",
    production: true,
    region: "us-east-1",
    log_retention_days: 30,
    retain_data: true,
    point_in_time_recovery: true,
    bucket_versioning: true,
    // API Gateway's stage throttling, per API (the account default is shared by all).
    throttle_rate_limit: 1000.0,
    throttle_burst_limit: 2000,
    open_route_throttle: RouteThrottle {
        rate_limit: 5.0,
        burst_limit: 10,
    },
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

/// The app as the toolkit's CLI drives it: `cargo run -p guitar-collection -- synth | plan | deploy ...`.
pub const APP: toolkit::App = toolkit::App {
    name: APP_NAME,
    package: "guitar-collection",
    stages: &[toolkit::Stage::of(&DEV), toolkit::Stage::of(&PROD)],
    stacks,
    stacks_dir: "stacks/examples/guitar-collection",
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
    let web = web_stack(&stage);
    let (api, functions) = api_stack(&stage, &[&auth, &data, &web]);
    let monitoring = monitoring_stack(&stage, &api, &functions);
    vec![auth, data, web, api, monitoring]
}

fn id(name: &str) -> LogicalId {
    LogicalId::new(name).expect("valid logical id")
}

/// Cognito: email sign-in, the seed's password policy, optional TOTP, email recovery.
fn auth_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new("Auth", stage, "Cognito user pool and web client");
    let pool = UserPool::new(
        &stack,
        "users",
        SignIn::Password(PasswordPolicy {
            minimum_length: 8,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: Some(3),
        }),
    )
    .required_attribute("name")
    .mfa(MfaMode::Optional, &[MfaFactor::SoftwareToken])
    .self_sign_up(true)
    .add_to(
        &mut stack,
        &[AppClient {
            id: "web",
            auth_flows: vec![AuthFlow::UserPassword, AuthFlow::RefreshToken],
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
        "ID of the web client",
    );
    stack
}

/// Tables and the uploads bucket: the data that must survive any other stack.
fn data_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new("Data", stage, "guitars and users tables, uploads bucket");
    Table::new(&stack, "guitars", "userId")
        .sort_key("guitarId")
        .index(BRAND_INDEX, "brand", Some("userId"))
        .add_to(&mut stack);
    Table::new(&stack, "users", "userId").add_to(&mut stack);
    // Presigned URLs bypass the functions: S3 access logs record who read or wrote what.
    let mut access_logs = AccessLogBucket::new(&stack, "access-logs", 90, stage.retain_data);
    let uploads_logs = access_logs.accept(&BucketRef::for_stage(&stack, "uploads"), "uploads");
    access_logs.add_to(&mut stack);
    Bucket::new(&stack, "uploads")
        .access_logs(uploads_logs)
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
        // Images and receipts are read rarely after the first weeks: Intelligent-Tiering
        // moves them between access tiers without retrieval fees.
        .lifecycle_rule(s3::Rule {
            id: Some("intelligent-tiering".into()),
            abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload::new(1)),
            transitions: Some(vec![transition(s3::StorageClass::IntelligentTiering, 0)]),
            ..s3::Rule::new(s3::Status::Enabled)
        })
        // Seed: "Archive receipts to Glacier after 1 year".
        .lifecycle_rule(s3::Rule {
            id: Some("receipts-to-glacier".into()),
            prefix: Some(RECEIPTS_PREFIX.into()),
            transitions: Some(vec![transition(s3::StorageClass::GLACIER, 365)]),
            ..s3::Rule::new(s3::Status::Enabled)
        })
        .add_to(&mut stack);
    stack
}

/// Moves objects to `storage_class` `days` after creation.
fn transition(storage_class: s3::StorageClass, days: u32) -> s3::Transition {
    s3::Transition {
        transition_in_days: Some(days.into()),
        ..s3::Transition::new(storage_class)
    }
}

/// The frontend and the images, served only through CloudFront.
fn web_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new("Web", stage, "CloudFront distribution, frontend and images");
    // Only CloudFront reads these (origin access control): its own logs are the record.
    let cdn_only = "read only by CloudFront through origin access control and written by \
                    deploys: CloudFront's standard logs record the reads";
    let frontend = Bucket::new(&stack, "frontend")
        .versioned(true)
        .exempt_if(true, "CKV_AWS_18", cdn_only)
        .retain(stage.retain_data);
    let images = Bucket::new(&stack, "images")
        .versioned(stage.bucket_versioning)
        .exempt_if(
            !stage.bucket_versioning,
            "CKV_AWS_21",
            "versioned where data is kept (prod); this stage's objects are test data, \
             deleted with the stack",
        )
        .exempt_if(true, "CKV_AWS_18", cdn_only)
        .retain(stage.retain_data);
    let comment = "Guitar Collection frontend and images";
    let cdn = Distribution::new(&stack, "cdn", comment, frontend)
        .immutable_origin("/images/*", images, ONE_YEAR_SECONDS)
        .add_to(&mut stack);
    stack.publish(
        id("CdnDomainParameter"),
        published::CDN_DOMAIN,
        cdn.domain_name,
        "Domain name of the CloudFront distribution",
    );
    stack
}

/// What each handler function is, and the routes it serves.
struct Handler {
    binary: &'static str,
    description: &'static str,
    memory_mb: u32,
    timeout_seconds: u32,
    routes: &'static [(HttpMethod, &'static str)],
}

const AUTH: Handler = Handler {
    binary: "auth-handler",
    description: "Register, log in, refresh, forgot and reset password (Cognito public API)",
    memory_mb: 512,
    timeout_seconds: 10,
    routes: &[
        (Post, "/auth/register"),
        (Post, "/auth/login"),
        (Post, "/auth/refresh"),
        (Post, "/auth/forgot-password"),
        (Post, "/auth/reset-password"),
    ],
};

/// Everything behind the authorizer.
const PROTECTED: [Handler; 3] = [
    Handler {
        binary: "guitars-handler",
        description: "List, create, read, update and delete guitars; list brands",
        memory_mb: 512,
        timeout_seconds: 10,
        routes: &[
            (Get, "/guitars"),
            (Post, "/guitars"),
            (Get, "/guitars/brands"),
            (Get, "/guitars/{id}"),
            (Put, "/guitars/{id}"),
            (Delete, "/guitars/{id}"),
        ],
    },
    Handler {
        binary: "images-handler",
        description: "Presigned upload URLs; thumbnails and moves uploads into images",
        memory_mb: 512,
        timeout_seconds: 10,
        routes: &[
            (Post, "/images/upload-url"),
            (Post, "/images/upload-complete"),
        ],
    },
    Handler {
        binary: "user-handler",
        description: "Read and update the user profile and display name",
        memory_mb: 256,
        timeout_seconds: 5,
        routes: &[
            (Get, "/user/profile"),
            (Put, "/user/profile"),
            (Put, "/user/name"),
        ],
    },
];

fn api_stack(stage: &StageConfig, after: &[&Stack]) -> (Stack, Vec<String>) {
    let mut stack = Stack::new("Api", stage, "HTTP API, Lambda authorizer and handlers");
    for dependency in after {
        stack.depends_on(dependency);
    }
    let pool_param = id("UserPoolId");
    stack.import(pool_param.clone(), published::USER_POOL_ID, "User pool ID");
    let client_id = stack.import(
        id("UserPoolClientId"),
        published::USER_POOL_CLIENT_ID,
        "Web client ID",
    );
    let cdn_domain = stack.import(id("CdnDomain"), published::CDN_DOMAIN, "CloudFront domain");
    let pool = UserPoolRef::imported(&pool_param, client_id.clone());
    let guitars = TableRef::from_name(&stage.physical_name("guitars"));
    let users = TableRef::from_name(&stage.physical_name("users"));
    let uploads = BucketRef::for_stage(&stack, "uploads");
    let images = BucketRef::for_stage(&stack, "images");

    // Validates the access token against the pool's public keys: no IAM permission at
    // all (the seed granted cognito-idp:GetUser on every pool).
    let authorizer = Function::new(&stack, "authorizer", "Verifies Cognito access tokens")
        .memory(128)
        .timeout(3)
        .env("COGNITO_USER_POOL_ID", pool.pool_id.clone())
        .env("COGNITO_CLIENT_ID", client_id.clone())
        .add_to(&mut stack);
    let mut api = HttpApi::new(&stack, "http-api")
        .cors_origins(stage.cors_origins)
        .throttle(stage.throttle_rate_limit, stage.throttle_burst_limit)
        .open_route_throttle(stage.open_route_throttle)
        .authorizer(AuthorizerKind::Lambda {
            function: authorizer.clone(),
            // Seed: "Caches authorization decisions (5 min TTL)".
            cache_seconds: 300,
        });
    let mut names = vec![authorizer.name.clone()];

    // SignUp, InitiateAuth, ForgotPassword and ConfirmForgotPassword are public Cognito
    // calls made with the client ID: the only permission is the user record.
    let mut auth = handler(&stack, &AUTH)
        .env("COGNITO_USER_POOL_ID", pool.pool_id.clone())
        .env("COGNITO_CLIENT_ID", client_id.clone())
        .env("DYNAMODB_TABLE_USERS", users.name.as_str());
    users.grant(&mut auth, &[dynamodb::PUT_ITEM]);
    // Its routes are open: reserved concurrency for them at their limits (calls of up to
    // 2 s, its Cognito calls included), so sign-up floods cannot starve the rest.
    let per_route = stage.open_route_throttle.concurrency(2.0);
    let auth = auth
        .reserved_concurrency(AUTH.routes.len() as u32 * per_route)
        .add_to(&mut stack);
    for (method, path) in AUTH.routes {
        api = api.open_route(*method, path, &auth);
    }
    names.push(auth.name.clone());

    for spec in &PROTECTED {
        let mut function = handler(&stack, spec).env("NODE_ENV", "production");
        match spec.binary {
            "guitars-handler" => {
                function = function
                    .env("DYNAMODB_TABLE_GUITARS", guitars.name.as_str())
                    .env("CLOUDFRONT_DOMAIN", cdn_domain.clone());
                // Every access pattern is keyed by userId: no Scan.
                guitars.grant(
                    &mut function,
                    &[
                        dynamodb::GET_ITEM,
                        dynamodb::PUT_ITEM,
                        dynamodb::UPDATE_ITEM,
                        dynamodb::DELETE_ITEM,
                        dynamodb::QUERY,
                    ],
                );
                guitars.grant_index(&mut function, BRAND_INDEX, &[dynamodb::QUERY]);
            }
            "images-handler" => {
                function = function
                    .env("DYNAMODB_TABLE_GUITARS", guitars.name.as_str())
                    .env("S3_BUCKET_UPLOADS", uploads.name())
                    .env("S3_BUCKET_IMAGES", images.name())
                    .env("CLOUDFRONT_DOMAIN", cdn_domain.clone());
                // Presigned PUTs carry the signer's rights: uploads and receipts only.
                // upload-complete reads the upload, writes the image and thumbnail, then
                // deletes the upload.
                uploads.grant_objects(
                    &mut function,
                    UPLOADS_PREFIX,
                    &[ObjectAction::Put, ObjectAction::Get, ObjectAction::Delete],
                );
                uploads.grant_objects(
                    &mut function,
                    RECEIPTS_PREFIX,
                    &[ObjectAction::Put, ObjectAction::Get],
                );
                images.grant_put(&mut function, IMAGES_PREFIX);
                // Stores the image URLs on the guitar item.
                guitars.grant(&mut function, &[dynamodb::UPDATE_ITEM]);
            }
            "user-handler" => {
                function = function
                    .env("DYNAMODB_TABLE_USERS", users.name.as_str())
                    .env("COGNITO_USER_POOL_ID", pool.pool_id.clone());
                users.grant(
                    &mut function,
                    &[
                        dynamodb::GET_ITEM,
                        dynamodb::PUT_ITEM,
                        dynamodb::UPDATE_ITEM,
                    ],
                );
                // PUT /user/name keeps the pool's `name` attribute in step.
                pool.grant(&mut function, &[cognito::ADMIN_UPDATE_USER_ATTRIBUTES]);
            }
            other => panic!("handler {other} has no grants declared"),
        }
        let function = function.add_to(&mut stack);
        for (method, path) in spec.routes {
            api = api.protected_route(*method, path, &function);
        }
        names.push(function.name.clone());
    }
    let api_id = api.add_to(&mut stack);
    stack.publish(
        id("ApiIdParameter"),
        published::API_ID,
        api_id,
        "HTTP API ID",
    );
    stack.publish(
        id("ApiUrlParameter"),
        "api/url",
        Expr::sub("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"),
        "Base URL of the HTTP API",
    );
    (stack, names)
}

fn handler(stack: &Stack, spec: &Handler) -> Function {
    Function::new(stack, spec.binary, spec.description)
        .memory(spec.memory_mb)
        .timeout(spec.timeout_seconds)
}

/// Seed "CloudWatch Alarms": Lambda errors, API 5xx, DynamoDB throttling; and a budget.
fn monitoring_stack(stage: &StageConfig, api: &Stack, functions: &[String]) -> Stack {
    let mut stack = Stack::new("Monitoring", stage, "alarms, alert topic and budget");
    stack.depends_on(api);
    let topic =
        AlertTopic::for_alarms_and_budgets(&stack, "alerts", stage.alarm_email).add_to(&mut stack);
    for function in functions {
        Alarm::lambda_errors(function, 5.0).add_to(&mut stack, &topic);
    }
    let api_id = stack.import(id("ApiId"), published::API_ID, "HTTP API ID");
    Alarm::api_server_error_rate(&stage.physical_name("http-api"), api_id, 5.0)
        .add_to(&mut stack, &topic);
    for table in ["guitars", "users"] {
        for throttles in [DynamoDbThrottles::Read, DynamoDbThrottles::Write] {
            Alarm::dynamodb_throttles(&stage.physical_name(table), throttles)
                .add_to(&mut stack, &topic);
        }
    }
    MonthlyBudget::new(&stack, "monthly", stage.monthly_budget_usd).add_to(
        &mut stack,
        &topic,
        stage.alarm_email,
    );
    stack
}
