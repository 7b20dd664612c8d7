use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "Type")]
    pub parameter_type: String,
    pub value: Expr,
    pub description: Option<String>,
}

impl ResourceProperties for Parameter {
    const TYPE: &'static str = "AWS::SSM::Parameter";
}
