//! RDS: a database instance, its subnet group and parameter group.
use serde::Serialize;
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbInstance {
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: Option<Expr>,
    #[serde(rename = "DBInstanceClass")]
    pub db_instance_class: String,
    pub engine: String,
    pub engine_version: String,
    #[serde(rename = "DBName")]
    pub db_name: Option<String>,
    pub allocated_storage: String,
    pub max_allocated_storage: Option<u32>,
    pub storage_type: String,
    pub storage_encrypted: bool,
    pub master_username: String,
    pub manage_master_user_password: bool,
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: Expr,
    #[serde(rename = "DBParameterGroupName")]
    pub db_parameter_group_name: Option<Expr>,
    #[serde(rename = "VPCSecurityGroups")]
    pub vpc_security_groups: Vec<Expr>,
    pub publicly_accessible: bool,
    #[serde(rename = "MultiAZ")]
    pub multi_az: bool,
    pub backup_retention_period: u32,
    pub deletion_protection: bool,
    pub copy_tags_to_snapshot: bool,
    pub auto_minor_version_upgrade: bool,
    #[serde(rename = "EnableIAMDatabaseAuthentication")]
    pub enable_iam_database_authentication: Option<bool>,
}

impl ResourceProperties for DbInstance {
    const TYPE: &'static str = "AWS::RDS::DBInstance";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DbSubnetGroup {
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: Option<Expr>,
    #[serde(rename = "DBSubnetGroupDescription")]
    pub db_subnet_group_description: String,
    #[serde(rename = "SubnetIds")]
    pub subnet_ids: Vec<Expr>,
}

impl ResourceProperties for DbSubnetGroup {
    const TYPE: &'static str = "AWS::RDS::DBSubnetGroup";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbParameterGroup {
    pub description: String,
    pub family: String,
    pub parameters: BTreeMap<String, String>,
}

impl ResourceProperties for DbParameterGroup {
    const TYPE: &'static str = "AWS::RDS::DBParameterGroup";
}
