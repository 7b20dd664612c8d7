//! IAM policy documents. Actions are typed by service (`Action<DynamoDb>`,
//! `Action<S3>`...): a construct that grants on a table takes `&[Action<DynamoDb>]`, so
//! granting an S3 action there does not compile. Action constants are checked when the
//! `const` is evaluated: a wildcard, or a name of another service than the type's, fails
//! the build. Allow statements hold no wildcard action by construction; a Deny statement
//! can cover a whole service ([`Statement::deny_every`]).
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;

use super::expr::Expr;

/// An AWS service as IAM names it: the marker type of its [`Action`]s.
pub trait Service: Debug + Clone + Copy + PartialEq + Eq + PartialOrd + Ord + Hash {
    /// The action prefix, e.g. `dynamodb`.
    const PREFIX: &'static str;
    /// `<prefix>:*`, every action of the service (Deny statements only).
    const EVERY_ACTION: &'static str;
}

macro_rules! services {
    ($($(#[$doc:meta])* $name:ident => $prefix:literal,)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {}

        impl Service for $name {
            const PREFIX: &'static str = $prefix;
            const EVERY_ACTION: &'static str = concat!($prefix, ":*");
        }
    )*};
}

/// The services whose actions the constructs grant (uninhabited: types only).
pub mod service {
    use super::Service;

    services! {
        /// Cognito user pools (`cognito-idp`).
        CloudFormation => "cloudformation",
        CognitoIdp => "cognito-idp",
        DynamoDb => "dynamodb",
        Ec2 => "ec2",
        Iam => "iam",
        Lambda => "lambda",
        /// CloudWatch Logs.
        Logs => "logs",
        S3 => "s3",
        SecretsManager => "secretsmanager",
        Ssm => "ssm",
        Sns => "sns",
        Sqs => "sqs",
        Sts => "sts",
    }
}

pub use service::*;

/// One operation of service `S`, e.g. `dynamodb:GetItem` as `Action<DynamoDb>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action<S: Service> {
    name: &'static str,
    service: PhantomData<S>,
}

impl<S: Service> Action<S> {
    /// `<S::PREFIX>:Operation`, no wildcard. In a `const` a bad name fails the build.
    pub const fn new(name: &'static str) -> Action<S> {
        let bytes = name.as_bytes();
        let prefix = S::PREFIX.as_bytes();
        assert!(
            bytes.len() > prefix.len() + 1 && bytes[prefix.len()] == b':',
            "IAM action must be service:Operation, of the service its type names"
        );
        let mut i = 0;
        while i < prefix.len() {
            assert!(
                bytes[i] == prefix[i],
                "IAM action must be service:Operation, of the service its type names"
            );
            i += 1;
        }
        i = prefix.len() + 1;
        while i < bytes.len() {
            assert!(bytes[i] != b'*', "IAM action must not contain a wildcard");
            assert!(bytes[i] != b':', "IAM action must be service:Operation");
            i += 1;
        }
        Action {
            name,
            service: PhantomData,
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.name
    }
}

/// An action of any service, as a statement lists it. Made from an [`Action`] (never a
/// wildcard), or by [`Statement::deny_every`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnyAction(&'static str);

impl AnyAction {
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    pub fn service(&self) -> &'static str {
        self.0.split(':').next().unwrap_or_default()
    }

    /// An action as a CloudFormation registry schema lists it for a resource handler
    /// (`dynamodb:CreateTable`; the schemas also list read patterns such as
    /// `dynamodb:Describe*`). A whole service (`chime:*`) or a bare `*` is refused: a role
    /// derived from the schemas must never hold every action of a service.
    pub fn from_schema(action: &'static str) -> Result<AnyAction, WholeServiceAction> {
        match action.split_once(':') {
            Some((service, operation))
                if !service.is_empty() && !operation.is_empty() && operation != "*" =>
            {
                Ok(AnyAction(action))
            }
            _ => Err(WholeServiceAction(action)),
        }
    }
}

