//! Typed per-stage configuration: everything that differs between `dev` and `prod`.
use constructs::StageContext;
use std::fmt;
use std::str::FromStr;

/// The application name; every physical name starts with it.
pub const APP: &str = "bubblebatch";
/// The application name as people write it, used in template descriptions.
pub const TITLE: &str = "BubbleBatch";

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
                stage: self,
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
                cors_origins: &["http://localhost:3000", "http://localhost:8081"],
            },
            Stage::Prod => StageConfig {
                app: APP,
                title: TITLE,
                stage: self,
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
                cors_origins: &["https://bubblebatch.com", "https://app.bubblebatch.com"],
            },
        }
    }
}

impl Stage {
    /// The stage as the toolkit sees it: name, home region, production rules.
    pub const fn info(self) -> toolkit::Stage {
        toolkit::Stage {
            app: APP,
            name: self.name(),
            region: self.config().region,
            production: matches!(self, Stage::Prod),
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

#[derive(Debug, Clone, PartialEq)]
pub struct StageConfig {
    /// First segment of every physical name and SSM path ([`APP`] for BubbleBatch);
    /// another app built with the same constructs sets its own.
    pub app: &'static str,
    /// Display name in template descriptions ([`TITLE`] for BubbleBatch).
    pub title: &'static str,
    pub stage: Stage,
    pub region: &'static str,
    pub log_retention_days: u32,
    /// Retain the table and the photos bucket when the stack or resource goes away.
    pub retain_data: bool,
    pub point_in_time_recovery: bool,
    pub bucket_versioning: bool,
    pub alarm_email: &'static str,
    /// SES-verified domain Cognito sends sign-in codes from.
    pub mail_domain: &'static str,
    pub monthly_budget_usd: u32,
    pub throttle_rate_limit: f64,
    pub throttle_burst_limit: u32,
    pub cors_origins: &'static [&'static str],
}

impl StageConfig {
    /// What constructs read of this stage: naming, region, data-safety defaults.
    pub fn context(&self) -> StageContext {
        StageContext {
            app: self.app,
            title: self.title,
            stage: self.stage.name(),
            region: self.region,
            log_retention_days: self.log_retention_days,
            retain_data: self.retain_data,
            point_in_time_recovery: self.point_in_time_recovery,
            bucket_versioning: self.bucket_versioning,
        }
    }

    /// `<app>-<stage>-<suffix>`, e.g. `bubblebatch-dev-api`: the physical-name convention of every resource.
    pub fn physical_name(&self, suffix: &str) -> String {
        self.context().physical_name(suffix)
    }

    /// SSM parameter path under which one stack publishes a value for another.
    pub fn parameter_path(&self, key: &str) -> String {
        self.context().parameter_path(key)
    }
}

impl From<&StageConfig> for StageContext {
    fn from(config: &StageConfig) -> StageContext {
        config.context()
    }
}
