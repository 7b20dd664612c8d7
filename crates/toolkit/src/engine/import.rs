//! `import`: adopting existing resources (a hand-made table or bucket) into a stack
//! through an IMPORT change set, so a team can start with the tool without recreating
//! data. The identifier of each resource is its type's primary identifier from the
//! registry schema (`TableName`, `BucketName`).
//!
//! CloudFormation's rules, checked here first: an import changes nothing but the imported
//! resources (the template is the deployed one plus them), and every imported resource
//! carries a `DeletionPolicy` (we write `Retain`: the resource outlives a mistake; the next
//! deploy sets what the code declares).
use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use serde_json::{json, Map, Value};

use super::cfn::{is_no_changes_reason, TemplateSource};
use super::cfn::{stage_tags, Cfn, ChangeSetKind, ChangeSetRequest, ResourceToImport};
use super::deploy::{Engine, StackDeployment};
use crate::diff::moves::references;

/// `LogicalId=identifier` from the command line. For a type whose primary identifier has
/// several properties: `LogicalId=Prop1=v1,Prop2=v2`.
pub fn parse_resource_arg(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((id, value)) if !id.is_empty() && !value.is_empty() => {
            Ok((id.to_string(), value.to_string()))
        }
        _ => {
            bail!("--resource {arg:?}: expected <LogicalId>=<identifier>, e.g. Table=my-table-name")
        }
    }
}

/// The import change set's contents: what to import and the template to send.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub resources: Vec<ResourceToImport>,
    pub template: Value,
}

fn resources(t: &Value) -> Option<&Map<String, Value>> {
    t.get("Resources").and_then(Value::as_object)
}

