//! Free-form JSON properties (a policy document, a dashboard body, a state machine
//! definition): the schema does not type them, but whatever goes in is still one of our
//! typed values (a [`PolicyDocument`], an [`Expr`]) or explicit JSON.
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::expr::Expr;
use crate::iam::PolicyDocument;

#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub Value);

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Json(value)
    }
}

impl From<Expr> for Json {
    fn from(expr: Expr) -> Self {
        Json(serde_json::to_value(expr).expect("an Expr always serializes"))
    }
}

impl From<&PolicyDocument> for Json {
    fn from(document: &PolicyDocument) -> Self {
        Json(serde_json::to_value(document).expect("a policy document always serializes"))
    }
}

impl From<PolicyDocument> for Json {
    fn from(document: PolicyDocument) -> Self {
        Json::from(&document)
    }
}
