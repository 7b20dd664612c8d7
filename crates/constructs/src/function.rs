//! A Rust Lambda function (provided.al2023, arm64) with its own log group and role.
use std::collections::BTreeMap;

use super::grant::Grantable;
use super::regional_arn;
use super::role::Role;
use super::stack::Stack;
use cfn::lambda::event_invoke_config::EventInvokeConfig;
use cfn::lambda::function::{self as lambda, Architectures, LogFormat, Runtime};
use cfn::logs::log_group::LogGroup;
use cfn_core::iam::{actions, Statement};
use cfn_core::{Expr, Json, LogicalId};

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
    asynchronous: Option<AsyncInvocation>,
    environment: BTreeMap<String, Expr>,
    role: Role,
    vpc: Option<lambda::VpcConfig>,
}

/// How Lambda handles an asynchronous invocation (a schedule's run) that fails: retried
/// at most `retries` times, given up after `maximum_age_seconds` (the
/// `AsyncEventsDropped` metric counts what is given up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsyncInvocation {
    pub retries: u32,
    pub maximum_age_seconds: u32,
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
            Some(id) => lambda::Function::att_arn(id),
            None => regional_arn("lambda", &format!("function:{}", self.name)),
        }
    }

    /// The ARN as it is written inside a `Fn::Sub` string (`${Id.Arn}` for a function of
    /// this stack), for ARNs that embed the function's (API Gateway integration URIs).
    pub fn arn_in_sub(&self) -> String {
        match &self.id {
            Some(id) => format!("${{{id}.Arn}}"),
            None => format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{}",
                self.name
            ),
        }
    }
}

/// A function just rendered into a stack, with what only that stack knows: the
/// template parameter holding its code's S3 key (release aliases version on it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RenderedFunction {
    pub reference: FunctionRef,
    pub id: LogicalId,
    pub code_key_parameter: String,
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
            asynchronous: None,
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

    /// Bounds the retries of asynchronous invocations (Lambda's default: 2 retries over up
    /// to 6 hours) with an `AWS::Lambda::EventInvokeConfig`.
    pub fn asynchronous(mut self, invocation: AsyncInvocation) -> Function {
        self.asynchronous = Some(invocation);
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
    pub fn add_to(self, stack: &mut Stack) -> FunctionRef {
        self.render(stack).reference
    }

    pub(crate) fn render(mut self, stack: &mut Stack) -> RenderedFunction {
        let in_vpc = self.vpc.is_some();
        let reserved = self.reserved_concurrency.is_some();
        let log_group_id = self.id.child("LogGroup");
        let log_group_name = self.log_group_name();
        let retain = stack.stage.retain_data;
        stack
            .add(
                log_group_id.clone(),
                &LogGroup {
                    log_group_name: Some(log_group_name.as_str().into()),
                    retention_in_days: Some(stack.stage.log_retention_days.into()),
                    ..LogGroup::new()
                },
            )
            // Where data is kept, so are the logs of what happened to it.
            .retain(retain);
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
        let code_key_parameter = stack
            .lambda_code
            .last()
            .expect("lambda_code just recorded this function")
            .key_parameter
            .clone();
        let mut variables: BTreeMap<String, Json> = self
            .environment
            .into_iter()
            .map(|(key, value)| (key, Json::from(value)))
            .collect();
        variables.insert("STAGE".into(), Json::from(Expr::from(stack.stage.stage)));
        let code = lambda::Code {
            s3_bucket: Some(bucket.into()),
            s3_key: Some(key.into()),
            ..lambda::Code::new()
        };
        stack.add(
            self.id.clone(),
            &lambda::Function {
                function_name: Some(self.name.as_str().into()),
                description: Some(self.description.into()),
                runtime: Some(Runtime::ProvidedAl2023.into()),
                handler: Some("bootstrap".into()),
                architectures: Some(vec![Architectures::Arm64.into()]),
                memory_size: Some(self.memory_mb.into()),
                timeout: Some(self.timeout_seconds.into()),
                reserved_concurrent_executions: self.reserved_concurrency.map(Into::into),
                environment: Some(lambda::Environment {
                    variables: Some(variables),
                }),
                logging_config: Some(lambda::LoggingConfig {
                    log_group: Some(Expr::reference(&log_group_id).into()),
                    log_format: Some(LogFormat::Json.into()),
                    ..lambda::LoggingConfig::new()
                }),
                vpc_config: self.vpc,
                ..lambda::Function::new(code, Expr::get_att(&role_id, "Arn"))
            },
        );
        suppress_checks_not_followed(stack, &self.id, &log_group_id, in_vpc, reserved);
        if let Some(invocation) = self.asynchronous {
            stack.add(
                self.id.child("EventInvokeConfig"),
                &EventInvokeConfig {
                    maximum_retry_attempts: Some(i64::from(invocation.retries).into()),
                    maximum_event_age_in_seconds: Some(
                        i64::from(invocation.maximum_age_seconds).into(),
                    ),
                    ..EventInvokeConfig::new(Expr::reference(&self.id), "$LATEST")
                },
            );
        }
        RenderedFunction {
            reference: FunctionRef {
                name: self.name,
                id: Some(self.id.clone()),
            },
            id: self.id,
            code_key_parameter,
        }
    }
}

/// Checkov checks on functions and their log groups this construct deliberately does not
/// follow, each with the reason written next to the resource.
pub(crate) const LOG_GROUP_CMK: (&str, &str) = (
    "CKV_AWS_158",
    "Encrypted by CloudWatch Logs with its AWS-owned key; logs hold no secrets, and a customer-managed key would add cost and a key policy to every stage",
);

fn suppress_checks_not_followed(
    stack: &mut Stack,
    function: &LogicalId,
    log_group: &LogicalId,
    in_vpc: bool,
    reserved: bool,
) {
    let mut skip = vec![
        (
            "CKV_AWS_173",
            "Environment holds names and URLs only (no secrets), encrypted at rest with the AWS-managed Lambda key",
        ),
        (
            "CKV_AWS_116",
            "No dead-letter queue: invoked synchronously (API) or, when asynchronous, bounded by its event-invoke config with an alarm on dropped runs",
        ),
    ];
    if !in_vpc {
        skip.push((
            "CKV_AWS_117",
            "Outside a VPC by design (seed 000: avoid VPC); it reaches only AWS APIs over TLS with IAM",
        ));
    }
    if !reserved {
        skip.push((
            "CKV_AWS_115",
            "Reserved concurrency only where a throttle sizes it (functions behind throttled open routes); elsewhere it would cap the function below the shared account pool without a measured need",
        ));
    }
    for (check, reason) in skip {
        stack.suppress(function, check, reason);
    }
    stack.suppress(log_group, LOG_GROUP_CMK.0, LOG_GROUP_CMK.1);
}

impl Grantable for Function {
    fn grant(&mut self, statement: Statement) {
        self.role.grant(statement);
    }
}
