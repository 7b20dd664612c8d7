//! `cfn::registry`: every type's safety data, schema plus reviewed patches.
use cfn::registry::{lookup, ALL};

#[test]
fn covers_every_type_sorted() {
    assert!(ALL.len() >= 1_000, "{} types", ALL.len());
    assert!(
        ALL.windows(2).all(|w| w[0].type_name < w[1].type_name),
        "sorted, no duplicates"
    );
    for info in ALL {
        assert_eq!(
            lookup(info.type_name).map(|i| i.type_name),
            Some(info.type_name)
        );
    }
    assert!(lookup("AWS::Nope::Nothing").is_none());
    assert!(
        lookup("Alexa::ASK::Skill").is_some(),
        "non-AWS types are in the registry too"
    );
}

#[test]
fn rds_instance_holds_data_and_its_identifier_replaces() {
    let info = lookup("AWS::RDS::DBInstance").unwrap();
    assert!(info.holds_data);
    assert!(info.replaces_on_change("DBInstanceIdentifier"));
    assert!(!info.replaces_on_change("AllocatedStorage"));
    assert_eq!(info.primary_identifier, ["DBInstanceIdentifier"]);
    assert!(info.attributes.contains(&"Endpoint.Address"));
}

#[test]
fn dynamodb_key_schema_replaces_the_table() {
    let info = lookup("AWS::DynamoDB::Table").unwrap();
    assert!(info.holds_data);
    // Patched: the schema only says "conditionally".
    assert!(info.replaces_on_change("KeySchema"));
    assert!(info.replaces_on_change("KeySchema/0/AttributeName"));
    assert!(info.replaces_on_change("LocalSecondaryIndexes"));
    assert!(info.replaces_on_change("TableName"));
    assert!(!info.replaces_on_change("BillingMode"));
    assert!(!info.conditional_create_only.contains(&"KeySchema"));
    assert!(info.permissions.create.contains(&"dynamodb:CreateTable"));
    assert!(info.permissions.delete.contains(&"dynamodb:DeleteTable"));
    assert!(info.taggable);
}

#[test]
fn cognito_user_pool_sign_in_options_replace_the_pool() {
    let info = lookup("AWS::Cognito::UserPool").unwrap();
    assert!(info.holds_data);
    assert!(info.replaces_on_change("UsernameAttributes"));
    assert!(info.replaces_on_change("AliasAttributes"));
    assert!(!info.replaces_on_change("UserPoolName"));
}

#[test]
fn log_groups_and_buckets() {
    let logs = lookup("AWS::Logs::LogGroup").unwrap();
    assert!(logs.holds_data);
    assert!(logs.replaces_on_change("LogGroupName"));
    assert!(!logs.replaces_on_change("RetentionInDays"));

    let bucket = lookup("AWS::S3::Bucket").unwrap();
    assert!(bucket.holds_data);
    assert!(bucket.replaces_on_change("BucketName"));
}

#[test]
fn stateless_types_hold_no_data() {
    for t in [
        "AWS::Lambda::Function",
        "AWS::IAM::Role",
        "AWS::ApiGatewayV2::Api",
        "AWS::SNS::Topic",
    ] {
        assert!(!lookup(t).unwrap().holds_data, "{t}");
    }
    let function = lookup("AWS::Lambda::Function").unwrap();
    assert!(function.replaces_on_change("FunctionName"));
    assert!(function
        .permissions
        .create
        .contains(&"lambda:CreateFunction"));
}
