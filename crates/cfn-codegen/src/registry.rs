//! The safety data of every type (`cfn::registry`): what the schema says, plus the
//! reviewed patches of `patches.toml` where the schemas are incomplete.
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::emit::Provenance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeData {
    pub type_name: String,
    pub create_only: Vec<String>,
    pub conditional_create_only: Vec<String>,
    pub primary_identifier: Vec<String>,
    pub attributes: Vec<String>,
    pub holds_data: bool,
    pub taggable: bool,
    /// create, read, update, delete.
    pub permissions: [Vec<String>; 4],
}

fn paths(schema: &Value, key: &str) -> Vec<String> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|p| p.strip_prefix("/properties/").unwrap_or(p).to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The schema's own safety data (before patches).
pub fn type_data(schema: &Value) -> TypeData {
    let type_name = schema["typeName"].as_str().unwrap_or_default().to_string();
    let attributes = sorted(
        paths(schema, "readOnlyProperties")
            .into_iter()
            .filter(|p| !p.split('/').any(|s| s == "*"))
            .map(|p| p.replace('/', "."))
            .collect(),
    );
    let taggable = match schema.get("tagging").and_then(|t| t.get("taggable")) {
        Some(Value::Bool(b)) => *b,
        // No tagging section: taggable if it has a Tags property.
        _ => schema
            .get("properties")
            .and_then(|p| p.get("Tags"))
            .is_some(),
    };
    let handler = |name: &str| {
        sorted(
            schema
                .get("handlers")
                .and_then(|h| h.get(name))
                .and_then(|h| h.get("permissions"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        )
    };
    TypeData {
        create_only: sorted(paths(schema, "createOnlyProperties")),
        conditional_create_only: sorted(paths(schema, "conditionalCreateOnlyProperties")),
        // Order matters for a composite identifier: kept as the schema has it.
        primary_identifier: paths(schema, "primaryIdentifier"),
        attributes,
        holds_data: false,
        taggable,
        permissions: [
            handler("create"),
            handler("read"),
            handler("update"),
            handler("delete"),
        ],
        type_name,
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patches {
    #[serde(default)]
    pub holds_data: Vec<HoldsData>,
    #[serde(default)]
    pub create_only: Vec<CreateOnly>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldsData {
    pub types: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOnly {
    #[serde(rename = "type")]
    pub type_name: String,
    pub paths: Vec<String>,
    pub reason: String,
}

impl Patches {
    pub fn parse(text: &str) -> Result<Patches, String> {
        toml::from_str(text).map_err(|e| format!("patches.toml: {e}"))
    }
}

/// Applies the patches, rejecting any that names an unknown type or property, repeats
/// what the schema already says (so a schema fix makes us delete the patch), or has
/// no reason.
pub fn apply_patches(
    types: &mut BTreeMap<String, TypeData>,
    schemas: &BTreeMap<String, Value>,
    patches: &Patches,
) -> Result<(), String> {
    let mut errors = Vec::new();
    let mut seen_data = BTreeSet::new();
    for entry in &patches.holds_data {
        if entry.reason.trim().is_empty() {
            errors.push(format!("holds_data {:?}: empty reason", entry.types));
        }
        for t in &entry.types {
            if !seen_data.insert(t.clone()) {
                errors.push(format!("holds_data: {t} listed twice"));
            }
            match types.get_mut(t) {
                Some(data) => data.holds_data = true,
                None => errors.push(format!("holds_data: unknown type {t}")),
            }
        }
    }
    for entry in &patches.create_only {
        let t = &entry.type_name;
        if entry.reason.trim().is_empty() {
            errors.push(format!("create_only {t}: empty reason"));
        }
        let (Some(data), Some(schema)) = (types.get_mut(t), schemas.get(t)) else {
            errors.push(format!("create_only: unknown type {t}"));
            continue;
        };
        for path in &entry.paths {
            let top = path.split('/').next().unwrap_or_default();
            if schema.get("properties").and_then(|p| p.get(top)).is_none() {
                errors.push(format!("create_only {t}: no property {top}"));
            } else if data.create_only.contains(path) {
                errors.push(format!("create_only {t}: {path} is already create-only in the schema; remove the patch"));
            } else {
                data.create_only.push(path.clone());
            }
        }
        data.create_only = sorted(std::mem::take(&mut data.create_only));
        // A create-only path is no longer "conditionally" create-only.
        let create_only = data.create_only.clone();
        data.conditional_create_only
            .retain(|p| !create_only.contains(p));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn str_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `crates/cfn/src/registry.rs`: permissions are interned in one table (`P`), since
/// the same actions recur across handlers and types; entries index into it.
pub fn registry_rs(types: &[TypeData], prov: &Provenance) -> String {
    let actions: BTreeSet<&str> = types
        .iter()
        .flat_map(|t| t.permissions.iter().flatten())
        .map(String::as_str)
        .collect();
    let index: BTreeMap<&str, usize> = actions.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let mut out = prov.header("//");
    out.push_str(
        "//! Safety data of every CloudFormation type in the schemas, compiled regardless of\n\
         //! features: create-only (replacing) property paths, identifiers, attributes,\n\
         //! whether the type holds data, and the IAM actions of its handlers. Schema data plus\n\
         //! the reviewed patches of `crates/cfn-codegen/patches.toml`.\n\n\
         use crate::{Permissions, TypeInfo};\n\n\
         /// The type named `type_name` (`AWS::RDS::DBInstance`), if the schemas have it.\n\
         pub fn lookup(type_name: &str) -> Option<&'static TypeInfo> {\n    \
         ALL.binary_search_by(|t| t.type_name.cmp(type_name)).ok().map(|i| &ALL[i])\n\
         }\n\n\
         /// One entry: name, holds_data, taggable, [create_only], [conditional_create_only],\n\
         /// [primary_identifier], [attributes], then create/read/update/delete actions as\n\
         /// indexes into `P`.\n\
         macro_rules! t {\n    \
         ($name:literal, $data:literal, $tag:literal, [$($co:literal),*], [$($cc:literal),*], [$($id:literal),*], [$($at:literal),*], [$($c:literal),*], [$($r:literal),*], [$($u:literal),*], [$($d:literal),*]) => {\n        \
         TypeInfo {\n            \
         type_name: $name,\n            \
         create_only: &[$($co),*],\n            \
         conditional_create_only: &[$($cc),*],\n            \
         primary_identifier: &[$($id),*],\n            \
         attributes: &[$($at),*],\n            \
         holds_data: $data,\n            \
         taggable: $tag,\n            \
         permissions: Permissions {\n                \
         create: &[$(P[$c]),*],\n                \
         read: &[$(P[$r]),*],\n                \
         update: &[$(P[$u]),*],\n                \
         delete: &[$(P[$d]),*],\n            \
         },\n        \
         }\n    \
         };\n\
         }\n\n",
    );
    let _ = writeln!(out, "/// Every IAM action some handler needs, sorted.");
    let _ = writeln!(out, "const P: &[&str] = &[");
    for a in &actions {
        let _ = writeln!(out, "    {a:?},");
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "/// Every type, sorted by name (see [`lookup`]).");
    out.push_str("pub const ALL: &[TypeInfo] = &[\n");
    for t in types {
        let perms: Vec<String> = t
            .permissions
            .iter()
            .map(|list| {
                let ids: Vec<String> = list.iter().map(|a| index[a.as_str()].to_string()).collect();
                format!("[{}]", ids.join(", "))
            })
            .collect();
        let _ = writeln!(
            out,
            "    t!({:?}, {}, {},\n        {}, {}, {}, {},\n        {}),",
            t.type_name,
            t.holds_data,
            t.taggable,
            str_list(&t.create_only),
            str_list(&t.conditional_create_only),
            str_list(&t.primary_identifier),
            str_list(&t.attributes),
            perms.join(", "),
        );
    }
    out.push_str("];\n");
    out
}
