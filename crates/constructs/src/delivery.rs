//! The delivery stack of a stage: what a CI pipeline (GitHub Actions through OIDC) may do
//! to deploy and plan that stage, derived from the stage's own stacks.
//!
//! Three roles, as AWS CDK's bootstrap splits them, so the identity a workflow gets can
//! never call a service directly:
//! - `CloudFormationExecutionRole`: assumed by CloudFormation only; holds the service
//!   actions the registry schemas list for the handlers of every resource type the
//!   stage's templates use (create, read, update, delete), nothing else.
//! - `DeployRole`: for the deploy workflow (`environment:<stage>`): change sets on this
//!   stage's stacks, passing the execution role to CloudFormation, the assets bucket.
//! - `PlanRole`: for pull requests: reads the deployed stacks and creates (never executes)
//!   change sets, for replacement verdicts.
use std::collections::BTreeSet;

use crate::stack::Stack;
use crate::stage::StageConfig;
use cfn::iam::role::{Policy, Role};
use cfn_core::iam::actions::{cloudformation as cfn_actions, iam, s3, ssm, sts};
use cfn_core::iam::{
    AnyAction, CloudFormation, Iam, PolicyDocument, Principal, Statement, WholeServiceAction,
};
use cfn_core::{Expr, LogicalId, Output, Parameter, Pseudo};
use serde_json::json;

pub const STACK_NAME: &str = "Delivery";
pub const EXECUTION_ROLE: &str = "CloudFormationExecutionRole";
pub const DEPLOY_ROLE: &str = "DeployRole";
pub const PLAN_ROLE: &str = "PlanRole";
const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";

/// The delivery stack for the stage the given stacks belong to.
///
/// Fails when a resource type is unknown to the registry (its permissions would be
/// guessed) or a schema grants a whole service.
pub fn delivery_stack(stacks: &[Stack]) -> Result<Stack, DeliveryError> {
    let stage = &stacks.first().ok_or(DeliveryError::NoStacks)?.stage;
    let mut stack = Stack::new(
        STACK_NAME,
        stage,
        "roles a CI pipeline assumes through GitHub OIDC to plan and deploy this stage",
    );
    stack.add_parameter(
        LogicalId::from_path(&["GitHubRepository"]),
        Parameter {
            parameter_type: "String".into(),
            description: "owner/name of the GitHub repository whose workflows deploy".into(),
            default: None,
            allowed_pattern: Some("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$".into()),
        },
    );
    let provider = stack.add_parameter(
        LogicalId::from_path(&["GitHubOidcProviderArn"]),
        Parameter {
            parameter_type: "String".into(),
            description: format!(
                "ARN of the account's IAM OIDC provider for {GITHUB_OIDC} (one per account)"
            ),
            default: None,
            allowed_pattern: Some(format!(
                "^arn:aws[a-z-]*:iam::[0-9]{{12}}:oidc-provider/{GITHUB_OIDC}$"
            )),
        },
    );

    let execution = LogicalId::from_path(&[EXECUTION_ROLE]);
    let service_actions = handler_actions(stacks)?;
    add_execution_role(&mut stack, &execution, &service_actions);
    let deploy_subject = Expr::sub(format!(
        "repo:${{GitHubRepository}}:environment:{}",
        stage.stage
    ));
    let deploy = deploy_statements(stage, &execution);
    add_workflow_role(
        &mut stack,
        DEPLOY_ROLE,
        &provider,
        deploy_subject,
        deploy,
        "deploys",
    );
    let plan_subject = Expr::sub("repo:${GitHubRepository}:pull_request");
    let plan = plan_statements(stage, &execution);
    add_workflow_role(
        &mut stack,
        PLAN_ROLE,
        &provider,
        plan_subject,
        plan,
        "plans",
    );

    for (id, what) in [
        (
            EXECUTION_ROLE,
            "role CloudFormation executes change sets with (--role-arn)",
        ),
        (DEPLOY_ROLE, "role the deploy workflow assumes"),
        (PLAN_ROLE, "role the plan workflow assumes"),
    ] {
        let role = LogicalId::from_path(&[id]);
        let output = Output {
            description: format!("ARN of the {what}"),
            value: Role::att_arn(&role),
        };
        let added = stack
            .template
            .add_output(LogicalId::from_path(&[id, "Arn"]), output);
        added.expect("output IDs are distinct from resource IDs");
    }
    Ok(stack)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("a stage without stacks has nothing to deliver")]
    NoStacks,
    #[error(
        "{0}: not in the CloudFormation registry schemas, its handler permissions are unknown"
    )]
    UnknownType(String),
    #[error("{type_name}: {source}")]
    WholeService {
        type_name: String,
        source: WholeServiceAction,
    },
}

