//! A resource entry of a template: typed properties plus the resource attributes.
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::expr::Expr;
use super::logical_id::LogicalId;
use super::type_info::TypeInfo;

/// Typed properties of one CloudFormation resource type. Implemented by the structs the
/// `cfn` crate generates from the registry schemas; a misspelled property is a compile
/// error, not a failed deploy.
pub trait ResourceProperties: Serialize {
    const TYPE: &'static str;

    /// The type's safety data from the registry (create-only paths, whether it holds
    /// data, handler permissions). The generated `cfn` structs return theirs; an
    /// implementation outside the registry may have none.
    fn type_info() -> Option<&'static TypeInfo> {
        None
    }
}

/// A resource type the model has no struct for yet, still declared in a typed way:
/// the type name is checked for the `Service::Provider::Type` shape and properties
/// are [`Expr`] values, so intrinsic functions work as everywhere else.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResource {
    pub resource_type: String,
    pub properties: BTreeMap<String, Expr>,
}

impl RawResource {
    pub fn new(resource_type: &str) -> RawResource {
        let parts: Vec<&str> = resource_type.split("::").collect();
        assert!(
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty()),
            "resource type '{resource_type}' is not of the form Service::Provider::Type"
        );
        RawResource {
            resource_type: resource_type.to_string(),
            properties: BTreeMap::new(),
        }
    }

    pub fn property(mut self, name: &str, value: impl Into<Expr>) -> RawResource {
        self.properties.insert(name.to_string(), value.into());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeletionPolicy {
    Delete,
    Retain,
    RetainExceptOnCreate,
    Snapshot,
}

/// A resource as it will appear in the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub resource_type: String,
    pub properties: Value,
    pub depends_on: BTreeSet<LogicalId>,
    pub deletion_policy: Option<DeletionPolicy>,
    pub update_replace_policy: Option<DeletionPolicy>,
    pub metadata: BTreeMap<String, Value>,
}

impl Resource {
    pub fn typed<P: ResourceProperties>(properties: &P) -> Resource {
        Resource::new(
            P::TYPE,
            serde_json::to_value(properties).expect("resource properties serialize"),
        )
    }

    pub fn raw(raw: &RawResource) -> Resource {
        Resource::new(
            &raw.resource_type,
            serde_json::to_value(&raw.properties).expect("raw properties serialize"),
        )
    }

    fn new(resource_type: &str, properties: Value) -> Resource {
        Resource {
            resource_type: resource_type.to_string(),
            properties,
            depends_on: BTreeSet::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: BTreeMap::new(),
        }
    }

    /// Both policies together: cfn-lint (W3011) rightly flags one without the other.
    pub fn retain(&mut self, retain: bool) {
        let policy = if retain {
            DeletionPolicy::Retain
        } else {
            DeletionPolicy::Delete
        };
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(policy);
    }

    pub fn to_json(&self) -> Value {
        let mut entry = serde_json::Map::new();
        entry.insert("Type".into(), Value::String(self.resource_type.clone()));
        let has_properties = self.properties.as_object().is_some_and(|p| !p.is_empty());
        if has_properties {
            entry.insert("Properties".into(), self.properties.clone());
        }
        if !self.depends_on.is_empty() {
            let ids = self
                .depends_on
                .iter()
                .map(|id| Value::String(id.to_string()));
            entry.insert("DependsOn".into(), Value::Array(ids.collect()));
        }
        if let Some(policy) = self.deletion_policy {
            entry.insert(
                "DeletionPolicy".into(),
                serde_json::to_value(policy).unwrap(),
            );
        }
        if let Some(policy) = self.update_replace_policy {
            entry.insert(
                "UpdateReplacePolicy".into(),
                serde_json::to_value(policy).unwrap(),
            );
        }
        if !self.metadata.is_empty() {
            entry.insert(
                "Metadata".into(),
                serde_json::to_value(&self.metadata).unwrap(),
            );
        }
        Value::Object(entry)
    }
}
