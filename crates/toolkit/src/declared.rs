//! What an app's code expects of its deployed stage: the HTTP routes it serves and the
//! AWS actions each function calls. An app with a contract (BubbleBatch's
//! `bubblebatch-contract`) hands it to the toolkit through [`App::declared`]; a deploy
//! then verifies the deployed API and roles against it, not against the templates built
//! from it (see `engine::verify`). Apps without one are verified against their templates.
//!
//! [`App::declared`]: crate::App::declared

/// One route of the HTTP API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeclaredRoute {
    /// `GET`, `POST`, ...
    pub method: String,
    /// `/batches/{id}`: API Gateway's route-key syntax.
    pub path: String,
    /// Guarded by the API's JWT authorizer (else public).
    pub authorized: bool,
    /// The physical name of the function that serves it (`bubblebatch-dev-batches`).
    pub function: String,
}

impl DeclaredRoute {
    /// API Gateway's route key, e.g. `GET /batches/{id}`.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The IAM actions one function's code calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredFunction {
    /// Physical name (`bubblebatch-dev-auth`).
    pub name: String,
    /// IAM actions (`dynamodb:GetItem`), in the contract's order.
    pub actions: Vec<String>,
}

/// A stage's routes and functions as the app declares them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    pub routes: Vec<DeclaredRoute>,
    pub functions: Vec<DeclaredFunction>,
}

impl Declared {
    pub fn function(&self, name: &str) -> Option<&DeclaredFunction> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// Actions a function's role holds for the Lambda runtime, not for its code: writing its
/// own logs. Neither declared by an app nor reported as undeclared.
pub fn is_runtime_action(action: &str) -> bool {
    action.to_ascii_lowercase().starts_with("logs:")
}
