//! `moved` declarations against deployed templates: which moves are still to do, and the
//! deployed templates as they look after them (the stack refactoring's definitions, and
//! the "old" side of a diff, so a moved resource is never shown as removed + added).
//!
//! A stack refactoring may not change anything but logical IDs and stacks, so the
//! definitions are the deployed templates with the resources renamed and the references
//! to them rewritten; the change sets after it bring everything else.
use std::collections::{BTreeMap, BTreeSet};

use constructs::moved::{declared, Moved};
use serde::Serialize;
use serde_json::{Map, Value};

/// A move with both stacks named (CloudFormation stack names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceMove {
    pub from_stack: String,
    pub from: String,
    pub to_stack: String,
    pub to: String,
    /// From the deployed template ("?" while unknown).
    pub resource_type: String,
}

impl ResourceMove {
    pub fn cross_stack(&self) -> bool {
        self.from_stack != self.to_stack
    }

    /// `Old → New`, with the stacks when they differ.
    pub fn describe(&self) -> String {
        if self.cross_stack() {
            format!(
                "{}/{} → {}/{}",
                self.from_stack, self.from, self.to_stack, self.to
            )
        } else {
            format!("{} → {}", self.from, self.to)
        }
    }
}

/// The moves every synthesized template declares: `(stack name, template)` pairs.
pub fn declared_moves(stacks: &[(String, Value)]) -> Result<Vec<ResourceMove>, String> {
    let mut moves = Vec::new();
    for (stack_name, template) in stacks {
        for Moved {
            from,
            from_stack,
            to,
        } in declared(template).map_err(|e| format!("{stack_name}: {e}"))?
        {
            let declared_here = template.get("Resources").and_then(|r| r.get(&to)).is_some();
            if !declared_here {
                return Err(format!(
                    "{stack_name}: moved {from} → {to}, but the stack declares no resource {to}. \
                     Name the resource's new logical ID as the target."
                ));
            }
            moves.push(ResourceMove {
                from_stack: from_stack.unwrap_or_else(|| stack_name.clone()),
                from,
                to_stack: stack_name.clone(),
                to,
                resource_type: "?".into(),
            });
        }
    }
    let mut sources = BTreeSet::new();
    for m in &moves {
        if !sources.insert((m.from_stack.as_str(), m.from.as_str())) {
            return Err(format!(
                "{}/{} is declared as moved twice: a resource can move to one place only.",
                m.from_stack, m.from
            ));
        }
    }
    Ok(moves)
}

fn resources(template: &Value) -> Option<&Map<String, Value>> {
    template.get("Resources").and_then(Value::as_object)
}

