//! The AWS actions a function's code calls, typed per service so that a table can only
//! be granted DynamoDB actions, the bucket S3 actions and the user pool Cognito ones.

/// Name of the table's overloaded secondary index (public batches, due reminders).
pub const GSI1: &str = "GSI1";

/// Key prefix of every photo object: presigned URLs carry the signer's permissions, so
/// the functions that sign them may touch nothing else in the bucket.
pub const PHOTOS_PREFIX: &str = "users/";

/// DynamoDB actions the app calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DynamoDb {
    GetItem,
    PutItem,
    Query,
    UpdateItem,
    DeleteItem,
}

impl DynamoDb {
    /// The IAM action, e.g. `dynamodb:GetItem`.
    pub const fn action(self) -> &'static str {
        match self {
            DynamoDb::GetItem => "dynamodb:GetItem",
            DynamoDb::PutItem => "dynamodb:PutItem",
            DynamoDb::Query => "dynamodb:Query",
            DynamoDb::UpdateItem => "dynamodb:UpdateItem",
            DynamoDb::DeleteItem => "dynamodb:DeleteItem",
        }
    }
}

/// S3 object actions the app calls (directly or by presigning a URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum S3 {
    GetObject,
    PutObject,
}

impl S3 {
    pub const fn action(self) -> &'static str {
        match self {
            S3::GetObject => "s3:GetObject",
            S3::PutObject => "s3:PutObject",
        }
    }
}

/// Cognito user-pool administration the app calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cognito {
    AdminGetUser,
    AdminCreateUser,
}

impl Cognito {
    pub const fn action(self) -> &'static str {
        match self {
            Cognito::AdminGetUser => "cognito-idp:AdminGetUser",
            Cognito::AdminCreateUser => "cognito-idp:AdminCreateUser",
        }
    }
}

/// Actions on one resource. A function's list is applied in order, which fixes the
/// order of statements in its role policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Item actions on the table itself (not its indexes).
    Table(&'static [DynamoDb]),
    /// Actions on one secondary index of the table.
    TableIndex(&'static str, &'static [DynamoDb]),
    /// Object actions on the photos bucket, under one key prefix.
    PhotoObjects(&'static str, &'static [S3]),
    /// User administration on the user pool.
    UserPool(&'static [Cognito]),
}

/// The resource a permission applies to, without the actions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Table,
    TableIndex(String),
    PhotoObjects(String),
    UserPool,
}

impl Permission {
    pub fn scope(&self) -> Scope {
        match self {
            Permission::Table(_) => Scope::Table,
            Permission::TableIndex(index, _) => Scope::TableIndex(index.to_string()),
            Permission::PhotoObjects(prefix, _) => Scope::PhotoObjects(prefix.to_string()),
            Permission::UserPool(_) => Scope::UserPool,
        }
    }

    /// The IAM actions, in declaration order.
    pub fn actions(&self) -> Vec<&'static str> {
        match self {
            Permission::Table(a) | Permission::TableIndex(_, a) => {
                a.iter().map(|a| a.action()).collect()
            }
            Permission::PhotoObjects(_, a) => a.iter().map(|a| a.action()).collect(),
            Permission::UserPool(a) => a.iter().map(|a| a.action()).collect(),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Table => f.write_str("table"),
            Scope::TableIndex(index) => write!(f, "table index {index}"),
            Scope::PhotoObjects(prefix) => write!(f, "photos under {prefix}"),
            Scope::UserPool => f.write_str("user pool"),
        }
    }
}
