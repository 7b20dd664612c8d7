//! RDS PostgreSQL in private subnets: encrypted, never public, TLS enforced by the
//! parameter group, and the master credentials generated and rotated by RDS in Secrets
//! Manager (`ManageMasterUserPassword`), so no password appears in any template.
use super::grant::Grantable;
use super::stack::Stack;
use super::vpc::VpcRef;
use cfn_core::iam::{actions, Statement};
use cfn_core::resources::rds;
use cfn_core::{DeletionPolicy, Expr, LogicalId};
use std::collections::BTreeMap;

pub const PORT: u32 = 5432;
/// The parameter-group family follows the major version. The minor is pinned because
/// RDS (and cfn-lint) treat a bare major as not creatable; minor upgrades then apply
/// automatically in the maintenance window.
const MAJOR_VERSION: &str = "17";
const ENGINE_VERSION: &str = "17.6";

#[derive(Debug, Clone)]
pub struct Postgres {
    pub id: LogicalId,
    name: String,
    database: String,
    instance_class: String,
    storage_gb: u32,
    protect: bool,
}

/// What a client needs: where to connect and which secret holds the credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct PostgresRef {
    pub host: Expr,
    pub port: Expr,
    pub database: String,
    pub secret_arn: Expr,
}

impl Postgres {
    pub fn new(stack: &Stack, id: &str, database: &str) -> Postgres {
        Postgres {
            id: LogicalId::from_path(&[id, "database"]),
            name: stack.stage.physical_name(id),
            database: database.to_string(),
            // Smallest Graviton class: an MVP's load, burstable.
            instance_class: "db.t4g.micro".into(),
            storage_gb: 20,
            protect: stack.stage.retain_data,
        }
    }

    pub fn instance_class(mut self, class: &str) -> Postgres {
        self.instance_class = class.to_string();
        self
    }

    /// Renders subnet group, parameter group and instance behind `group`.
    pub fn add_to(self, stack: &mut Stack, vpc: &VpcRef, group: &LogicalId) -> PostgresRef {
        let subnets = self.id.child("SubnetGroup");
        stack.add(
            subnets.clone(),
            &rds::DbSubnetGroup {
                db_subnet_group_name: None,
                db_subnet_group_description: format!("{}: private subnets", self.name),
                subnet_ids: vpc.subnet_ids.clone(),
            },
        );
        let parameters = self.id.child("Parameters");
        stack.add(
            parameters.clone(),
            &rds::DbParameterGroup {
                description: format!("{}: TLS required", self.name),
                family: format!("postgres{MAJOR_VERSION}"),
                parameters: BTreeMap::from([("rds.force_ssl".to_string(), "1".to_string())]),
            },
        );
        let instance = stack.add(
            self.id.clone(),
            &rds::DbInstance {
                db_instance_identifier: Some(Expr::from(&self.name)),
                db_instance_class: self.instance_class.clone(),
                engine: "postgres".into(),
                engine_version: ENGINE_VERSION.into(),
                db_name: Some(self.database.clone()),
                allocated_storage: self.storage_gb.to_string(),
                max_allocated_storage: Some(self.storage_gb * 5),
                storage_type: "gp3".into(),
                storage_encrypted: true,
                master_username: "app_admin".into(),
                manage_master_user_password: true,
                db_subnet_group_name: Expr::reference(&subnets),
                db_parameter_group_name: Some(Expr::reference(&parameters)),
                vpc_security_groups: vec![Expr::get_att(group, "GroupId")],
                publicly_accessible: false,
                multi_az: false,
                backup_retention_period: 7,
                deletion_protection: self.protect,
                copy_tags_to_snapshot: true,
                auto_minor_version_upgrade: true,
                enable_iam_database_authentication: None,
            },
        );
        // A replaced or deleted database leaves a final snapshot behind.
        instance.deletion_policy = Some(DeletionPolicy::Snapshot);
        instance.update_replace_policy = Some(DeletionPolicy::Snapshot);
        PostgresRef {
            host: Expr::get_att(&self.id, "Endpoint.Address"),
            port: Expr::get_att(&self.id, "Endpoint.Port"),
            database: self.database,
            // As a Sub, so the permission report names the attribute, not just the DB.
            secret_arn: Expr::sub(format!("${{{}.MasterUserSecret.SecretArn}}", self.id)),
        }
    }
}

impl PostgresRef {
    /// Lets `grantee` read the credentials secret (and nothing else in Secrets Manager).
    pub fn grant_credentials(&self, grantee: &mut impl Grantable) {
        grantee.grant(Statement::allow(
            &[actions::secretsmanager::GET_SECRET_VALUE],
            vec![self.secret_arn.clone()],
        ));
    }
}
