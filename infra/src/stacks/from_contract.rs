//! Lambda functions as the app↔infra contract (`bubblebatch-contract`) declares them:
//! name, description, the environment variables the code reads and the IAM grants for
//! the AWS actions it calls all come from there, so infra keeps no second list.
use cfn_core::iam::actions::{cognito, dynamodb};
use cfn_core::Expr;
use constructs::bucket::{BucketRef, ObjectAction};
use constructs::function::Function;
use constructs::http_api::{Auth, HttpMethod};
use constructs::table::TableRef;
use constructs::user_pool::UserPoolRef;
use constructs::Stack;
use contract::{Cognito, DynamoDb, EnvVar, Permission, S3};

/// What one stack can hand its functions. A contract entry that needs something the
/// stack lacks fails synth with a message naming the function and the entry.
pub struct Resources<'a> {
    pub table: &'a TableRef,
    pub photos: &'a BucketRef,
    /// The user pool and its app client ID, where the stack imports them.
    pub user_pool: Option<(&'a UserPoolRef, &'a Expr)>,
    pub expo_push_url: Option<&'static str>,
}

impl Resources<'_> {
    /// The function with exactly the environment and the permissions the contract
    /// declares for it, granted in declaration order.
    pub fn function(&self, stack: &Stack, declared: contract::Function) -> Function {
        let mut function = Function::new(stack, declared.binary(), declared.description());
        for &var in declared.env() {
            if let Some(value) = self.value_of(declared, var) {
                function = function.env(var.name(), value);
            }
        }
        for permission in declared.permissions() {
            self.grant(&mut function, declared, permission);
        }
        function
    }

    fn value_of(&self, declared: contract::Function, var: EnvVar) -> Option<Expr> {
        let pool = || {
            self.user_pool
                .unwrap_or_else(|| panic!("{declared} reads {var}; this stack has no user pool"))
        };
        Some(match var {
            EnvVar::TableName => self.table.name.as_str().into(),
            EnvVar::BucketName => self.photos.name(),
            // The Function construct sets STAGE on every function itself.
            EnvVar::Stage => return None,
            EnvVar::UserPoolId => pool().0.pool_id.clone(),
            EnvVar::UserPoolClientId => pool().1.clone(),
            EnvVar::ExpoPushUrl => self
                .expo_push_url
                .unwrap_or_else(|| panic!("{declared} reads {var}; this stack has no value"))
                .into(),
        })
    }

    fn grant(
        &self,
        function: &mut Function,
        declared: contract::Function,
        permission: &Permission,
    ) {
        // Each contract action maps to the construct layer's typed constant.
        let table_action = |a: &DynamoDb| match a {
            DynamoDb::GetItem => dynamodb::GET_ITEM,
            DynamoDb::PutItem => dynamodb::PUT_ITEM,
            DynamoDb::Query => dynamodb::QUERY,
            DynamoDb::UpdateItem => dynamodb::UPDATE_ITEM,
            DynamoDb::DeleteItem => dynamodb::DELETE_ITEM,
        };
        let pool_action = |a: &Cognito| match a {
            Cognito::AdminGetUser => cognito::ADMIN_GET_USER,
            Cognito::AdminCreateUser => cognito::ADMIN_CREATE_USER,
        };
        let object_action = |a: &S3| match a {
            S3::GetObject => ObjectAction::Get,
            S3::PutObject => ObjectAction::Put,
        };
        match *permission {
            Permission::Table(actions) => {
                let actions: Vec<_> = actions.iter().map(table_action).collect();
                self.table.grant(function, &actions)
            }
            Permission::TableIndex(index, actions) => {
                let actions: Vec<_> = actions.iter().map(table_action).collect();
                self.table.grant_index(function, index, &actions)
            }
            Permission::PhotoObjects(prefix, actions) => {
                let actions: Vec<_> = actions.iter().map(object_action).collect();
                self.photos.grant_objects(function, prefix, &actions)
            }
            Permission::UserPool(actions) => {
                let (pool, _) = self.user_pool.unwrap_or_else(|| {
                    panic!("{declared} needs the user pool, which this stack does not import")
                });
                let actions: Vec<_> = actions.iter().map(pool_action).collect();
                pool.grant(function, &actions)
            }
        }
    }
}

pub fn method(method: contract::Method) -> HttpMethod {
    match method {
        contract::Method::Get => HttpMethod::Get,
        contract::Method::Post => HttpMethod::Post,
    }
}

pub fn auth(auth: contract::Auth) -> Auth {
    match auth {
        contract::Auth::Public => Auth::None,
        contract::Auth::Jwt => Auth::Authorizer,
    }
}
