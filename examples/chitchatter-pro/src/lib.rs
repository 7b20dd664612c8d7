//! Chitchatter Pro (seed 003), AWS parts only: the Cognito pool with TOTP MFA and an
//! OAuth authorization-code client for `pro.chitchatter.im`, the hosted sign-in domain,
//! the ephemeral file-sharing bucket, and the usage-report Lambda fed by Cost and Usage
//! Reports. The API (Vercel), Turso, Firebase and Cloudflare are outside AWS.
use constructs::access_logs::AccessLogBucket;
use constructs::alarm::Alarm;
use constructs::bucket::{browser_cors, AllowedMethods};
use constructs::bucket_trigger::add_with_trigger;
use constructs::budget::MonthlyBudget;
use constructs::cost_reports::allow_report_delivery;
use constructs::function::Function;
use constructs::pool_domain::PoolDomain;
use constructs::stage::RouteThrottle;
use constructs::topic::AlertTopic;
use constructs::user_pool::{
    AppClient, AuthFlow, MfaFactor, MfaMode, OAuth, PasswordPolicy, SignIn, UserPool,
};
use constructs::StageConfig;
use constructs::{Bucket, BucketRef, Stack};

pub const APP_NAME: &str = "chitchatter-pro";

/// Where Cost and Usage Reports are delivered (the report definition's S3 prefix).
const REPORTS_PREFIX: &str = "cur/";
const LOCAL_APP: &str = "http://localhost:3000";
const PRODUCTION_APP: &str = "https://pro.chitchatter.im";

/// Production: data retained, point-in-time recovery, versioned buckets.
pub const PROD: StageConfig = StageConfig {
    app: APP_NAME,
    // The budget owner, as a cost-allocation tag on every stack (dev inherits it).
    cost_center: APP_NAME,
    title: "Chitchatter Pro",
    alarm_email: "alerts@chitchatter.im",
    mail_domain: "chitchatter.im",
    monthly_budget_usd: 30,
    cors_origins: &[PRODUCTION_APP, LOCAL_APP],
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

/// The app as the toolkit's CLI drives it: `cargo run -p chitchatter-pro -- synth | plan | deploy ...`.
pub const APP: toolkit::App = toolkit::App {
    name: APP_NAME,
    package: "chitchatter-pro",
    stages: &[toolkit::Stage::of(&DEV), toolkit::Stage::of(&PROD)],
    stacks,
    stacks_dir: "stacks/examples/chitchatter-pro",
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
    let (files, functions) = files_stack(&stage);
    let monitoring = monitoring_stack(&stage, &files, &functions);
    vec![auth, files, monitoring]
}

fn auth_stack(stage: &StageConfig) -> Stack {
    let mut stack = Stack::new(
        "Auth",
        stage,
        "user pool, TOTP MFA, OAuth web client, domain",
    );
    let pool = UserPool::new(
        &stack,
        "users",
        SignIn::Password(PasswordPolicy {
            minimum_length: 12,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: Some(1),
        }),
    )
    .required_attribute("name")
    // Seed: MFA with TOTP apps; required for every user.
    .mfa(MfaMode::Required, &[MfaFactor::SoftwareToken])
    .self_sign_up(true)
    .verification_email(
        "Verify your Chitchatter Pro email",
        "Your Chitchatter Pro verification code is {####}.",
    )
    .add_to(
        &mut stack,
        &[AppClient {
            id: "web",
            auth_flows: vec![AuthFlow::UserSrp, AuthFlow::RefreshToken],
            access_token_hours: 1,
            id_token_hours: 1,
            refresh_token_days: 30,
            oauth: Some(OAuth {
                callback_urls: vec![
                    format!("{LOCAL_APP}/auth/callback"),
                    format!("{PRODUCTION_APP}/auth/callback"),
                ],
                logout_urls: vec![LOCAL_APP.to_string(), PRODUCTION_APP.to_string()],
                scopes: vec!["openid", "email", "profile"],
            }),
        }],
    );
    PoolDomain::new(&stack, "auth").add_to(&mut stack, pool.pool_id.clone());
    stack
}

/// The file-sharing bucket, the reports bucket and the function reading reports.
fn files_stack(stage: &StageConfig) -> (Stack, Vec<String>) {
    let mut stack = Stack::new("Files", stage, "file sharing, usage reports and processor");
    // Presigned URLs bypass the functions: S3 access logs record who read or wrote what.
    let mut access_logs = AccessLogBucket::new(&stack, "access-logs", 90, stage.retain_data);
    let files_logs = access_logs.accept(&BucketRef::for_stage(&stack, "files"), "files");
    access_logs.add_to(&mut stack);
    let files = Bucket::new(&stack, "files")
        .access_logs(files_logs)
        .cors(browser_cors(
            &[AllowedMethods::Put, AllowedMethods::Get],
            stage.cors_origins,
        ))
        // Seed: 24-hour ephemeral files. Lifecycle counts whole days, so one day is the
        // shortest expiry S3 can express; links are presigned for less.
        .expire_after_days("ephemeral-24h", None, 1)
        .exempt_if(
            true,
            "CKV_AWS_21",
            "shared files live at most a day and are deleted by lifecycle: old versions \
             would keep what the seed promises to delete",
        );
    let files_id = files.add_to(&mut stack);
    stack.suppress(
        &files_id,
        "PROD_DATA_RETAINED",
        "Shared files live at most a day and are deleted by lifecycle: nothing in this \
         bucket is worth keeping after the stack is gone.",
    );

    let reports_ref = BucketRef::for_stage(&stack, "usage-reports");
    let mut processor = Function::new(
        &stack,
        "usage-report",
        "Reads delivered Cost and Usage Reports and updates user quotas",
    )
    .env("REPORTS_BUCKET", reports_ref.name())
    .timeout(60)
    .memory(512);
    // Read access to the reports it is notified about, nothing else.
    reports_ref.grant_read(&mut processor, REPORTS_PREFIX);
    let processor = processor.add_to(&mut stack);
    let reports = allow_report_delivery(
        Bucket::new(&stack, "usage-reports")
            .versioned(stage.bucket_versioning)
            .exempt_if(
                !stage.bucket_versioning,
                "CKV_AWS_21",
                "versioned where data is kept (prod); this stage's reports are test data, \
                 deleted with the stack",
            )
            .exempt_if(
                true,
                "CKV_AWS_18",
                "only AWS's billing report delivery writes here and only the report \
                 function reads (its role is the one grant); CloudTrail records both",
            )
            .retain(stage.retain_data)
            .expire_after_days("expire-after-two-years", None, 730),
    );
    add_with_trigger(&mut stack, reports, &processor, REPORTS_PREFIX);
    (stack, vec![processor.name])
}

fn monitoring_stack(stage: &StageConfig, files: &Stack, functions: &[String]) -> Stack {
    let mut stack = Stack::new("Monitoring", stage, "alarms, alert topic and budget");
    stack.depends_on(files);
    let topic =
        AlertTopic::for_alarms_and_budgets(&stack, "alerts", stage.alarm_email).add_to(&mut stack);
    for function in functions {
        Alarm::lambda_errors(function, 1.0).add_to(&mut stack, &topic);
    }
    // Seed: "Set up billing alerts and budgets".
    MonthlyBudget::new(&stack, "monthly", stage.monthly_budget_usd).add_to(
        &mut stack,
        &topic,
        stage.alarm_email,
    );
    stack
}
