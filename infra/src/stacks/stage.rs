//! Typed per-stage configuration: everything that differs between `dev` and `prod`.
pub use constructs::api_domain::CustomDomain;
pub use constructs::stage::RouteThrottle;
pub use constructs::StageConfig;
use std::fmt;
use std::str::FromStr;

/// The application name; every physical name starts with it.
pub const APP: &str = "bubblebatch";
/// The application name as people write it, used in template descriptions.
pub const TITLE: &str = "BubbleBatch";
/// Who pays for both stages: the `cost-center` tag on every stack.
pub const COST_CENTER: &str = "bubblebatch";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Dev,
    Prod,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Dev, Stage::Prod];

    pub const fn name(self) -> &'static str {
        match self {
            Stage::Dev => "dev",
            Stage::Prod => "prod",
        }
    }

    pub const fn config(self) -> StageConfig {
        match self {
            Stage::Dev => StageConfig {
                app: APP,
                title: TITLE,
                stage: self.name(),
                production: matches!(self, Stage::Prod),
                region: "us-east-1",
                log_retention_days: 14,
                retain_data: false,
                point_in_time_recovery: false,
                bucket_versioning: false,
                alarm_email: "alerts-dev@bubblebatch.example",
                mail_domain: "dev.bubblebatch.com",
                monthly_budget_usd: 25,
                throttle_rate_limit: 1000.0,
                throttle_burst_limit: 2000,
                open_route_throttle: RouteThrottle {
                    rate_limit: 2.0,
                    burst_limit: 5,
                },
                cors_origins: &["http://localhost:3000", "http://localhost:8081"],
                cost_center: COST_CENTER,
            },
            Stage::Prod => StageConfig {
                app: APP,
                title: TITLE,
                stage: self.name(),
                production: matches!(self, Stage::Prod),
                region: "us-east-1",
                log_retention_days: 30,
                retain_data: true,
                point_in_time_recovery: true,
                bucket_versioning: true,
                alarm_email: "alerts@bubblebatch.example",
                mail_domain: "bubblebatch.com",
                monthly_budget_usd: 200,
                throttle_rate_limit: 1000.0,
                throttle_burst_limit: 2000,
                open_route_throttle: RouteThrottle {
                    rate_limit: 5.0,
                    burst_limit: 10,
                },
                cors_origins: &["https://bubblebatch.com", "https://app.bubblebatch.com"],
                cost_center: COST_CENTER,
            },
        }
    }
}

/// Seed 002: "Custom domain (prod only)". The hosted zone is the team's own (Route 53);
/// dev keeps the execute-api URL.
const PROD_API_DOMAIN: CustomDomain = CustomDomain {
    domain_name: "api.bubblebatch.com",
    hosted_zone_id: "Z0BUBBLEBATCHCOMZONE",
};

impl Stage {
    /// Where the stage's API is served besides its execute-api URL.
    pub const fn api_domain(self) -> Option<CustomDomain> {
        match self {
            Stage::Dev => None,
            Stage::Prod => Some(PROD_API_DOMAIN),
        }
    }

    /// Days the CloudTrail audit log is kept; `None`: no trail (dev, to keep the account's
    /// one free trail for prod).
    pub const fn audit_log_days(self) -> Option<u32> {
        match self {
            Stage::Dev => None,
            Stage::Prod => Some(365),
        }
    }

    /// The stage as the toolkit sees it: name, home region, production rules, bake time
    /// and the smoke test's user.
    pub const fn info(self) -> toolkit::Stage {
        let stage = toolkit::Stage::of(&self.config());
        match self {
            // Alarms roll a dev deploy back only while it runs; prod bakes 10 minutes.
            Stage::Dev => stage
                .with_bake_minutes(0)
                .with_smoke_user(toolkit::SmokeUser {
                    username: "smoke@dev.bubblebatch.com",
                    refresh_token_parameter: "/bubblebatch/dev/smoke/refresh-token",
                }),
            Stage::Prod => stage
                .with_bake_minutes(10)
                .with_smoke_user(toolkit::SmokeUser {
                    username: "smoke@bubblebatch.com",
                    refresh_token_parameter: "/bubblebatch/prod/smoke/refresh-token",
                }),
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage '{0}': expected one of: dev, prod")]
pub struct UnknownStage(pub String);

impl FromStr for Stage {
    type Err = UnknownStage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" => Ok(Stage::Dev),
            "prod" => Ok(Stage::Prod),
            other => Err(UnknownStage(other.to_string())),
        }
    }
}
