//! Creates the table and bucket on a local emulator, shaped like the Data stack declares
//! them (PK/SK, GSI1 with ALL projection, on-demand). Used by tests;
//! deployed functions never call it (and their IAM roles could not).
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};

use crate::config::Clients;

fn key(name: &str, t: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(t)
        .build()
        .expect("complete")
}

fn attr(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .expect("complete")
}

pub async fn ensure_table(c: &Clients, table: &str) -> Result<(), String> {
    if c.ddb
        .describe_table()
        .table_name(table)
        .send()
        .await
        .is_ok()
    {
        return Ok(());
    }
    let gsi = GlobalSecondaryIndex::builder()
        .index_name(contract::GSI1)
        .key_schema(key("GSI1PK", KeyType::Hash))
        .key_schema(key("GSI1SK", KeyType::Range))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .expect("complete");
    c.ddb
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("PK", KeyType::Hash))
        .key_schema(key("SK", KeyType::Range))
        .attribute_definitions(attr("PK"))
        .attribute_definitions(attr("SK"))
        .attribute_definitions(attr("GSI1PK"))
        .attribute_definitions(attr("GSI1SK"))
        .global_secondary_indexes(gsi)
        .send()
        .await
        .map_err(|e| format!("create table {table}: {}", DisplayErrorContext(e)))?;
    Ok(())
}

pub async fn ensure_bucket(c: &Clients, bucket: &str) -> Result<(), String> {
    if c.s3.head_bucket().bucket(bucket).send().await.is_ok() {
        return Ok(());
    }
    c.s3.create_bucket()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| format!("create bucket {bucket}: {}", DisplayErrorContext(e)))?;
    Ok(())
}
