//! A DynamoDB table for single-table designs: on-demand, encrypted, string keys.
use super::grant::Grantable;
use super::regional_arn;
use super::stack::Stack;
use cfn::dynamodb::table::{
    self as ddb, AttributeDefinition, AttributeType, BillingMode, GlobalSecondaryIndex,
    GlobalSecondaryIndexKeySchema, KeySchema, KeyType, PointInTimeRecoverySpecification,
    ProjectionType, SSESpecification, TimeToLiveSpecification,
};
use cfn_core::iam::{actions, Action, DynamoDb, Statement};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Table {
    pub id: LogicalId,
    pub name: String,
    partition_key: String,
    sort_key: Option<String>,
    indexes: Vec<Index>,
    ttl_attribute: Option<String>,
    point_in_time_recovery: bool,
    retain: bool,
}

/// Which attributes a global secondary index copies from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexProjection {
    /// Every attribute (`ALL`).
    All,
    /// Only the table's and the index's keys (`KEYS_ONLY`).
    KeysOnly,
    /// The keys plus these attributes (`INCLUDE` with its `NonKeyAttributes`).
    Include(Vec<String>),
}

#[derive(Debug, Clone)]
struct Index {
    name: String,
    partition_key: String,
    sort_key: Option<String>,
    projection: IndexProjection,
}

/// A table by name: usable from any stack of the stage.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRef {
    pub name: String,
}

impl Table {
    pub fn new(stack: &Stack, id: &str, partition_key: &str) -> Table {
        Table {
            id: LogicalId::from_path(&[id]),
            name: stack.stage.physical_name(id),
            partition_key: partition_key.to_string(),
            sort_key: None,
            indexes: Vec::new(),
            ttl_attribute: None,
            point_in_time_recovery: stack.stage.point_in_time_recovery,
            retain: stack.stage.retain_data,
        }
    }

    pub fn sort_key(mut self, attribute: &str) -> Table {
        self.sort_key = Some(attribute.to_string());
        self
    }

    /// A global secondary index projecting all attributes.
    pub fn index(self, name: &str, partition_key: &str, sort_key: Option<&str>) -> Table {
        self.index_projecting(name, partition_key, sort_key, IndexProjection::All)
    }

    /// A global secondary index projecting `projection`.
    pub fn index_projecting(
        mut self,
        name: &str,
        partition_key: &str,
        sort_key: Option<&str>,
        projection: IndexProjection,
    ) -> Table {
        self.indexes.push(Index {
            name: name.to_string(),
            partition_key: partition_key.to_string(),
            sort_key: sort_key.map(str::to_string),
            projection,
        });
        self
    }

    pub fn time_to_live(mut self, attribute: &str) -> Table {
        self.ttl_attribute = Some(attribute.to_string());
        self
    }

    pub fn add_to(self, stack: &mut Stack) -> TableRef {
        let mut attributes: Vec<&str> = vec![&self.partition_key];
        attributes.extend(self.sort_key.as_deref());
        for index in &self.indexes {
            attributes.push(&index.partition_key);
            attributes.extend(index.sort_key.as_deref());
        }
        attributes.sort();
        attributes.dedup();
        let attribute_definitions = attributes
            .into_iter()
            .map(|name| AttributeDefinition::new(name, AttributeType::S))
            .collect();
        let mut key_schema = vec![KeySchema::new(self.partition_key.as_str(), KeyType::Hash)];
        key_schema.extend(
            self.sort_key
                .as_deref()
                .map(|sk| KeySchema::new(sk, KeyType::Range)),
        );
        let indexes = (!self.indexes.is_empty())
            .then(|| self.indexes.iter().map(global_secondary_index).collect());
        let resource = stack.add(
            self.id.clone(),
            &ddb::Table {
                table_name: Some(self.name.as_str().into()),
                billing_mode: Some(BillingMode::PayPerRequest.into()),
                attribute_definitions: Some(attribute_definitions),
                global_secondary_indexes: indexes,
                point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                    point_in_time_recovery_enabled: Some(self.point_in_time_recovery.into()),
                    ..PointInTimeRecoverySpecification::new()
                }),
                sse_specification: Some(SSESpecification::new(true)),
                time_to_live_specification: self.ttl_attribute.as_deref().map(|attribute| {
                    TimeToLiveSpecification {
                        attribute_name: Some(attribute.into()),
                        ..TimeToLiveSpecification::new(true)
                    }
                }),
                deletion_protection_enabled: Some(self.retain.into()),
                ..ddb::Table::new(key_schema)
            },
        );
        resource.retain(self.retain);
        stack.suppress(
            &self.id,
            "CKV_AWS_119",
            "Encrypted at rest with the DynamoDB AWS-owned key; a customer-managed key would add cost and a key policy without a requirement for one",
        );
        if !self.point_in_time_recovery {
            stack.suppress(
                &self.id,
                "CKV_AWS_28",
                "The stage turns point-in-time recovery off (dev: disposable data); prod has it",
            );
        }
        TableRef { name: self.name }
    }
}

