//! A Rust Lambda function (provided.al2023, arm64) with its own log group and role.
use std::collections::BTreeMap;

use super::grant::Grantable;
use super::regional_arn;
use super::role::Role;
use super::stack::Stack;
use cfn_core::iam::{actions, Statement};
use cfn_core::resources::{lambda, logs};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Function {
    pub id: LogicalId,
    /// The app binary built by cargo-lambda.
    pub binary: String,
    /// Physical function name, known at synth time so other stacks can refer to it.
    pub name: String,
    description: String,
    memory_mb: u32,
    timeout_seconds: u32,
    reserved_concurrency: Option<u32>,
    environment: BTreeMap<String, Expr>,
    role: Role,
    vpc: Option<lambda::VpcConfig>,
}

/// A deployed function, from this stack or (by name) from another.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionRef {
    pub name: String,
    /// Logical ID when the function is in the same stack.
    pub id: Option<LogicalId>,
}

impl FunctionRef {
    pub fn from_name(name: &str) -> FunctionRef {
        FunctionRef {
            name: name.to_string(),
            id: None,
        }
    }

    pub fn arn(&self) -> Expr {
        match &self.id {
            Some(id) => Expr::get_att(id, "Arn"),
            None => regional_arn("lambda", &format!("function:{}", self.name)),
        }
    }
}

impl Function {
    /// `binary` names the app binary; the physical name is `<app>-<stage>-<binary>`.
    pub fn new(stack: &Stack, binary: &str, description: &str) -> Function {
        let id = LogicalId::from_path(&[binary, "function"]);
        Function {
            role: Role::for_service(
                id.child("Role"),
                "lambda.amazonaws.com",
                &format!("Execution role of {binary}"),
            ),
            id,
            binary: binary.to_string(),
            name: stack.stage.physical_name(binary),
            description: description.to_string(),
            memory_mb: 256,
            timeout_seconds: 10,
            reserved_concurrency: None,
            environment: BTreeMap::new(),
            vpc: None,
        }
    }

    pub fn env(mut self, key: &str, value: impl Into<Expr>) -> Function {
        self.environment.insert(key.to_string(), value.into());
        self
    }

    pub fn memory(mut self, megabytes: u32) -> Function {
        self.memory_mb = megabytes;
        self
    }

    pub fn timeout(mut self, seconds: u32) -> Function {
        self.timeout_seconds = seconds;
        self
    }

    pub fn reserved_concurrency(mut self, executions: u32) -> Function {
        self.reserved_concurrency = Some(executions);
        self
    }

    /// Places the function in private subnets behind the given security groups. The
    /// role still needs the network-interface permissions: see `constructs::vpc`.
    pub fn in_vpc(mut self, placement: lambda::VpcConfig) -> Function {
        self.vpc = Some(placement);
        self
    }

    /// The execution role's logical ID (for a reasoned policy suppression on it).
    pub fn role_id(&self) -> &LogicalId {
        &self.role.id
    }

    pub fn log_group_name(&self) -> String {
        format!("/aws/lambda/{}", self.name)
    }

    /// Renders the log group, role and function into `stack`.
    pub fn add_to(mut self, stack: &mut Stack) -> FunctionRef {
        let log_group_id = self.id.child("LogGroup");
        let log_group_name = self.log_group_name();
        stack.add(
            log_group_id.clone(),
            &logs::LogGroup {
                log_group_name: Expr::from(&log_group_name),
                retention_in_days: stack.stage.log_retention_days,
            },
        );
        self.role.grant(Statement::allow(
            &[
                actions::logs::CREATE_LOG_STREAM,
                actions::logs::PUT_LOG_EVENTS,
            ],
            vec![regional_arn(
                "logs",
                &format!("log-group:{log_group_name}:*"),
            )],
        ));
        let role_id = self.role.clone().render(stack);
        let (bucket, key) = stack.lambda_code(&self.id, &self.binary, &self.name);
        let mut environment = self.environment.clone();
        environment.insert("STAGE".into(), Expr::from(stack.stage.stage));
        stack.add(
            self.id.clone(),
            &lambda::Function {
                function_name: Some(Expr::from(&self.name)),
                description: Some(self.description.clone()),
                runtime: "provided.al2023".into(),
                handler: "bootstrap".into(),
                architectures: vec!["arm64".into()],
                code: lambda::Code {
                    s3_bucket: bucket,
                    s3_key: key,
                },
                role: Expr::get_att(&role_id, "Arn"),
                memory_size: self.memory_mb,
                timeout: self.timeout_seconds,
                reserved_concurrent_executions: self.reserved_concurrency,
                environment: Some(lambda::Environment {
                    variables: environment,
                }),
                logging_config: Some(lambda::LoggingConfig {
                    log_group: Expr::reference(&log_group_id),
                    log_format: Some("JSON".into()),
                }),
                vpc_config: self.vpc.clone(),
            },
        );
        FunctionRef {
            name: self.name,
            id: Some(self.id),
        }
    }
}

impl Grantable for Function {
    fn grant(&mut self, statement: Statement) {
        self.role.grant(statement);
    }
}