/// Every action the handlers of the stacks' resource types need, sorted, once.
pub fn handler_actions(stacks: &[Stack]) -> Result<BTreeSet<AnyAction>, DeliveryError> {
    let mut actions = BTreeSet::new();
    for type_name in resource_types(stacks) {
        let info = cfn::registry::lookup(&type_name)
            .ok_or_else(|| DeliveryError::UnknownType(type_name.clone()))?;
        let p = &info.permissions;
        for &action in [p.create, p.read, p.update, p.delete].concat().iter() {
            let action =
                AnyAction::from_schema(action).map_err(|source| DeliveryError::WholeService {
                    type_name: type_name.clone(),
                    source,
                })?;
            actions.insert(action);
        }
    }
    Ok(actions)
}

/// The resource types the stacks declare (`AWS::DynamoDB::Table`), sorted, once.
pub fn resource_types(stacks: &[Stack]) -> BTreeSet<String> {
    stacks
        .iter()
        .flat_map(|s| s.template.resources.values())
        .map(|r| r.resource_type.clone())
        .collect()
}

/// IAM actions go to the stage's roles only (CloudFormation names a role
/// `<stack name>-<logical ID>-<suffix>`, and every stack name starts with
/// `<app>-<stage>-`); the other services' handler actions are not resource-scoped.
fn add_execution_role(stack: &mut Stack, id: &LogicalId, actions: &BTreeSet<AnyAction>) {
    // IAM actions that act on the account, not on a role: a role ARN in their Resource
    // never matches, so they go with the unscoped handler actions (parliament: a
    // RESOURCE_MISMATCH on iam:ListRoles).
    const ACCOUNT_LEVEL_IAM: &[&str] = &[
        "iam:GetAccountSummary",
        "iam:ListInstanceProfiles",
        "iam:ListOpenIDConnectProviders",
        "iam:ListPolicies",
        "iam:ListRoles",
    ];
    let (iam_actions, others): (Vec<AnyAction>, Vec<AnyAction>) = actions
        .iter()
        .partition(|a| a.service() == "iam" && !ACCOUNT_LEVEL_IAM.contains(&a.as_str()));
    let stage_roles = Expr::sub(format!(
        "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{}",
        stack.stage.physical_name("*")
    ));
    let mut statements =
        vec![Statement::allow(others.as_slice(), vec![Expr::from("*")]).sid("Handlers")];
    if !iam_actions.is_empty() {
        statements
            .push(Statement::allow(iam_actions.as_slice(), vec![stage_roles]).sid("StageRoles"));
    }
    // The delivery stack's own roles match the stage prefix too: a template deployed with
    // this role must not be able to widen the roles that deploy it.
    let delivery_roles = Expr::sub(format!(
        "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{}-*",
        stack.stack_name()
    ));
    statements.push(Statement::deny_every::<Iam>(vec![delivery_roles]).sid("NotTheDeliveryRoles"));
    let trust = Statement::allow(&[sts::ASSUME_ROLE], Vec::new())
        .principal(Principal::Service("cloudformation.amazonaws.com".into()))
        .condition(
            "StringEquals",
            "aws:SourceAccount",
            Expr::pseudo(Pseudo::AccountId),
        );
    let role = stack.add(
        id.clone(),
        &Role {
            description: Some("CloudFormation executes this stage's change sets with it".into()),
            policies: Some(vec![Policy::new(
                PolicyDocument::new(statements),
                "resource-handlers",
            )]),
            ..Role::new(PolicyDocument::new(vec![trust]))
        },
    );
    // cfn-lint knows IAM's action list; a few handler permissions in the registry schemas
    // are not on it (`s3:DeleteBucketCors`, `apigateway:TagResource`). They are kept as the
    // schemas list them: IAM ignores an action it does not know, and dropping one by
    // hand would be a second source of truth.
    role.metadata.insert(
        "cfn-lint".into(),
        json!({"config": {"ignore_checks": ["W3037"]}}),
    );
    role.metadata.insert(
        "LintSuppressionReasons".into(),
        json!({"W3037": "handler permissions exactly as the CloudFormation registry schemas list them; a few are not in IAM's action list, which IAM ignores"}),
    );
    stack.suppress(
        id,
        "IAM_NO_WILDCARD",
        "CloudFormation's resource handlers call Create*/Describe* actions that accept no \
         resource ARN; the actions are exactly those the registry schemas list for the \
         stage's resource types, and only CloudFormation of this account can assume the role",
    );
    // checkov reads the same policy as unconstrained writes, permissions management,
    // privilege escalation and exfiltration: creating the stage's roles, buckets and
    // tables is this role's job. The reason is the same for all four.
    for rule in ["CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111"] {
        stack.suppress(
            id,
            rule,
            "CloudFormation's execution role: it must create and change the stage's IAM \
             roles, buckets and tables, with exactly the actions the registry schemas list \
             for the stage's resource types; only CloudFormation of this account can assume \
             it, and the workflow roles can only pass it to CloudFormation",
        );
    }
}

