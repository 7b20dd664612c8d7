//! Resource-level comparison of an old and a new template.
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::iam;
use super::replacement::{is_stateful, name_property, property_replacement, Replacement};
use super::{
    Action, PropertyChange, ReplacementSource, ResourceChange, SectionChange, StackDiff,
    StackStatus, StackTemplates,
};

/// Resource attributes beside `Properties` that a diff shows.
const ATTRIBUTES: &[&str] = &[
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Condition",
    "Metadata",
];

/// Template sections beside `Resources` that a diff lists by key.
const SECTIONS: &[&str] = &["Parameters", "Outputs", "Conditions", "Mappings", "Rules"];

pub fn diff_stack(stack: &StackTemplates) -> StackDiff {
    let empty = Value::Object(Map::new());
    let old = stack.old.as_ref().unwrap_or(&empty);
    let new = stack.new.as_ref().unwrap_or(&empty);
    let resources = diff_resources(section(old, "Resources"), section(new, "Resources"));
    let mut sections = Vec::new();
    for name in SECTIONS {
        for (key, action) in keyed_changes(section(old, name), section(new, name)) {
            sections.push(SectionChange {
                section: name.to_string(),
                key,
                action,
            });
        }
    }
    let iam = iam::diff(&iam::statements(old), &iam::statements(new));
    let status = match (&stack.old, &stack.new) {
        (None, Some(_)) => StackStatus::New,
        (Some(_), None) => StackStatus::Removed,
        _ if resources.is_empty() && sections.is_empty() && old == new => StackStatus::Unchanged,
        _ => StackStatus::Changed,
    };
    StackDiff {
        name: stack.name.clone(),
        stack_name: stack.stack_name.clone(),
        status,
        resources,
        code_changes: Vec::new(),
        sections,
        iam,
        moves: Vec::new(),
    }
}

fn section<'a>(template: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
    template.get(name).and_then(Value::as_object)
}

fn keyed_changes(
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
) -> Vec<(String, Action)> {
    let empty = Map::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| match (old.get(k), new.get(k)) {
            (None, Some(_)) => Some((k.clone(), Action::Add)),
            (Some(_), None) => Some((k.clone(), Action::Remove)),
            (Some(a), Some(b)) if a != b => Some((k.clone(), Action::Modify)),
            _ => None,
        })
        .collect()
}

fn diff_resources(
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
) -> Vec<ResourceChange> {
    let empty = Map::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    ids.into_iter()
        .filter_map(|id| match (old.get(id), new.get(id)) {
            (None, Some(r)) => Some(whole(id, r, Action::Add)),
            (Some(r), None) => Some(whole(id, r, Action::Remove)),
            (Some(a), Some(b)) if a != b => Some(modified(id, a, b)),
            _ => None,
        })
        .collect()
}

