//! What a month of Echomate is assumed to use. Seed 000 gives no numbers (it picks every
//! service by its free tier and tests with friends), so these are ours: a small social
//! app, 500 active users in prod, 10 in dev.
use toolkit::cost::{BucketUsage, FreeTier, Rate, Usage};

pub fn of(stage: toolkit::Stage) -> Usage {
    let users = if stage.name == "prod" { 500.0 } else { 10.0 };
    Usage::users(users)
        .free_tier(FreeTier::AlwaysFree)
        // A feed refresh reads posts, a few likes and a profile: ~200 calls a month.
        .api_requests(Rate::PerUser(200.0))
        .function("posts", Rate::PerUser(120.0), 80.0)
        .function("likes", Rate::PerUser(50.0), 50.0)
        .function("users", Rate::PerUser(20.0), 50.0)
        .function("media", Rate::PerUser(10.0), 60.0)
        .table(
            "posts",
            Rate::PerUser(1_200.0),
            Rate::PerUser(5.0),
            Rate::PerUser(0.0005),
        )
        .table(
            "likes",
            Rate::PerUser(500.0),
            Rate::PerUser(20.0),
            Rate::PerUser(0.0002),
        )
        .table(
            "users",
            Rate::PerUser(40.0),
            Rate::PerUser(1.0),
            Rate::PerUser(0.00001),
        )
        // Five 1 MB photos a month per user, each shown ~20 times from the bucket.
        .bucket(
            BucketUsage::new("media", Rate::PerUser(0.03))
                .objects(Rate::PerUser(30.0))
                .requests(Rate::PerUser(5.0), Rate::PerUser(100.0)),
        )
}