fn add_workflow_role(
    stack: &mut Stack,
    id: &str,
    provider: &Expr,
    subject: Expr,
    statements: Vec<Statement>,
    what: &str,
) {
    let trust = Statement::allow(&[sts::ASSUME_ROLE_WITH_WEB_IDENTITY], Vec::new())
        .principal(Principal::Federated(provider.clone()))
        .condition(
            "StringEquals",
            &format!("{GITHUB_OIDC}:aud"),
            Expr::from("sts.amazonaws.com"),
        )
        .condition("StringEquals", &format!("{GITHUB_OIDC}:sub"), subject);
    let description = format!("GitHub Actions {what} {} with it", stack.stage.stage);
    stack.add(
        LogicalId::from_path(&[id]),
        &Role {
            description: Some(description.as_str().into()),
            max_session_duration: Some(3600.into()),
            policies: Some(vec![Policy::new(PolicyDocument::new(statements), what)]),
            ..Role::new(PolicyDocument::new(vec![trust]))
        },
    );
}

/// This stage's stacks (and the change sets on them): `<app>-<stage>-*`.
fn stage_stacks(stage: &StageConfig) -> Expr {
    Expr::sub(format!(
        "arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{}/*",
        stage.physical_name("*")
    ))
}

/// The delivery stack matches the stage's stack prefix, but a workflow must never deploy
/// it: that would let a pull request's template widen the roles it runs with.
fn not_the_delivery_stack(stage: &StageConfig) -> Statement {
    Statement::deny_every::<CloudFormation>(vec![Expr::sub(format!(
        "arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{}/*",
        stage.physical_name(&STACK_NAME.to_lowercase())
    ))])
    .sid("NotTheDeliveryStack")
}

/// Templates' `AWS::SSM::Parameter::Value` parameters resolve with the caller's rights.
fn stage_parameters(stage: &StageConfig) -> Statement {
    Statement::allow(
        &[ssm::GET_PARAMETERS],
        vec![Expr::sub(format!(
            "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{}*",
            stage.parameter_path("")
        ))],
    )
    .sid("StageParameters")
}

fn pass_execution_role(execution: &LogicalId) -> Statement {
    Statement::allow(&[iam::PASS_ROLE], vec![Role::att_arn(execution)])
        .condition(
            "StringEquals",
            "iam:PassedToService",
            Expr::from("cloudformation.amazonaws.com"),
        )
        .sid("PassExecutionRole")
}

fn read_stacks() -> Vec<AnyAction> {
    use cfn_actions::*;
    [
        DESCRIBE_STACKS,
        DESCRIBE_STACK_EVENTS,
        DESCRIBE_STACK_RESOURCE,
        DESCRIBE_STACK_RESOURCES,
        LIST_STACK_RESOURCES,
        GET_TEMPLATE,
    ]
    .map(AnyAction::from)
    .to_vec()
}

fn deploy_statements(stage: &StageConfig, execution: &LogicalId) -> Vec<Statement> {
    use cfn_actions::*;
    let mut change = read_stacks();
    change.extend(
        [
            CREATE_CHANGE_SET,
            DESCRIBE_CHANGE_SET,
            EXECUTE_CHANGE_SET,
            DELETE_CHANGE_SET,
            CONTINUE_UPDATE_ROLLBACK,
            // AWS authorizes these on each stack the refactor names (`stack*`).
            CREATE_STACK_REFACTOR,
            DESCRIBE_STACK_REFACTOR,
            EXECUTE_STACK_REFACTOR,
        ]
        .map(AnyAction::from),
    );
    // The bootstrap stack's bucket: CloudFormation names it
    // `<app>-<stage>-bootstrap-assetsbucket-<suffix>`.
    let assets = stage.physical_name("bootstrap-assetsbucket-*");
    vec![
        Statement::allow(change.as_slice(), vec![stage_stacks(stage)]).sid("StageStacks"),
        not_the_delivery_stack(stage),
        pass_execution_role(execution),
        stage_parameters(stage),
        Statement::allow(
            &[s3::GET_OBJECT, s3::PUT_OBJECT],
            vec![Expr::sub(format!(
                "arn:${{AWS::Partition}}:s3:::{assets}/*"
            ))],
        )
        .sid("AssetObjects"),
        Statement::allow(
            &[s3::LIST_BUCKET],
            vec![Expr::sub(format!("arn:${{AWS::Partition}}:s3:::{assets}"))],
        )
        .sid("AssetsBucket"),
    ]
}

fn plan_statements(stage: &StageConfig, execution: &LogicalId) -> Vec<Statement> {
    use cfn_actions::*;
    let mut read = read_stacks();
    read.extend([CREATE_CHANGE_SET, DESCRIBE_CHANGE_SET, DELETE_CHANGE_SET].map(AnyAction::from));
    vec![
        Statement::allow(read.as_slice(), vec![stage_stacks(stage)]).sid("StageStacks"),
        not_the_delivery_stack(stage),
        pass_execution_role(execution),
        stage_parameters(stage),
    ]
}
