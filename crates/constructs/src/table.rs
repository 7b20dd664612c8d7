//! A DynamoDB table for single-table designs: on-demand, encrypted, string keys.
use super::grant::Grantable;
use super::regional_arn;
use super::stack::Stack;
use cfn_core::iam::{actions, Action, Statement};
use cfn_core::resources::dynamodb as ddb;
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Table {
    pub id: LogicalId,
    pub name: String,
    partition_key: String,
    sort_key: Option<String>,
    indexes: Vec<(String, String, Option<String>)>,
    ttl_attribute: Option<String>,
    point_in_time_recovery: bool,
    retain: bool,
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
    pub fn index(mut self, name: &str, partition_key: &str, sort_key: Option<&str>) -> Table {
        self.indexes.push((
            name.to_string(),
            partition_key.to_string(),
            sort_key.map(str::to_string),
        ));
        self
    }

    pub fn time_to_live(mut self, attribute: &str) -> Table {
        self.ttl_attribute = Some(attribute.to_string());
        self
    }

    pub fn add_to(self, stack: &mut Stack) -> TableRef {
        let mut attributes: Vec<String> = vec![self.partition_key.clone()];
        attributes.extend(self.sort_key.clone());
        for (_, pk, sk) in &self.indexes {
            attributes.push(pk.clone());
            attributes.extend(sk.clone());
        }
        attributes.sort();
        attributes.dedup();
        let key_schema = |pk: &str, sk: Option<&String>| {
            let mut keys = vec![ddb::KeySchema {
                attribute_name: pk.to_string(),
                key_type: "HASH".into(),
            }];
            keys.extend(sk.map(|sk| ddb::KeySchema {
                attribute_name: sk.clone(),
                key_type: "RANGE".into(),
            }));
            keys
        };
        let indexes = (!self.indexes.is_empty()).then(|| {
            self.indexes
                .iter()
                .map(|(name, pk, sk)| ddb::GlobalSecondaryIndex {
                    index_name: name.clone(),
                    key_schema: key_schema(pk, sk.as_ref()),
                    projection: ddb::Projection {
                        projection_type: "ALL".into(),
                        non_key_attributes: None,
                    },
                })
                .collect()
        });
        let resource = stack.add(
            self.id.clone(),
            &ddb::Table {
                table_name: Some(Expr::from(&self.name)),
                billing_mode: Some("PAY_PER_REQUEST".into()),
                attribute_definitions: attributes
                    .into_iter()
                    .map(|name| ddb::AttributeDefinition {
                        attribute_name: name,
                        attribute_type: "S".into(),
                    })
                    .collect(),
                key_schema: key_schema(&self.partition_key, self.sort_key.as_ref()),
                global_secondary_indexes: indexes,
                point_in_time_recovery_specification: Some(ddb::PointInTimeRecoverySpecification {
                    point_in_time_recovery_enabled: self.point_in_time_recovery,
                }),
                sse_specification: Some(ddb::SseSpecification { sse_enabled: true }),
                time_to_live_specification: self.ttl_attribute.map(|attribute| {
                    ddb::TimeToLiveSpecification {
                        attribute_name: attribute,
                        enabled: true,
                    }
                }),
                deletion_protection_enabled: Some(self.retain),
                stream_specification: None,
            },
        );
        resource.retain(self.retain);
        TableRef { name: self.name }
    }
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
    pub fn grant(&self, grantee: &mut impl Grantable, table_actions: &[Action]) {
        assert_dynamodb(table_actions);
        grantee.grant(Statement::allow(table_actions, vec![self.arn()]));
    }

    /// Grants query (or scan) on one index.
    pub fn grant_index(&self, grantee: &mut impl Grantable, index: &str, index_actions: &[Action]) {
        assert_dynamodb(index_actions);
        grantee.grant(Statement::allow(index_actions, vec![self.index_arn(index)]));
    }

    pub fn grant_read_data(&self, grantee: &mut impl Grantable) {
        use actions::dynamodb::*;
        self.grant(
            grantee,
            &[GET_ITEM, BATCH_GET_ITEM, QUERY, CONDITION_CHECK_ITEM],
        );
    }

    pub fn grant_read_write_data(&self, grantee: &mut impl Grantable) {
        use actions::dynamodb::*;
        self.grant(
            grantee,
            &[
                GET_ITEM,
                BATCH_GET_ITEM,
                QUERY,
                CONDITION_CHECK_ITEM,
                PUT_ITEM,
                UPDATE_ITEM,
                DELETE_ITEM,
                BATCH_WRITE_ITEM,
            ],
        );
    }
}

fn assert_dynamodb(granted: &[Action]) {
    for action in granted {
        assert_eq!(
            action.service(),
            "dynamodb",
            "a table can only grant dynamodb actions, not {}",
            action.as_str()
        );
    }
}
