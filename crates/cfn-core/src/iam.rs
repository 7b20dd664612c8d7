//! IAM policy documents. Actions are typed constants, so a wildcard action cannot be
//! written: `Action::new` rejects `*` at compile time when used in a `const`.
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

use super::expr::Expr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action(&'static str);

impl Action {
    /// `service:Operation`, no wildcard. In a `const` a bad name fails the build.
    pub const fn new(name: &'static str) -> Action {
        let bytes = name.as_bytes();
        let mut i = 0;
        let mut colons = 0;
        while i < bytes.len() {
            assert!(bytes[i] != b'*', "IAM action must not contain a wildcard");
            if bytes[i] == b':' {
                colons += 1;
            }
            i += 1;
        }
        assert!(colons == 1, "IAM action must be service:Operation");
        Action(name)
    }

    /// A pattern such as `s3:*`, for Deny statements only: denying a whole service is
    /// how a guard (e.g. TLS-only) stays complete when AWS adds actions.
    pub const fn deny_pattern(name: &'static str) -> Action {
        Action(name)
    }

    pub fn is_wildcard(&self) -> bool {
        self.0.contains('*')
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }

    pub fn service(&self) -> &'static str {
        self.0.split(':').next().unwrap_or_default()
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// The IAM actions the constructs grant, one module per service.
pub mod actions {
    use super::Action;

    pub mod dynamodb {
        use super::Action;
        pub const GET_ITEM: Action = Action::new("dynamodb:GetItem");
        pub const BATCH_GET_ITEM: Action = Action::new("dynamodb:BatchGetItem");
        pub const PUT_ITEM: Action = Action::new("dynamodb:PutItem");
        pub const UPDATE_ITEM: Action = Action::new("dynamodb:UpdateItem");
        pub const DELETE_ITEM: Action = Action::new("dynamodb:DeleteItem");
        pub const BATCH_WRITE_ITEM: Action = Action::new("dynamodb:BatchWriteItem");
        pub const QUERY: Action = Action::new("dynamodb:Query");
        pub const SCAN: Action = Action::new("dynamodb:Scan");
        pub const CONDITION_CHECK_ITEM: Action = Action::new("dynamodb:ConditionCheckItem");
    }

    pub mod s3 {
        use super::Action;
        pub const GET_OBJECT: Action = Action::new("s3:GetObject");
        pub const PUT_OBJECT: Action = Action::new("s3:PutObject");
        pub const DELETE_OBJECT: Action = Action::new("s3:DeleteObject");
        pub const LIST_BUCKET: Action = Action::new("s3:ListBucket");
        pub const GET_BUCKET_ACL: Action = Action::new("s3:GetBucketAcl");
        pub const GET_BUCKET_POLICY: Action = Action::new("s3:GetBucketPolicy");
    }

    pub mod cognito {
        use super::Action;
        pub const ADMIN_GET_USER: Action = Action::new("cognito-idp:AdminGetUser");
        pub const ADMIN_CREATE_USER: Action = Action::new("cognito-idp:AdminCreateUser");
        pub const ADMIN_UPDATE_USER_ATTRIBUTES: Action =
            Action::new("cognito-idp:AdminUpdateUserAttributes");
    }

    pub mod lambda {
        use super::Action;
        pub const INVOKE_FUNCTION: Action = Action::new("lambda:InvokeFunction");
    }

    pub mod logs {
        use super::Action;
        pub const CREATE_LOG_STREAM: Action = Action::new("logs:CreateLogStream");
        pub const PUT_LOG_EVENTS: Action = Action::new("logs:PutLogEvents");
    }

    pub mod sqs {
        use super::Action;
        pub const SEND_MESSAGE: Action = Action::new("sqs:SendMessage");
    }

    pub mod sns {
        use super::Action;
        pub const PUBLISH: Action = Action::new("sns:Publish");
    }

    pub mod sts {
        use super::Action;
        pub const ASSUME_ROLE: Action = Action::new("sts:AssumeRole");
    }

    /// What Lambda needs on its execution role to attach a function to a VPC.
    pub mod ec2 {
        use super::Action;
        pub const CREATE_NETWORK_INTERFACE: Action = Action::new("ec2:CreateNetworkInterface");
        pub const DELETE_NETWORK_INTERFACE: Action = Action::new("ec2:DeleteNetworkInterface");
        pub const DESCRIBE_NETWORK_INTERFACES: Action =
            Action::new("ec2:DescribeNetworkInterfaces");
        pub const DESCRIBE_SUBNETS: Action = Action::new("ec2:DescribeSubnets");
        pub const ASSIGN_PRIVATE_IP_ADDRESSES: Action = Action::new("ec2:AssignPrivateIpAddresses");
        pub const UNASSIGN_PRIVATE_IP_ADDRESSES: Action =
            Action::new("ec2:UnassignPrivateIpAddresses");
    }

    pub mod secretsmanager {
        use super::Action;
        pub const GET_SECRET_VALUE: Action = Action::new("secretsmanager:GetSecretValue");
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
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = BTreeMap::new();
        match self {
            Principal::Service(service) => map.insert("Service", Expr::from(service)),
            Principal::Aws(arn) => map.insert("AWS", arn.clone()),
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
    pub actions: Vec<Action>,
    #[serde(rename = "Resource", skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Expr>,
    /// operator → condition key → value, e.g. `StringEquals` → `aws:SourceAccount`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub condition: BTreeMap<String, BTreeMap<String, Expr>>,
}

impl Statement {
    /// An identity-policy statement: these actions on these resources.
    pub fn allow(actions: &[Action], resources: Vec<Expr>) -> Statement {
        if let Some(wildcard) = actions.iter().find(|a| a.is_wildcard()) {
            panic!(
                "Allow statements take no wildcard actions: {}",
                wildcard.as_str()
            );
        }
        Statement::new(Effect::Allow, actions, resources)
    }

    pub fn deny(actions: &[Action], resources: Vec<Expr>) -> Statement {
        Statement::new(Effect::Deny, actions, resources)
    }

    fn new(effect: Effect, actions: &[Action], resources: Vec<Expr>) -> Statement {
        let mut actions = actions.to_vec();
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
