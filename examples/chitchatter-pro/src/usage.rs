//! What a month of Chitchatter Pro's AWS parts is assumed to use (seed 003 gives no
//! numbers): 300 paying users in prod, 10 in dev, sharing small files that live a day.
use toolkit::cost::{BucketUsage, FreeTier, Rate, Usage};

pub fn of(stage: toolkit::Stage) -> Usage {
    let users = if stage.name == "prod" { 300.0 } else { 10.0 };
    Usage::users(users)
        .free_tier(FreeTier::AlwaysFree)
        // Cost and Usage Reports are delivered up to three times a day.
        .function("usage-report", Rate::Monthly(90.0), 5_000.0)
        // 20 files of 2 MB a month per user, deleted after a day: ~1/30 of a month's
        // uploads is stored at any time.
        .bucket(
            BucketUsage::new("files", Rate::PerUser(0.04 / 30.0))
                .requests(Rate::PerUser(20.0), Rate::PerUser(60.0)),
        )
        .bucket(
            BucketUsage::new("usage-reports", Rate::Monthly(0.5))
                .requests(Rate::Monthly(270.0), Rate::Monthly(270.0)),
        )
}
