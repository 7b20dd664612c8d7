//! Data: the single DynamoDB table and the photos bucket.
use super::published;
use super::stage::StageConfig;
use cfn_core::LogicalId;
use constructs::access_logs::AccessLogBucket;
use constructs::bucket::{browser_cors, AllowedMethods, Bucket, BucketRef};
use constructs::table::{Table, TableRef};
use constructs::Stack;

pub struct DataStack {
    pub stack: Stack,
    pub table: TableRef,
    pub photos: BucketRef,
}

/// How long S3 access logs of the photos bucket are kept.
const ACCESS_LOG_DAYS: u32 = 90;

/// Name of the overloaded secondary index of the single-table design.
pub const GSI1: &str = "GSI1";

pub fn stack(stage: &StageConfig) -> DataStack {
    let mut stack = Stack::new("Data", stage, "single DynamoDB table and photos bucket");
    let table = Table::new(&stack, "table", "PK")
        .sort_key("SK")
        .index(GSI1, "GSI1PK", Some("GSI1SK"))
        .time_to_live("ttl")
        .add_to(&mut stack);
    let photos = BucketRef::for_stage(&stack, "photos");
    // Presigned URLs bypass the functions: S3's access logs are the only record of
    // who read or wrote which photo.
    let mut access_logs =
        AccessLogBucket::new(&stack, "access-logs", ACCESS_LOG_DAYS, stage.retain_data);
    let photos_logs = access_logs.accept(&photos, "photos");
    access_logs.add_to(&mut stack);
    Bucket::new(&stack, "photos")
        .versioned(stage.bucket_versioning)
        .exempt_if(
            !stage.bucket_versioning,
            "CKV_AWS_21",
            "versioned where data is kept (prod); this stage's objects are test data, \
             deleted with the stack",
        )
        .retain(stage.retain_data)
        .cors(browser_cors(
            &[
                AllowedMethods::Get,
                AllowedMethods::Put,
                AllowedMethods::Head,
            ],
            stage.cors_origins,
        ))
        .expire_after_days("expire-after-one-year", None, 365)
        .access_logs(photos_logs)
        .add_to(&mut stack);
    stack.publish(
        LogicalId::new("TableNameParameter").unwrap(),
        published::TABLE_NAME,
        table.name.as_str().into(),
        "Name of the BubbleBatch table",
    );
    stack.publish(
        LogicalId::new("BucketNameParameter").unwrap(),
        published::BUCKET_NAME,
        photos.name(),
        "Name of the photos bucket",
    );
    DataStack {
        stack,
        table,
        photos,
    }
}
