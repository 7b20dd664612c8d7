//! The generated structs serialize to exactly the CloudFormation JSON a template needs.
use cfn::dynamodb::table::{
    AttributeDefinition, AttributeType, BillingMode, GlobalSecondaryIndex,
    GlobalSecondaryIndexKeySchema, KeySchema, KeyType, PointInTimeRecoverySpecification,
    Projection, ProjectionType, SSESpecification, StreamSpecification, StreamViewType, Table, Tag,
    TimeToLiveSpecification,
};
use cfn::{Expr, LogicalId, Pseudo, Resource, ResourceProperties, Val};
use serde_json::json;

fn table() -> Table {
    Table {
        table_name: Some(Expr::sub("${AWS::StackName}-batches").into()),
        billing_mode: Some(BillingMode::PayPerRequest.into()),
        attribute_definitions: Some(vec![
            AttributeDefinition::new("pk", AttributeType::S),
            AttributeDefinition::new("owner", AttributeType::S),
        ]),
        global_secondary_indexes: Some(vec![GlobalSecondaryIndex::new(
            "byOwner",
            vec![GlobalSecondaryIndexKeySchema::new("owner", "HASH")],
            Projection {
                projection_type: Some(ProjectionType::KeysOnly.into()),
                ..Projection::new()
            },
        )]),
        point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
            point_in_time_recovery_enabled: Some(true.into()),
            ..PointInTimeRecoverySpecification::default()
        }),
        sse_specification: Some(SSESpecification::new(true)),
        stream_specification: Some(StreamSpecification::new(StreamViewType::NewAndOldImages)),
        time_to_live_specification: Some(TimeToLiveSpecification {
            attribute_name: Some("expiresAt".into()),
            ..TimeToLiveSpecification::new(true)
        }),
        deletion_protection_enabled: Some(Val::Expr(Expr::Ref("Protect".into()))),
        tags: Some(vec![Tag::new("stage", Expr::pseudo(Pseudo::StackName))]),
        ..Table::new(vec![KeySchema::new("pk", KeyType::Hash)])
    }
}

#[test]
fn a_table_serializes_as_cloudformation_json() {
    assert_eq!(
        serde_json::to_value(table()).unwrap(),
        json!({
            "TableName": {"Fn::Sub": "${AWS::StackName}-batches"},
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "owner", "AttributeType": "S"}
            ],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [{
                "IndexName": "byOwner",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}
            }],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
            "SSESpecification": {"SSEEnabled": true},
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": true},
            "DeletionProtectionEnabled": {"Ref": "Protect"},
            "Tags": [{"Key": "stage", "Value": {"Ref": "AWS::StackName"}}]
        })
    );
}

#[test]
fn only_required_properties_by_default() {
    let minimal = Table::new(vec![KeySchema::new("pk", KeyType::Hash)]);
    assert_eq!(
        serde_json::to_value(&minimal).unwrap(),
        json!({"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    );
}

#[test]
fn a_table_is_a_typed_resource_with_getatt_and_safety_data() {
    let resource = Resource::typed(&table());
    assert_eq!(resource.to_json()["Type"], "AWS::DynamoDB::Table");
    assert_eq!(Table::TYPE, "AWS::DynamoDB::Table");

    let id = LogicalId::new("Batches").unwrap();
    assert_eq!(
        serde_json::to_value(Table::att_stream_arn(&id)).unwrap(),
        json!({"Fn::GetAtt": ["Batches", "StreamArn"]})
    );
    assert_eq!(
        serde_json::to_value(Table::att_arn(&id)).unwrap(),
        json!({"Fn::GetAtt": ["Batches", "Arn"]})
    );

    let info = Table::type_info().expect("generated types carry their registry entry");
    assert_eq!(info, &Table::INFO);
    assert_eq!(info.type_name, "AWS::DynamoDB::Table");
    assert!(info.holds_data);
    assert!(info.replaces_on_change("KeySchema"));
    assert!(info.attributes.contains(&"StreamArn"));
}