/// A schema listed `service:*` (or no operation) where one action was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' grants a whole service; name the operations")]
pub struct WholeServiceAction(pub &'static str);

impl<S: Service> From<Action<S>> for AnyAction {
    fn from(action: Action<S>) -> AnyAction {
        AnyAction(action.name)
    }
}

impl Serialize for AnyAction {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.serialize_str(self.0)
    }
}

/// The IAM actions the constructs grant, one module per service.
pub mod actions {
    pub mod dynamodb {
        use crate::iam::{Action, DynamoDb};
        type A = Action<DynamoDb>;
        pub const GET_ITEM: A = A::new("dynamodb:GetItem");
        pub const BATCH_GET_ITEM: A = A::new("dynamodb:BatchGetItem");
        pub const PUT_ITEM: A = A::new("dynamodb:PutItem");
        pub const UPDATE_ITEM: A = A::new("dynamodb:UpdateItem");
        pub const DELETE_ITEM: A = A::new("dynamodb:DeleteItem");
        pub const BATCH_WRITE_ITEM: A = A::new("dynamodb:BatchWriteItem");
        pub const QUERY: A = A::new("dynamodb:Query");
        pub const SCAN: A = A::new("dynamodb:Scan");
        pub const CONDITION_CHECK_ITEM: A = A::new("dynamodb:ConditionCheckItem");
    }

    pub mod s3 {
        use crate::iam::{Action, S3};
        type A = Action<S3>;
        pub const GET_OBJECT: A = A::new("s3:GetObject");
        pub const PUT_OBJECT: A = A::new("s3:PutObject");
        pub const DELETE_OBJECT: A = A::new("s3:DeleteObject");
        pub const LIST_BUCKET: A = A::new("s3:ListBucket");
        pub const GET_BUCKET_ACL: A = A::new("s3:GetBucketAcl");
        pub const GET_BUCKET_POLICY: A = A::new("s3:GetBucketPolicy");
    }

    pub mod cognito {
        use crate::iam::{Action, CognitoIdp};
        type A = Action<CognitoIdp>;
        pub const ADMIN_GET_USER: A = A::new("cognito-idp:AdminGetUser");
        pub const ADMIN_CREATE_USER: A = A::new("cognito-idp:AdminCreateUser");
        pub const ADMIN_UPDATE_USER_ATTRIBUTES: A = A::new("cognito-idp:AdminUpdateUserAttributes");
    }

    pub mod lambda {
        use crate::iam::{Action, Lambda};
        pub const INVOKE_FUNCTION: Action<Lambda> = Action::new("lambda:InvokeFunction");
    }

    pub mod logs {
        use crate::iam::{Action, Logs};
        pub const CREATE_LOG_STREAM: Action<Logs> = Action::new("logs:CreateLogStream");
        pub const PUT_LOG_EVENTS: Action<Logs> = Action::new("logs:PutLogEvents");
    }

    pub mod sqs {
        use crate::iam::{Action, Sqs};
        pub const SEND_MESSAGE: Action<Sqs> = Action::new("sqs:SendMessage");
    }

    pub mod sns {
        use crate::iam::{Action, Sns};
        pub const PUBLISH: Action<Sns> = Action::new("sns:Publish");
    }

    pub mod sts {
        use crate::iam::{Action, Sts};
        pub const ASSUME_ROLE: Action<Sts> = Action::new("sts:AssumeRole");
        pub const ASSUME_ROLE_WITH_WEB_IDENTITY: Action<Sts> =
            Action::new("sts:AssumeRoleWithWebIdentity");
    }

    pub mod ssm {
        use crate::iam::{Action, Ssm};
        pub const GET_PARAMETERS: Action<Ssm> = Action::new("ssm:GetParameters");
    }

    pub mod iam {
        use crate::iam::{Action, Iam};
        pub const PASS_ROLE: Action<Iam> = Action::new("iam:PassRole");
    }