fn resource_type(resource: &Value) -> String {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

fn retained(resource: &Value) -> bool {
    matches!(
        resource.get("DeletionPolicy").and_then(Value::as_str),
        Some("Retain" | "RetainExceptOnCreate" | "Snapshot")
    )
}

fn whole(id: &str, resource: &Value, action: Action) -> ResourceChange {
    let ty = resource_type(resource);
    ResourceChange {
        logical_id: id.to_string(),
        stateful: is_stateful(&ty),
        retained: retained(resource),
        resource_type: ty,
        action,
        replacement: Replacement::Never,
        replacement_source: ReplacementSource::Property,
        code_only: false,
        properties: Vec::new(),
        fixed_name: None,
    }
}

fn modified(id: &str, old: &Value, new: &Value) -> ResourceChange {
    let (old_ty, new_ty) = (resource_type(old), resource_type(new));
    let mut properties = Vec::new();
    let same_type = old_ty == new_ty;
    if !same_type {
        properties.push(PropertyChange {
            path: "Type".into(),
            replacement: Replacement::Always,
            old: Some(Value::String(old_ty)),
            new: Some(Value::String(new_ty.clone())),
        });
    }
    let empty = Map::new();
    let props = |r: &Value| r.get("Properties").and_then(Value::as_object).cloned();
    let (old_props, new_props) = (props(old), props(new));
    let (op, np) = (
        old_props.as_ref().unwrap_or(&empty),
        new_props.as_ref().unwrap_or(&empty),
    );
    let keys: BTreeSet<&String> = op.keys().chain(np.keys()).collect();
    for key in keys {
        let (a, b) = (op.get(key), np.get(key));
        if a != b {
            properties.push(PropertyChange {
                path: format!("Properties.{key}"),
                replacement: property_replacement(&new_ty, key, a, b),
                old: a.cloned(),
                new: b.cloned(),
            });
        }
    }
    for attr in ATTRIBUTES {
        let (a, b) = (old.get(*attr), new.get(*attr));
        if a != b {
            properties.push(PropertyChange {
                path: attr.to_string(),
                replacement: Replacement::Never,
                old: a.cloned(),
                new: b.cloned(),
            });
        }
    }
    let replacement = properties
        .iter()
        .map(|p| p.replacement)
        .max()
        .unwrap_or(Replacement::Never);
    // The name the resource keeps: set on both sides, unchanged, of the same type.
    let fixed_name = name_property(&new_ty)
        .filter(|_| same_type)
        .and_then(|property| {
            let (a, b) = (op.get(property)?, np.get(property)?);
            let shown = match b {
                Value::String(name) => name.clone(),
                other => other.to_string(),
            };
            (a == b).then(|| (property.to_string(), shown))
        });
    let code_only = new_ty == "AWS::Lambda::Function"
        && !properties.is_empty()
        && properties.iter().all(|p| p.path == "Properties.Code");
    ResourceChange {
        logical_id: id.to_string(),
        stateful: is_stateful(&new_ty),
        retained: retained(new),
        resource_type: new_ty,
        action: if replacement == Replacement::Never {
            Action::Modify
        } else {
            Action::Replace
        },
        replacement,
        replacement_source: ReplacementSource::Property,
        code_only,
        properties,
        fixed_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stack(old: Option<Value>, new: Option<Value>) -> StackTemplates {
        StackTemplates {
            name: "Data".into(),
            stack_name: "bubblebatch-dev-data".into(),
            old,
            new,
        }
    }

    #[test]
    fn identical_templates_are_unchanged() {
        let t = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
        let d = diff_stack(&stack(Some(t.clone()), Some(t)));
        assert_eq!(d.status, StackStatus::Unchanged);
        assert!(d.resources.is_empty());
    }

    #[test]
    fn key_order_does_not_matter() {
        let a = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"A": 1, "B": 2}}}});
        let b: Value = serde_json::from_str(
            r#"{"Resources": {"T": {"Properties": {"B": 2, "A": 1}, "Type": "AWS::SNS::Topic"}}}"#,
        )
        .unwrap();
        assert_eq!(
            diff_stack(&stack(Some(a), Some(b))).status,
            StackStatus::Unchanged
        );
    }

    #[test]
    fn a_replacement_that_keeps_a_fixed_name_is_a_conflict() {
        let table = |key: &str, name: &str| {
            json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
                "TableName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]}}}})
        };
        let d = diff_stack(&stack(
            Some(table("pk", "app-dev-table")),
            Some(table("id", "app-dev-table")),
        ));
        let r = &d.resources[0];
        assert!(r.name_conflict());
        let message = r.name_conflict_message("Data").unwrap();
        assert!(
            message.starts_with(
                "Data: Table (AWS::DynamoDB::Table) would be replaced (changed: KeySchema), \
                 but its TableName is fixed to app-dev-table"
            ),
            "{message}"
        );
        assert!(message.contains("give it a new TableName"), "{message}");
        // `plan` says so and exits 1 (the change cannot be applied as it is).
        let report = crate::diff::PlanReport {
            stage: "dev".into(),
            against: "deployed".into(),
            commit: None,
            stacks: vec![d.clone()],
            cost: None,
        };
        assert_eq!(report.plan_exit_code(), crate::diff::exit::ERROR);
        let text = crate::diff::text::render(&report, false);
        assert!(
            text.contains(&format!("REFUSED (CloudFormation would fail): {message}")),
            "{text}"
        );
        let comment = crate::diff::markdown::render(&report);
        assert!(comment.contains(&format!("> - {message}")), "{comment}");
        // Renamed in the same change: the replacement can succeed.
        let renamed = diff_stack(&stack(
            Some(table("pk", "app-dev-table")),
            Some(table("id", "app-dev-table-v2")),
        ));
        assert!(!renamed.resources[0].name_conflict());
        // An in-place change of a named resource is no conflict either.
        let tagged = json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": "app-dev-table", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "Tags": [{"Key": "a", "Value": "b"}]}}}});
        let d = diff_stack(&stack(Some(table("pk", "app-dev-table")), Some(tagged)));
        assert_eq!(d.resources[0].action, Action::Modify);
        assert!(!d.resources[0].name_conflict());
    }

    #[test]
    fn table_key_change_is_a_destructive_replacement() {
        let old = json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table",
            "Properties": {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}}});
        let new = json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table",
            "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}}});
        let d = diff_stack(&stack(Some(old), Some(new)));
        let r = &d.resources[0];
        assert_eq!(r.action, Action::Replace);
        assert!(r.destructive());
        assert_eq!(d.destructive().len(), 1);
    }

    #[test]
    fn retained_bucket_removal_is_not_destructive() {
        let old =
            json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}});
        let d = diff_stack(&stack(Some(old), Some(json!({"Resources": {}}))));
        assert_eq!(d.resources[0].action, Action::Remove);
        assert!(!d.resources[0].destructive());
    }

    #[test]
    fn lambda_code_only_change_is_flagged() {
        let f = |key: &str| {
            json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function",
            "Properties": {"Code": {"S3Bucket": "b", "S3Key": key}, "Handler": "bootstrap"}}}})
        };
        let d = diff_stack(&stack(Some(f("a.zip")), Some(f("b.zip"))));
        assert!(d.resources[0].code_only);
        assert_eq!(d.resources[0].action, Action::Modify);
    }

    #[test]
    fn new_and_removed_stacks() {
        let t = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
        assert_eq!(
            diff_stack(&stack(None, Some(t.clone()))).status,
            StackStatus::New
        );
        let d = diff_stack(&stack(Some(t), None));
        assert_eq!(d.status, StackStatus::Removed);
        assert_eq!(d.resources[0].action, Action::Remove);
    }
}
