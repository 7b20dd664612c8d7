//! One stage of an app as constructs see it: naming, region, data-safety defaults, and the
//! operational settings every serverless app of ours sets per stage (alerts, budget, API
//! limits, browser origins). Each app declares one value per stage.

#[derive(Debug, Clone, PartialEq)]
pub struct StageConfig {
    /// First segment of every physical name and SSM path, e.g. `bubblebatch`.
    pub app: &'static str,
    /// Display name in template descriptions, e.g. `BubbleBatch`.
    pub title: &'static str,
    /// The stage's name, e.g. `dev`.
    pub stage: &'static str,
    /// Stricter rules in the toolkit: typed confirmations, no hotswap.
    pub production: bool,
    pub region: &'static str,
    pub log_retention_days: u32,
    /// Retain stateful resources (tables, buckets, pools) when their stack goes away.
    pub retain_data: bool,
    pub point_in_time_recovery: bool,
    pub bucket_versioning: bool,
    pub alarm_email: &'static str,
    /// SES-verified domain Cognito sends mail from.
    pub mail_domain: &'static str,
    pub monthly_budget_usd: u32,
    pub throttle_rate_limit: f64,
    pub throttle_burst_limit: u32,
    pub cors_origins: &'static [&'static str],
    /// Who pays: the `cost-center` tag on every stack (and so on its resources), next to
    /// `app` and `stage`. Activate the three as cost-allocation tags in the Billing
    /// console to split the bill by them.
    pub cost_center: &'static str,
}

impl StageConfig {
    /// `<app>-<stage>-<suffix>`, e.g. `bubblebatch-dev-api`: the physical-name convention of every resource.
    pub fn physical_name(&self, suffix: &str) -> String {
        format!("{}-{}-{suffix}", self.app, self.stage)
    }

    /// SSM parameter path under which one stack publishes a value for another.
    pub fn parameter_path(&self, key: &str) -> String {
        format!("/{}/{}/{key}", self.app, self.stage)
    }

    /// The cost-allocation tags of every stack of the stage: `app`, `stage`, `cost-center`.
    pub fn cost_tags(&self) -> [(&'static str, &'static str); 3] {
        crate::cost_tags::of(self.app, self.stage, self.cost_center)
    }
}
