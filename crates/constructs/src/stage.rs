//! What constructs need to know about the stage they build for. An app keeps its own,
//! richer stage configuration (alarm email, budgets, CORS...) and hands constructs this.

/// The per-stage settings every construct may read: naming, region, and the data-safety
/// defaults (retention, recovery, versioning) that differ between dev and prod.
#[derive(Debug, Clone, PartialEq)]
pub struct StageContext {
    /// First segment of every physical name and SSM path, e.g. `bubblebatch`.
    pub app: &'static str,
    /// Display name in template descriptions, e.g. `BubbleBatch`.
    pub title: &'static str,
    /// The stage's name, e.g. `dev`.
    pub stage: &'static str,
    pub region: &'static str,
    pub log_retention_days: u32,
    /// Retain stateful resources (tables, buckets, pools) when their stack goes away.
    pub retain_data: bool,
    pub point_in_time_recovery: bool,
    pub bucket_versioning: bool,
}

impl StageContext {
    /// `<app>-<stage>-<suffix>`, e.g. `bubblebatch-dev-api`: the physical-name convention of every resource.
    pub fn physical_name(&self, suffix: &str) -> String {
        format!("{}-{}-{suffix}", self.app, self.stage)
    }

    /// SSM parameter path under which one stack publishes a value for another.
    pub fn parameter_path(&self, key: &str) -> String {
        format!("/{}/{}/{key}", self.app, self.stage)
    }
}
