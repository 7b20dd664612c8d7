//! What a month of Guitar Collection is assumed to use: seed 004's own assumptions
//! ("Cost Estimates (Monthly)"), per active user, so the estimate scales with users.
use toolkit::cost::{BucketUsage, FreeTier, Rate, Usage};

/// Users the seed's first estimate assumes (its "~$2.38/month").
pub const SEED_USERS: f64 = 1_000.0;
/// Users of the seed's "At Scale" estimate ("~$39/month").
pub const SEED_SCALE_USERS: f64 = 10_000.0;

/// prod: the seed's 1,000 active users; dev: the team, 10 users.
pub fn of(stage: toolkit::Stage) -> Usage {
    match stage.name {
        "prod" => seed_004(SEED_USERS, FreeTier::AlwaysFree),
        _ => seed_004(10.0, FreeTier::AlwaysFree),
    }
}

/// Seed 004's assumptions for `users` active users:
/// - "Each user: 100 API calls/month" through the HTTP API; Lambda "avg 512MB, 500ms"
///   (memory comes from the templates: 512 MB handlers, 256 MB user handler, 128 MB
///   authorizer). The seed does not split calls by handler: guitars 60, images 15,
///   user 15, auth 10. It leaves the Lambda authorizer out; with its 5-minute cache it
///   runs about once a session: 10 per user.
/// - DynamoDB "Reads: 100K, Writes: 20K, Storage: 1 GB" per 1,000 users: 100 reads,
///   20 writes and 1 MB per user, 90 % of it in the guitars table.
/// - "10 guitars per user, 5 images per guitar" at "2MB avg": 100 MB of images per user
///   (in the images bucket, which CloudFront serves), and the frontend's 1 GB.
/// - CloudFront "10 GB/month", "Requests: 100K" per 1,000 users.
pub fn seed_004(users: f64, free_tier: FreeTier) -> Usage {
    Usage::users(users)
        .free_tier(free_tier)
        .api_requests(Rate::PerUser(100.0))
        .function("guitars-handler", Rate::PerUser(60.0), 500.0)
        .function("images-handler", Rate::PerUser(15.0), 500.0)
        .function("user-handler", Rate::PerUser(15.0), 500.0)
        .function("auth-handler", Rate::PerUser(10.0), 500.0)
        .function("authorizer", Rate::PerUser(10.0), 500.0)
        .table(
            "guitars",
            Rate::PerUser(90.0),
            Rate::PerUser(18.0),
            Rate::PerUser(0.0009),
        )
        .table(
            "users",
            Rate::PerUser(10.0),
            Rate::PerUser(2.0),
            Rate::PerUser(0.0001),
        )
        .bucket(BucketUsage::new("frontend", Rate::Monthly(1.0)))
        .bucket(BucketUsage::new("images", Rate::PerUser(0.1)))
        .cdn(Rate::PerUser(0.01), Rate::PerUser(100.0))
}
