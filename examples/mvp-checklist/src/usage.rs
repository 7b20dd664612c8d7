//! What a month of the MVP checklist app is assumed to use (seed 001 gives no numbers):
//! 200 active users in prod, 5 in dev. Its fixed costs (the database instance and the
//! Secrets Manager endpoint) dominate at this size.
use toolkit::cost::{FreeTier, Rate, Usage};

pub fn of(stage: toolkit::Stage) -> Usage {
    let users = if stage.name == "prod" { 200.0 } else { 5.0 };
    Usage::users(users)
        .free_tier(FreeTier::AlwaysFree)
        .api_requests(Rate::PerUser(300.0))
        .function("api", Rate::PerUser(300.0), 40.0)
        // The function reads both secrets on each cold start: ~2,000 cold starts a month.
        .secret_api_calls(Rate::Monthly(4_000.0))
        .private_network_gb(Rate::Monthly(0.1))
}
