//! What a month of BubbleBatch is assumed to use, per stage. Numbers are ours (seed 002
//! gives none): prod 2,000 active brewers, dev the team and testers (25).
//!
//! A brewer logs a batch's events, checks reminders and uploads a few photos. Push
//! notifications go through Expo (no AWS charge); sign-in codes are mailed through SES
//! (the pool's EmailSendingAccount is DEVELOPER).
use toolkit::cost::{BucketUsage, FreeTier, Rate, Usage};

use crate::stacks::stage::Stage;

pub fn of(stage: toolkit::Stage) -> Usage {
    let stage: Stage = stage.name.parse().expect("a stage of STAGES");
    let users = match stage {
        Stage::Prod => 2_000.0,
        Stage::Dev => 25.0,
    };
    Usage::users(users)
        .free_tier(FreeTier::AlwaysFree)
        .api_requests(Rate::PerUser(300.0))
        .function("events", Rate::PerUser(120.0), 40.0)
        .function("batches", Rate::PerUser(100.0), 40.0)
        .function("reminders", Rate::PerUser(40.0), 40.0)
        .function("auth", Rate::PerUser(8.0), 60.0)
        .function("devices", Rate::PerUser(4.0), 40.0)
        .function("public", Rate::PerUser(25.0), 40.0)
        .function("export", Rate::PerUser(3.0), 300.0)
        // reminder-processor: from its schedule (rate(5 minutes) in the template).
        .table(
            "table",
            Rate::PerUser(800.0),
            Rate::PerUser(60.0),
            Rate::PerUser(0.002),
        )
        // Ten 1.5 MB photos a month, kept a year (the lifecycle rule): ~120 at any time.
        .bucket(
            BucketUsage::new("photos", Rate::PerUser(0.18))
                .objects(Rate::PerUser(120.0))
                .requests(Rate::PerUser(10.0), Rate::PerUser(60.0)),
        )
        // Four sign-ins a month by emailed code.
        .sign_in_emails(Rate::PerUser(4.0))
        .queue_requests(Rate::Monthly(100.0))
}