/// The moves still to do. `deployed`: stack name → deployed template, for the stacks that
/// exist. A move whose source stack is not deployed, or whose target is already there, is
/// done (nothing to move); one whose source resource is not in the deployed stack is an
/// error, as is one whose source and target both exist.
pub fn pending(
    declared: &[ResourceMove],
    deployed: &BTreeMap<String, Value>,
) -> Result<Vec<ResourceMove>, String> {
    let mut todo = Vec::new();
    for m in declared {
        let Some(source) = deployed.get(&m.from_stack) else {
            continue;
        };
        let target_has = deployed
            .get(&m.to_stack)
            .and_then(resources)
            .is_some_and(|r| r.contains_key(&m.to));
        match resources(source).and_then(|r| r.get(&m.from)) {
            Some(_) if target_has => {
                return Err(format!(
                    "moved {}: both {} (in {}) and {} (in {}) are deployed, so there is \
                     nothing to rename into. Remove the declaration, or remove one of the two \
                     resources first.",
                    m.describe(),
                    m.from,
                    m.from_stack,
                    m.to,
                    m.to_stack
                ))
            }
            Some(resource) => todo.push(ResourceMove {
                resource_type: resource
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string(),
                ..m.clone()
            }),
            None if target_has => {}
            None => {
                let known: Vec<&str> = resources(source)
                    .map(|r| r.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                return Err(format!(
                    "moved {}: the deployed stack {} has no resource {} (and {} has no {} \
                     yet), so there is nothing to move. Check the old logical ID; the stack's \
                     resources are: {}.",
                    m.describe(),
                    m.from_stack,
                    m.from,
                    m.to_stack,
                    m.to,
                    known.join(", ")
                ));
            }
        }
    }
    Ok(todo)
}

/// The deployed templates after the moves, for every stack a move touches (a target
/// stack that does not exist yet starts empty). A source that still references a
/// resource moved to another stack is an error: CloudFormation would reject it.
pub fn apply(
    moves: &[ResourceMove],
    deployed: &BTreeMap<String, Value>,
) -> Result<BTreeMap<String, Value>, String> {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for m in moves {
        for stack in [&m.from_stack, &m.to_stack] {
            if !out.contains_key(stack) {
                let t = deployed.get(stack).cloned().unwrap_or_else(|| {
                    serde_json::json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}})
                });
                out.insert(stack.clone(), t);
            }
        }
    }
    for m in moves {
        let resource = out
            .get_mut(&m.from_stack)
            .and_then(|t| t.get_mut("Resources"))
            .and_then(Value::as_object_mut)
            .and_then(|r| r.remove(&m.from))
            .ok_or_else(|| format!("moved {}: {} is gone", m.describe(), m.from))?;
        if m.cross_stack() {
            let source = &out[&m.from_stack];
            if references(source, &m.from) {
                return Err(format!(
                    "moved {}: other parts of {} still reference {} (Ref, Fn::GetAtt, Fn::Sub or \
                     DependsOn). A refactoring cannot leave a reference behind: publish the \
                     value from {} and read it there, deploy that, then move.",
                    m.describe(),
                    m.from_stack,
                    m.from,
                    m.to_stack
                ));
            }
        }
        let target = out.get_mut(&m.to_stack).expect("inserted above");
        if let Some(r) = target.get_mut("Resources").and_then(Value::as_object_mut) {
            r.insert(m.to.clone(), resource);
        }
        if !m.cross_stack() {
            rename_references(target, &m.from, &m.to);
        }
    }
    Ok(out)
}

/// Whether anything in `template` refers to the logical ID `id`.
pub fn references(template: &Value, id: &str) -> bool {
    let mut probe = template.clone();
    rename_references(&mut probe, id, "\u{0}moved\u{0}");
    probe != *template
}

/// Rewrites `Ref`, `Fn::GetAtt`, `${...}` in `Fn::Sub` and `DependsOn` from `from` to `to`.
pub fn rename_references(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), &mut *v) {
                    ("Ref", Value::String(s)) if s == from => *s = to.to_string(),
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        if let Some(Value::String(s)) = parts.first_mut() {
                            if s == from {
                                *s = to.to_string();
                            }
                        }
                    }
                    ("Fn::GetAtt", Value::String(s)) => {
                        if let Some(attr) = s.strip_prefix(&format!("{from}.")) {
                            *s = format!("{to}.{attr}");
                        }
                    }
                    ("Fn::Sub", Value::String(s)) => *s = rename_in_sub(s, from, to),
                    ("Fn::Sub", Value::Array(parts)) => {
                        if let Some(Value::String(s)) = parts.first_mut() {
                            *s = rename_in_sub(s, from, to);
                        }
                    }
                    ("DependsOn", Value::String(s)) if s == from => *s = to.to_string(),
                    ("DependsOn", Value::Array(ids)) => {
                        for id in ids.iter_mut() {
                            if id.as_str() == Some(from) {
                                *id = Value::String(to.to_string());
                            }
                        }
                    }
                    _ => {}
                }
                rename_references(v, from, to);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rename_references(v, from, to)),
        _ => {}
    }
}

fn rename_in_sub(s: &str, from: &str, to: &str) -> String {
    s.replace(&format!("${{{from}}}"), &format!("${{{to}}}"))
        .replace(&format!("${{{from}."), &format!("${{{to}."))
}