    /// What the deploy engine calls on CloudFormation (see the toolkit's engine).
    pub mod cloudformation {
        use crate::iam::{Action, CloudFormation};
        type A = Action<CloudFormation>;
        pub const CREATE_CHANGE_SET: A = A::new("cloudformation:CreateChangeSet");
        pub const DESCRIBE_CHANGE_SET: A = A::new("cloudformation:DescribeChangeSet");
        pub const EXECUTE_CHANGE_SET: A = A::new("cloudformation:ExecuteChangeSet");
        pub const DELETE_CHANGE_SET: A = A::new("cloudformation:DeleteChangeSet");
        pub const DESCRIBE_STACKS: A = A::new("cloudformation:DescribeStacks");
        pub const DESCRIBE_STACK_EVENTS: A = A::new("cloudformation:DescribeStackEvents");
        pub const DESCRIBE_STACK_RESOURCE: A = A::new("cloudformation:DescribeStackResource");
        pub const DESCRIBE_STACK_RESOURCES: A = A::new("cloudformation:DescribeStackResources");
        pub const LIST_STACK_RESOURCES: A = A::new("cloudformation:ListStackResources");
        pub const GET_TEMPLATE: A = A::new("cloudformation:GetTemplate");
        pub const CONTINUE_UPDATE_ROLLBACK: A = A::new("cloudformation:ContinueUpdateRollback");
        /// A `moved` declaration between or within stacks (the engine's refactor step).
        pub const CREATE_STACK_REFACTOR: A = A::new("cloudformation:CreateStackRefactor");
        pub const DESCRIBE_STACK_REFACTOR: A = A::new("cloudformation:DescribeStackRefactor");
        pub const EXECUTE_STACK_REFACTOR: A = A::new("cloudformation:ExecuteStackRefactor");
    }

    /// What Lambda needs on its execution role to attach a function to a VPC.
    pub mod ec2 {
        use crate::iam::{Action, Ec2};
        type A = Action<Ec2>;
        pub const CREATE_NETWORK_INTERFACE: A = A::new("ec2:CreateNetworkInterface");
        pub const DELETE_NETWORK_INTERFACE: A = A::new("ec2:DeleteNetworkInterface");
        pub const DESCRIBE_NETWORK_INTERFACES: A = A::new("ec2:DescribeNetworkInterfaces");
        pub const DESCRIBE_SUBNETS: A = A::new("ec2:DescribeSubnets");
        pub const ASSIGN_PRIVATE_IP_ADDRESSES: A = A::new("ec2:AssignPrivateIpAddresses");
        pub const UNASSIGN_PRIVATE_IP_ADDRESSES: A = A::new("ec2:UnassignPrivateIpAddresses");
    }

    pub mod secretsmanager {
        use crate::iam::{Action, SecretsManager};
        pub const GET_SECRET_VALUE: Action<SecretsManager> =
            Action::new("secretsmanager:GetSecretValue");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    Service(String),
    Aws(Expr),
    /// A web-identity provider (an IAM OIDC provider's ARN), e.g. GitHub Actions.
    Federated(Expr),
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = BTreeMap::new();
        match self {
            Principal::Service(service) => map.insert("Service", Expr::from(service)),
            Principal::Aws(arn) => map.insert("AWS", arn.clone()),
            Principal::Federated(arn) => map.insert("Federated", arn.clone()),
        };
        map.serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    #[serde(rename = "Action")]
    pub actions: Vec<AnyAction>,
    #[serde(rename = "Resource", skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Expr>,
    /// operator → condition key → value, e.g. `StringEquals` → `aws:SourceAccount`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub condition: BTreeMap<String, BTreeMap<String, Expr>>,
}

impl Statement {
    /// An identity-policy statement: these actions on these resources. Actions of one
    /// service come as a slice of `Action<S>`; mixing services takes [`AnyAction`]s.
    pub fn allow<A: Copy + Into<AnyAction>>(actions: &[A], resources: Vec<Expr>) -> Statement {
        Statement::new(Effect::Allow, actions, resources)
    }

