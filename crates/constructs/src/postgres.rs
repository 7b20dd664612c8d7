//! RDS PostgreSQL in private subnets: encrypted, never public, TLS enforced by the
//! parameter group, and the master credentials generated and rotated by RDS in Secrets
//! Manager (`ManageMasterUserPassword`), so no password appears in any template.
use super::grant::Grantable;
use super::stack::Stack;
use super::vpc::VpcRef;
use cfn::ec2::SecurityGroup;
use cfn::rds::{DBInstance, DBParameterGroup, DBSubnetGroup};
use cfn_core::iam::{actions, Statement};
use cfn_core::{DeletionPolicy, Expr, Json, LogicalId};
use serde_json::json;

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
        let subnet_ids = vpc
            .subnet_ids()
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>();
        stack.add(
            subnets.clone(),
            &DBSubnetGroup::new(format!("{}: private subnets", self.name), subnet_ids),
        );
        let parameters = self.id.child("Parameters");
        stack.add(
            parameters.clone(),
            &DBParameterGroup {
                parameters: Some(Json(json!({ "rds.force_ssl": "1" }))),
                ..DBParameterGroup::new(
                    format!("{}: TLS required", self.name),
                    format!("postgres{MAJOR_VERSION}"),
                )
            },
        );
        let instance = stack.add(
            self.id.clone(),
            &DBInstance {
                db_instance_identifier: Some(self.name.as_str().into()),
                db_instance_class: Some(self.instance_class.as_str().into()),
                engine: Some("postgres".into()),
                engine_version: Some(ENGINE_VERSION.into()),
                db_name: Some(self.database.as_str().into()),
                allocated_storage: Some(self.storage_gb.to_string().into()),
                max_allocated_storage: Some((self.storage_gb * 5).into()),
                storage_type: Some("gp3".into()),
                storage_encrypted: Some(true.into()),
                master_username: Some("app_admin".into()),
                manage_master_user_password: Some(true.into()),
                db_subnet_group_name: Some(Expr::reference(&subnets).into()),
                db_parameter_group_name: Some(Expr::reference(&parameters).into()),
                vpc_security_groups: Some(vec![SecurityGroup::att_group_id(group).into()]),
                publicly_accessible: Some(false.into()),
                // Lets a role connect with an IAM token; the managed password still works.
                enable_iam_database_authentication: Some(true.into()),
                multi_az: Some(false.into()),
                backup_retention_period: Some(7.into()),
                deletion_protection: Some(self.protect.into()),
                copy_tags_to_snapshot: Some(true.into()),
                auto_minor_version_upgrade: Some(true.into()),
                ..DBInstance::new()
            },
        );
        // A replaced or deleted database leaves a final snapshot behind.
        instance.deletion_policy = Some(DeletionPolicy::Snapshot);
        instance.update_replace_policy = Some(DeletionPolicy::Snapshot);
        stack.suppress(
            &self.id,
            "CKV_AWS_157",
            "single-AZ: Multi-AZ doubles the instance cost; seven days of automated backups \
             and a final snapshot on delete or replacement bound what an AZ outage loses",
        );
        stack.suppress(
            &self.id,
            "CKV_AWS_118",
            "the standard RDS metrics in CloudWatch (CPU, connections, storage) are what the \
             alarms watch; enhanced monitoring adds a monitoring role and a per-instance cost",
        );
        PostgresRef {
            host: DBInstance::att_endpoint_address(&self.id),
            port: DBInstance::att_endpoint_port(&self.id),
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
