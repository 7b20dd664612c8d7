//! The five BubbleBatch stacks of a stage, declared with constructs.
//!
//! Stacks refer to each other only through names fixed at synth time (table, bucket,
//! functions) and SSM parameters resolved at deploy time (user pool, API id): no
//! CloudFormation exports, so no stack can ever block another's update.
pub mod api;
pub mod audit;
pub mod auth;
pub mod data;
mod from_contract;
pub mod monitoring;
pub mod scheduler;
pub mod stage;

use constructs::Stack;
use stage::Stage;

/// Keys of the SSM parameters one stack publishes for others (and for the outputs file).
pub mod published {
    pub const USER_POOL_ID: &str = "auth/user-pool-id";
    pub const USER_POOL_CLIENT_ID: &str = "auth/user-pool-client-id";
    pub const API_ID: &str = "api/id";
    pub const API_URL: &str = "api/url";
    pub const TABLE_NAME: &str = "data/table-name";
    pub const BUCKET_NAME: &str = "data/bucket-name";
}

/// All stacks of a stage, in deployment order.
pub fn app(stage: Stage) -> Vec<Stack> {
    let config = stage.config();
    let auth = auth::stack(&config);
    let data = data::stack(&config);
    let api = api::stack(&config, &auth, &data, stage.api_domain());
    let scheduler = scheduler::stack(&config, &data);
    let monitoring = monitoring::stack(&config, &data, &api, &scheduler);
    let mut stacks = vec![
        auth.stack,
        data.stack,
        api.stack,
        scheduler.stack,
        monitoring,
    ];
    if let Some(days) = stage.audit_log_days() {
        stacks.push(audit::stack(&config, days));
    }
    stacks
}
