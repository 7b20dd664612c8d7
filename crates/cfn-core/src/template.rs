//! A whole template: parameters, resources, outputs, in canonical JSON.
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::canonical::{sort_keys, to_canonical_string};
use super::expr::Expr;
use super::logical_id::LogicalId;
use super::resource::Resource;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    #[serde(rename = "Type")]
    pub parameter_type: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    pub description: String,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("logical ID '{0}' is declared twice in the same template")]
pub struct DuplicateLogicalId(pub LogicalId);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    pub description: String,
    pub parameters: BTreeMap<LogicalId, Parameter>,
    pub resources: BTreeMap<LogicalId, Resource>,
    pub outputs: BTreeMap<LogicalId, Output>,
    /// The template's top-level `Metadata` (tool annotations CloudFormation keeps but
    /// does not act on); omitted when empty.
    pub metadata: BTreeMap<String, Value>,
}

impl Template {
    pub fn new(description: impl Into<String>) -> Template {
        Template {
            description: description.into(),
            ..Template::default()
        }
    }

    /// Logical IDs share one namespace across parameters, resources and outputs.
    fn is_taken(&self, id: &LogicalId) -> bool {
        self.parameters.contains_key(id)
            || self.resources.contains_key(id)
            || self.outputs.contains_key(id)
    }

    pub fn add_resource(
        &mut self,
        id: LogicalId,
        resource: Resource,
    ) -> Result<(), DuplicateLogicalId> {
        if self.is_taken(&id) {
            return Err(DuplicateLogicalId(id));
        }
        self.resources.insert(id, resource);
        Ok(())
    }

    pub fn add_parameter(
        &mut self,
        id: LogicalId,
        parameter: Parameter,
    ) -> Result<(), DuplicateLogicalId> {
        if self.is_taken(&id) {
            return Err(DuplicateLogicalId(id));
        }
        self.parameters.insert(id, parameter);
        Ok(())
    }

    pub fn add_output(&mut self, id: LogicalId, output: Output) -> Result<(), DuplicateLogicalId> {
        if self.is_taken(&id) {
            return Err(DuplicateLogicalId(id));
        }
        self.outputs.insert(id, output);
        Ok(())
    }

    pub fn to_json(&self) -> Value {
        let mut root = serde_json::Map::new();
        root.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        root.insert("Description".into(), json!(self.description));
        if !self.metadata.is_empty() {
            root.insert("Metadata".into(), json!(self.metadata));
        }
        if !self.parameters.is_empty() {
            root.insert(
                "Parameters".into(),
                to_object(&self.parameters, |p| json!(p)),
            );
        }
        root.insert(
            "Resources".into(),
            to_object(&self.resources, Resource::to_json),
        );
        if !self.outputs.is_empty() {
            root.insert("Outputs".into(), to_object(&self.outputs, |o| json!(o)));
        }
        Value::Object(root)
    }

    /// The exact bytes written to `stacks/`: same template, same bytes.
    pub fn to_canonical_json(&self) -> String {
        to_canonical_string(self.to_json())
    }

    /// The template as a value with its keys in canonical order: parsing
    /// [`Template::to_canonical_json`] gives the same value, without the text.
    pub fn to_canonical_value(&self) -> Value {
        sort_keys(self.to_json())
    }
}

fn to_object<T>(entries: &BTreeMap<LogicalId, T>, render: impl Fn(&T) -> Value) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|(id, entry)| (id.to_string(), render(entry)))
            .collect(),
    )
}
