//! Shared by port A's snapshot tests and compile-fail cases: a stage and a stack to
//! render constructs into.
use constructs::stage::RouteThrottle;
use constructs::{Stack, StageConfig};

pub const STAGE: StageConfig = StageConfig {
    app: "demo",
    title: "Demo",
    stage: "dev",
    production: false,
    region: "us-east-1",
    log_retention_days: 14,
    retain_data: false,
    point_in_time_recovery: false,
    bucket_versioning: false,
    alarm_email: "alerts@demo.example",
    mail_domain: "demo.example",
    monthly_budget_usd: 20,
    throttle_rate_limit: 50.0,
    throttle_burst_limit: 100,
    open_route_throttle: RouteThrottle {
        rate_limit: 5.0,
        burst_limit: 10,
    },
    cors_origins: &["https://demo.example"],
    cost_center: "demo",
};

pub fn stack(name: &str) -> Stack {
    Stack::new(name, &STAGE, "one construct")
}