fn global_secondary_index(index: &Index) -> GlobalSecondaryIndex {
    let mut keys = vec![gsi_key(&index.partition_key, KeyType::Hash)];
    keys.extend(
        index
            .sort_key
            .as_deref()
            .map(|sk| gsi_key(sk, KeyType::Range)),
    );
    let projection = match &index.projection {
        IndexProjection::All => ddb::Projection {
            projection_type: Some(ProjectionType::All.into()),
            ..ddb::Projection::new()
        },
        IndexProjection::KeysOnly => ddb::Projection {
            projection_type: Some(ProjectionType::KeysOnly.into()),
            ..ddb::Projection::new()
        },
        IndexProjection::Include(attributes) => ddb::Projection {
            projection_type: Some(ProjectionType::Include.into()),
            non_key_attributes: Some(attributes.iter().map(Into::into).collect()),
        },
    };
    GlobalSecondaryIndex::new(index.name.as_str(), keys, projection)
}

/// cfn-lint inlined the index key schema's items, so the generated type has `KeyType`
/// as a plain string there; the construct still picks it from the enum.
fn gsi_key(attribute: &str, key_type: KeyType) -> GlobalSecondaryIndexKeySchema {
    let key_type = match key_type {
        KeyType::Hash => "HASH",
        KeyType::Range => "RANGE",
    };
    GlobalSecondaryIndexKeySchema::new(attribute, key_type)
}

impl TableRef {
    pub fn from_name(name: &str) -> TableRef {
        TableRef {
            name: name.to_string(),
        }
    }

    pub fn arn(&self) -> Expr {
        regional_arn("dynamodb", &format!("table/{}", self.name))
    }

    pub fn index_arn(&self, index: &str) -> Expr {
        regional_arn("dynamodb", &format!("table/{}/index/{index}", self.name))
    }

    /// Grants item-level actions on the table itself (not its indexes).
    pub fn grant(&self, grantee: &mut impl Grantable, table_actions: &[Action<DynamoDb>]) {
        grantee.grant(Statement::allow(table_actions, vec![self.arn()]));
    }

    /// Grants query (or scan) on one index.
    pub fn grant_index(
        &self,
        grantee: &mut impl Grantable,
        index: &str,
        index_actions: &[Action<DynamoDb>],
    ) {
        grantee.grant(Statement::allow(index_actions, vec![self.index_arn(index)]));
    }

    pub fn grant_read_data(&self, grantee: &mut impl Grantable) {
        use actions::dynamodb::*;
        self.grant(
            grantee,
            &[GET_ITEM, BATCH_GET_ITEM, QUERY, CONDITION_CHECK_ITEM],
        );
    }

    /// Writing and deleting items (and the condition checks of transactional writes).
    pub fn grant_write_data(&self, grantee: &mut impl Grantable) {
        use actions::dynamodb::*;
        self.grant(
            grantee,
            &[
                PUT_ITEM,
                UPDATE_ITEM,
                DELETE_ITEM,
                BATCH_WRITE_ITEM,
                CONDITION_CHECK_ITEM,
            ],
        );
    }

    pub fn grant_read_write_data(&self, grantee: &mut impl Grantable) {
        self.grant_read_data(grantee);
        self.grant_write_data(grantee);
    }
}