/// Both sides of a comparison with the declared moves done on the old side; the moves
/// still to do. Stacks only the old side has may be move sources.
pub fn with_moves(
    stacks: &[super::StackTemplates],
) -> Result<(Vec<super::StackTemplates>, Vec<ResourceMove>), String> {
    let new: Vec<(String, Value)> = stacks
        .iter()
        .filter_map(|s| Some((s.stack_name.clone(), s.new.clone()?)))
        .collect();
    let deployed: BTreeMap<String, Value> = stacks
        .iter()
        .filter_map(|s| Some((s.stack_name.clone(), s.old.clone()?)))
        .collect();
    let todo = pending(&declared_moves(&new)?, &deployed)?;
    let moved = apply(&todo, &deployed)?;
    let stacks = stacks
        .iter()
        .cloned()
        .map(|mut s| {
            if let Some(t) = moved.get(&s.stack_name) {
                s.old = Some(t.clone());
            }
            s
        })
        .collect();
    Ok((stacks, todo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployed() -> BTreeMap<String, Value> {
        BTreeMap::from([(
            "app-data".to_string(),
            json!({"Resources": {
                "Old": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "t"}},
                "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": ["Old"], "Properties": {
                    "Environment": {"Variables": {
                        "T": {"Ref": "Old"},
                        "A": {"Fn::GetAtt": ["Old", "Arn"]},
                        "S": {"Fn::Sub": "arn:${Old}/index/*"}}}}}
            }}),
        )])
    }

    fn rename(from_stack: &str, to_stack: &str) -> ResourceMove {
        ResourceMove {
            from_stack: from_stack.into(),
            from: "Old".into(),
            to_stack: to_stack.into(),
            to: "New".into(),
            resource_type: "?".into(),
        }
    }

    #[test]
    fn a_rename_rewrites_every_reference_and_keeps_the_definition() {
        let todo = pending(&[rename("app-data", "app-data")], &deployed()).unwrap();
        assert_eq!(todo[0].resource_type, "AWS::DynamoDB::Table");
        let after = apply(&todo, &deployed()).unwrap();
        let t = &after["app-data"];
        assert_eq!(
            t["Resources"]["New"],
            deployed()["app-data"]["Resources"]["Old"]
        );
        assert!(t["Resources"].get("Old").is_none());
        assert!(!references(t, "Old"), "{t}");
        let vars = &t["Resources"]["Fn"]["Properties"]["Environment"]["Variables"];
        assert_eq!(vars["S"], json!({"Fn::Sub": "arn:${New}/index/*"}));
        assert_eq!(t["Resources"]["Fn"]["DependsOn"], json!(["New"]));
    }

    #[test]
    fn done_moves_are_no_ops_and_missing_sources_are_errors() {
        let mut after = deployed();
        after.insert(
            "app-data".into(),
            json!({"Resources": {"New": {"Type": "X"}}}),
        );
        assert!(pending(&[rename("app-data", "app-data")], &after)
            .unwrap()
            .is_empty());
        assert!(pending(&[rename("app-gone", "app-data")], &deployed())
            .unwrap()
            .is_empty());
        let typo = ResourceMove {
            from: "Olde".into(),
            ..rename("app-data", "app-data")
        };
        let e = pending(&[typo], &deployed()).unwrap_err();
        assert!(e.contains("has no resource Olde"), "{e}");
    }

    #[test]
    fn a_cross_stack_move_refuses_to_leave_references_behind() {
        let e = apply(&[rename("app-data", "app-store")], &deployed()).unwrap_err();
        assert!(e.contains("still reference Old"), "{e}");
        let lone = BTreeMap::from([(
            "app-data".to_string(),
            json!({"Resources": {"Old": {"Type": "T"}, "Keep": {"Type": "K"}}}),
        )]);
        let after = apply(&[rename("app-data", "app-store")], &lone).unwrap();
        assert_eq!(after["app-store"]["Resources"]["New"], json!({"Type": "T"}));
        assert_eq!(
            after["app-data"]["Resources"],
            json!({"Keep": {"Type": "K"}})
        );
    }
}
