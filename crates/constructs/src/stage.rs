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
    /// Each route anyone may call (sign-in, public pages) gets this limit of its own,
    /// below the stage-wide one: they cost money per call and need no account.
    pub open_route_throttle: RouteThrottle,
    pub cors_origins: &'static [&'static str],
    /// Who pays: the `cost-center` tag on every stack (and so on its resources), next to
    /// `app` and `stage`. Activate the three as cost-allocation tags in the Billing
    /// console to split the bill by them.
    pub cost_center: &'static str,
}

/// API Gateway throttling of one route: steady requests per second and burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteThrottle {
    pub rate_limit: f64,
    pub burst_limit: u32,
}

impl RouteThrottle {
    /// Concurrent executions that serve the route at its limits: the burst arriving at
    /// once, plus the steady rate while each call lasts `seconds_per_call` (Little's
    /// law). More would be unused; fewer would throttle inside the limits.
    pub fn concurrency(&self, seconds_per_call: f64) -> u32 {
        self.burst_limit + (self.rate_limit * seconds_per_call).ceil() as u32
    }
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