    pub fn deny<A: Copy + Into<AnyAction>>(actions: &[A], resources: Vec<Expr>) -> Statement {
        Statement::new(Effect::Deny, actions, resources)
    }

    /// Denies every action of service `S` (`s3:*`): how a guard such as TLS-only stays
    /// complete when AWS adds actions. There is no allowing counterpart.
    pub fn deny_every<S: Service>(resources: Vec<Expr>) -> Statement {
        Statement::new(Effect::Deny, &[AnyAction(S::EVERY_ACTION)], resources)
    }

    fn new<A: Copy + Into<AnyAction>>(
        effect: Effect,
        actions: &[A],
        resources: Vec<Expr>,
    ) -> Statement {
        let mut actions: Vec<AnyAction> = actions.iter().map(|&a| a.into()).collect();
        actions.sort();
        actions.dedup();
        Statement {
            sid: None,
            effect,
            principal: None,
            actions,
            resources,
            condition: BTreeMap::new(),
        }
    }

    pub fn sid(mut self, sid: &str) -> Statement {
        self.sid = Some(sid.to_string());
        self
    }

    pub fn principal(mut self, principal: Principal) -> Statement {
        self.principal = Some(principal);
        self
    }

    pub fn condition(mut self, operator: &str, key: &str, value: impl Into<Expr>) -> Statement {
        self.condition
            .entry(operator.to_string())
            .or_default()
            .insert(key.to_string(), value.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    pub version: &'static str,
    #[serde(rename = "Statement")]
    pub statements: Vec<Statement>,
}

impl PolicyDocument {
    pub fn new(statements: Vec<Statement>) -> PolicyDocument {
        PolicyDocument {
            version: "2012-10-17",
            statements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schema_action_may_not_name_a_whole_service() {
        assert_eq!(
            AnyAction::from_schema("dynamodb:CreateTable").map(|a| a.as_str()),
            Ok("dynamodb:CreateTable")
        );
        assert!(AnyAction::from_schema("dynamodb:Describe*").is_ok());
        for whole in ["chime:*", "*", "s3:", ":GetObject"] {
            assert_eq!(
                AnyAction::from_schema(whole),
                Err(WholeServiceAction(whole))
            );
        }
    }

    #[test]
    fn statements_list_actions_sorted_and_once() {
        use actions::dynamodb::{GET_ITEM, QUERY};
        let statement = Statement::allow(&[QUERY, GET_ITEM, QUERY], vec![Expr::from("arn")]);
        assert_eq!(
            serde_json::to_value(&statement).unwrap(),
            json!({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                   "Resource": ["arn"]})
        );
    }

    #[test]
    fn actions_of_several_services_meet_as_any_action() {
        let mixed = [
            AnyAction::from(actions::sqs::SEND_MESSAGE),
            AnyAction::from(actions::lambda::INVOKE_FUNCTION),
        ];
        let statement = Statement::allow(&mixed, vec![Expr::from("arn")]);
        let services: Vec<_> = statement.actions.iter().map(AnyAction::service).collect();
        assert_eq!(services, ["lambda", "sqs"]);
    }

    #[test]
    fn a_whole_service_is_denied_only() {
        let statement = Statement::deny_every::<S3>(vec![Expr::from("arn")]);
        assert_eq!(statement.effect, Effect::Deny);
        assert_eq!(statement.actions[0].as_str(), "s3:*");
    }

    #[test]
    fn action_names_carry_their_service() {
        assert_eq!(
            actions::cognito::ADMIN_GET_USER.as_str(),
            "cognito-idp:AdminGetUser"
        );
        assert_eq!(CognitoIdp::PREFIX, "cognito-idp");
        assert_eq!(Ec2::EVERY_ACTION, "ec2:*");
    }
}