/// Checks the request against the synthesized template (`new`) and the deployed one, and
/// builds the import. `given`: `(logical ID, identifier)` pairs; empty imports every
/// data-holding resource the stack declares and has not deployed, identified by the names
/// its template sets.
pub fn plan_import(
    stack: &str,
    new: &Value,
    deployed: Option<&Value>,
    given: &[(String, String)],
) -> Result<ImportPlan> {
    let declared = resources(new).ok_or_else(|| anyhow!("{stack}: template has no Resources"))?;
    let in_stack = |id: &str| {
        deployed
            .and_then(resources)
            .is_some_and(|r| r.contains_key(id))
    };
    let wanted: Vec<(String, Option<String>)> = if given.is_empty() {
        let candidates: Vec<(String, Option<String>)> = declared
            .iter()
            .filter(|(id, r)| {
                !in_stack(id)
                    && r.get("Type")
                        .and_then(Value::as_str)
                        .and_then(cfn::registry::lookup)
                        .is_some_and(|t| t.holds_data && !t.primary_identifier.is_empty())
            })
            .map(|(id, _)| (id.clone(), None))
            .collect();
        if candidates.is_empty() {
            bail!(
                "{stack}: nothing to import: every data-holding resource of the stack is \
                 deployed already. Name one with --resource <LogicalId>=<identifier>."
            );
        }
        candidates
    } else {
        given
            .iter()
            .map(|(id, v)| (id.clone(), Some(v.clone())))
            .collect()
    };

    let mut template = deployed.cloned().unwrap_or_else(|| {
        json!({"AWSTemplateFormatVersion": "2010-09-09", "Description": new.get("Description"),
               "Resources": {}})
    });
    let mut imports = Vec::new();
    for (id, value) in &wanted {
        let Some(resource) = declared.get(id) else {
            bail!(
                "{stack}: {id} is not in the stack's template, so there is nothing to adopt it \
                 as. Declare it in the stack code first (same properties as the existing \
                 resource), then import. The template's resources: {}.",
                declared.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        };
        if in_stack(id) {
            bail!("{stack}: {id} is already part of the deployed stack; nothing to import.");
        }
        let ty = resource.get("Type").and_then(Value::as_str).unwrap_or("?");
        let info = cfn::registry::lookup(ty)
            .filter(|t| !t.primary_identifier.is_empty() && !t.permissions.read.is_empty());
        let Some(info) = info else {
            bail!(
                "{stack}: {id} is a {ty}, which CloudFormation cannot import (its schema has no \
                 primary identifier or read handler). Create it through a deploy instead."
            );
        };
        let identifier = identifier(stack, id, resource, info.primary_identifier, value)?;
        imports.push(ResourceToImport {
            resource_type: ty.to_string(),
            logical_id: id.clone(),
            identifier,
        });
        let mut adopted = resource.clone();
        adopted["DeletionPolicy"] = json!("Retain");
        adopted["UpdateReplacePolicy"] = json!("Retain");
        template["Resources"][id.as_str()] = adopted;
    }
    // An import may add nothing else, so what the imported resources refer to must be
    // in the stack already.
    let present = |k: &str| {
        resources(&template).is_some_and(|r| r.contains_key(k))
            || template.get("Parameters").and_then(|p| p.get(k)).is_some()
    };
    for r in &imports {
        let resource = &template["Resources"][r.logical_id.as_str()];
        let params = new.get("Parameters").and_then(Value::as_object);
        let missing: Vec<&String> = declared
            .keys()
            .chain(params.into_iter().flat_map(|p| p.keys()))
            .filter(|k| !present(k) && references(resource, k))
            .collect();
        if !missing.is_empty() {
            bail!(
                "{stack}: {} refers to {}, which the deployed stack does not have: an import \
                 can add nothing but the imported resources. Deploy the stack without {} \
                 first, then import.",
                r.logical_id,
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                r.logical_id
            );
        }
    }
    Ok(ImportPlan {
        resources: imports,
        template,
    })
}

/// The primary identifier's values: given on the command line, else the literal value
/// the template sets (a table's `TableName`).
fn identifier(
    stack: &str,
    id: &str,
    resource: &Value,
    keys: &[&str],
    given: &Option<String>,
) -> Result<BTreeMap<String, String>> {
    let usage = format!(
        "--resource {id}={}",
        keys.iter()
            .map(|k| format!("<{k}>"))
            .collect::<Vec<_>>()
            .join(",")
    );
    match given {
        Some(v) if keys.len() == 1 && !v.contains('=') => {
            Ok(BTreeMap::from([(keys[0].to_string(), v.clone())]))
        }
        Some(v) => {
            let pairs: BTreeMap<String, String> = v
                .split(',')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let missing: Vec<&&str> = keys.iter().filter(|k| !pairs.contains_key(**k)).collect();
            if !missing.is_empty() || pairs.len() != keys.len() {
                bail!(
                    "{stack}: the identifier of {id} is {}: pass {usage} with Key=value pairs",
                    keys.join(" + ")
                );
            }
            Ok(pairs)
        }
        None => keys
            .iter()
            .map(|k| {
                let literal = k
                    .split('/')
                    .try_fold(resource.get("Properties"), |v, part| Some(v?.get(part)))
                    .flatten()
                    .and_then(Value::as_str);
                match literal {
                    Some(v) => Ok((k.to_string(), v.to_string())),
                    None => Err(anyhow!(
                        "{stack}: the identifier of {id} ({k}) is missing: the template does not \
                         set it to a plain value. Pass it: {usage}."
                    )),
                }
            })
            .collect(),
    }
}

impl<C: Cfn> Engine<'_, C> {
    /// Imports resources into one stack through an IMPORT change set and waits for it.
    pub async fn import(
        &self,
        d: &StackDeployment,
        given: &[(String, String)],
    ) -> Result<Vec<ResourceToImport>> {
        let stack = d.stack_name.as_str();
        let info = self.describe(stack).await?;
        if let Some(s) = &info {
            if s.status.ends_with("_IN_PROGRESS") && s.status != "REVIEW_IN_PROGRESS" {
                bail!(
                    "{} ({stack}) is {}: wait for the running operation, then import.",
                    d.name,
                    s.status
                );
            }
        }
        let exists = info.as_ref().filter(|s| s.status != "REVIEW_IN_PROGRESS");
        let deployed = match exists {
            Some(_) => {
                let body = self
                    .call("GetTemplate", || self.cfn.get_template(stack))
                    .await?;
                Some(
                    serde_json::from_str::<Value>(&body)
                        .map_err(|e| anyhow!("{stack}: deployed template is not JSON: {e}"))?,
                )
            }
            None => None,
        };
        let new: Value = serde_json::from_str(&d.template)
            .map_err(|e| anyhow!("{}: template is not JSON: {e}", d.name))?;
        let plan = plan_import(&d.name, &new, deployed.as_ref(), given)?;
        // The template's parameters keep their deployed values.
        let parameters = exists
            .map(|s| {
                s.parameters
                    .iter()
                    .filter(|(k, _)| {
                        plan.template
                            .get("Parameters")
                            .and_then(|p| p.get(k.as_str()))
                            .is_some()
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let change_set = format!("bb-import-{}", std::process::id());
        let request = ChangeSetRequest {
            stack_name: stack.to_string(),
            change_set_name: change_set.clone(),
            kind: ChangeSetKind::Import,
            template: TemplateSource::Body(serde_json::to_string(&plan.template)?),
            parameters,
            tags: stage_tags(self.stage),
            rollback: None,
            resources_to_import: plan.resources.clone(),
        };
        let progress = self.ui.stack(&d.name);
        for r in &plan.resources {
            let id: Vec<String> = r
                .identifier
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            progress.step(&format!(
                "importing {} ({}) identified by {} (DeletionPolicy Retain)",
                r.logical_id,
                r.resource_type,
                id.join(", ")
            ));
        }
        self.call("CreateChangeSet", || self.cfn.create_change_set(&request))
            .await
            .map_err(|e| {
                anyhow!(
                    "{} ({stack}): the IMPORT change set was refused: {e}",
                    d.name
                )
            })?;
        let cs = self.wait_change_set(d, &change_set).await?;
        if cs.status == "FAILED" {
            let reason = cs.status_reason.unwrap_or_default();
            let _ = self.cfn.delete_change_set(stack, &change_set).await;
            if is_no_changes_reason(&reason) {
                bail!("{} ({stack}): nothing to import: {reason}", d.name);
            }
            bail!(
                "{} ({stack}): the IMPORT change set failed: {reason}. Check that the resource \
                 exists with that identifier in this account and region, and that the template \
                 declares it as it is.",
                d.name
            );
        }
        let since = match exists {
            Some(_) => self
                .call("DescribeStackEvents", || self.cfn.stack_events(stack))
                .await?
                .first()
                .map(|e| e.event_id.clone()),
            None => None,
        };
        self.call("ExecuteChangeSet", || {
            self.cfn.execute_change_set(stack, &change_set)
        })
        .await
        .map_err(|e| anyhow!("{} ({stack}): executing the import failed: {e}", d.name))?;
        let result = self.follow(d, since.as_deref(), &progress).await;
        progress.finish(if result.is_ok() { "imported" } else { "FAILED" });
        result?;
        Ok(plan.resources)
    }
}
