//! Stage-level operations over any [`Cfn`]: prepare deployments, diff against deployed
//! stacks, destroy, drift.
use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Result};
use serde_json::Value;

use super::assets::Asset;
use super::bootstrap;
use super::cfn::{stage_tags, Cfn, ChangeSetKind, ChangeSetRequest, TemplateSource};
use super::deploy::{
    code_changes, replacement_verdicts, Engine, StackDeployment, MAX_TEMPLATE_BODY,
};
use super::order;
use crate::app::Stage;
use crate::diff::{self, PlanReport, StackTemplates};
use crate::synth::{SynthesizedStack, ASSETS_BUCKET_PARAMETER};

/// Whether a template declares a parameter.
fn declares(template: &Value, parameter: &str) -> bool {
    template
        .get("Parameters")
        .and_then(|p| p.get(parameter))
        .is_some()
}

/// Synthesized stacks → deployments: the bucket and code keys as parameters.
pub fn prepare(
    stacks: &[SynthesizedStack],
    bucket: Option<&str>,
    assets: &BTreeMap<String, Asset>,
) -> Result<Vec<StackDeployment>> {
    stacks
        .iter()
        .map(|s| {
            let template: &Value = &s.template;
            let mut parameters = BTreeMap::new();
            let mut code_parameters = BTreeMap::new();
            if declares(template, ASSETS_BUCKET_PARAMETER) {
                match bucket {
                    Some(b) => {
                        parameters.insert(ASSETS_BUCKET_PARAMETER.to_string(), b.to_string());
                    }
                    None => bail!("{} needs the assets bucket: run `bootstrap` first", s.name),
                }
            }
            for code in &s.lambda_code {
                let Some(asset) = assets.get(&code.binary) else {
                    bail!("{}: no zip for Lambda binary '{}'", s.name, code.binary);
                };
                parameters.insert(code.key_parameter.clone(), asset.key());
                code_parameters.insert(code.key_parameter.clone(), code.function_name.clone());
            }
            Ok(StackDeployment {
                name: s.name.clone(),
                stack_name: s.stack_name.clone(),
                template: s.template_json.clone(),
                template_url: None,
                parameters,
                code_parameters,
                depends_on: s.depends_on.clone(),
            })
        })
        .collect()
}

/// Templates that must go through S3 (`TemplateURL`).
pub fn oversized(stacks: &[StackDeployment]) -> Vec<usize> {
    stacks
        .iter()
        .enumerate()
        .filter(|(_, s)| s.template.len() > MAX_TEMPLATE_BODY)
        .map(|(i, _)| i)
        .collect()
}

/// The bootstrap stack as a deployment.
pub fn bootstrap_deployment(stage: Stage) -> StackDeployment {
    StackDeployment {
        name: "Bootstrap".into(),
        stack_name: bootstrap::stack_name(stage),
        template: bootstrap::template_json(stage),
        template_url: None,
        parameters: BTreeMap::new(),
        code_parameters: BTreeMap::new(),
        depends_on: Vec::new(),
    }
}

/// The assets bucket's name, from the bootstrap stack.
pub async fn assets_bucket<C: Cfn>(engine: &Engine<'_, C>) -> Result<Option<String>> {
    let stack = bootstrap::stack_name(engine.stage);
    if engine.describe(&stack).await?.is_none() {
        return Ok(None);
    }
    Ok(engine
        .call("DescribeStackResource", || {
            engine.cfn.physical_id(&stack, bootstrap::BUCKET_LOGICAL_ID)
        })
        .await?)
}

/// Synthesized stacks against the deployed ones (missing stacks are new).
/// With `change_sets`, each changed stack also gets a change set (deleted afterwards) so
/// replacement comes from AWS where it reports it.
pub async fn diff_deployed<C: Cfn>(
    engine: &Engine<'_, C>,
    stacks: &[StackDeployment],
    change_sets: bool,
) -> Result<PlanReport> {
    let mut report = PlanReport {
        stage: engine.stage.name().to_string(),
        against: "deployed".into(),
        commit: None,
        stacks: Vec::new(),
        cost: None,
    };
    // `moved` declarations: compare with the deployed templates as they are after the moves.
    let refactor = engine.refactor_plan(stacks).await?;
    for d in stacks {
        let info = engine.describe(&d.stack_name).await?;
        let old = match &info {
            Some(s) if s.status != "REVIEW_IN_PROGRESS" => {
                let body = engine
                    .call("GetTemplate", || engine.cfn.get_template(&d.stack_name))
                    .await?;
                Some(serde_json::from_str::<Value>(&body)?)
            }
            _ => None,
        };
        let old = refactor.templates.get(&d.stack_name).cloned().or(old);
        let mut sd = diff::diff_stack(&StackTemplates {
            name: d.name.clone(),
            stack_name: d.stack_name.clone(),
            old: old.clone(),
            new: Some(serde_json::from_str(&d.template)?),
        });
        sd.add_moves(
            refactor
                .moves
                .iter()
                .filter(|m| m.to_stack == d.stack_name)
                .cloned()
                .collect(),
        );
        if let (Some(info), Some(_)) = (&info, &old) {
            sd.add_code_changes(code_changes(d, &info.parameters));
            if change_sets && !sd.resources.is_empty() {
                let verdicts = change_set_verdicts(engine, d, &info.parameters).await?;
                sd.apply_change_set_replacements(&verdicts);
            }
        }
        report.stacks.push(sd);
    }
    Ok(report)
}

/// Replacement verdicts from a throwaway UPDATE change set. Parameters we don't pass keep
/// their deployed values (code keys when no zips are at hand).
pub async fn change_set_verdicts<C: Cfn>(
    engine: &Engine<'_, C>,
    d: &StackDeployment,
    deployed: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, crate::diff::Replacement>> {
    let template: Value = serde_json::from_str(&d.template)?;
    let mut parameters: BTreeMap<String, String> = deployed
        .iter()
        .filter(|(k, _)| {
            template
                .get("Parameters")
                .and_then(|p| p.get(k.as_str()))
                .is_some_and(|p| p.get("Default").is_none())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    parameters.extend(d.parameters.clone());
    let name = format!("bb-diff-{}", std::process::id());
    let request = ChangeSetRequest {
        stack_name: d.stack_name.clone(),
        change_set_name: name.clone(),
        kind: ChangeSetKind::Update,
        tags: stage_tags(engine.stage),
        template: match &d.template_url {
            Some(url) => TemplateSource::Url(url.clone()),
            None => TemplateSource::Body(d.template.clone()),
        },
        parameters,
        // Never executed: no rollback configuration.
        rollback: None,
        resources_to_import: Vec::new(),
    };
    match engine
        .call("CreateChangeSet", || engine.cfn.create_change_set(&request))
        .await
    {
        Ok(_) => {}
        Err(e) if e.is_no_changes() => return Ok(BTreeMap::new()),
        Err(e) => bail!("{}: change set for the diff failed: {e}", d.name),
    }
    let info = engine.wait_change_set(d, &name).await;
    let _ = engine.cfn.delete_change_set(&d.stack_name, &name).await;
    Ok(replacement_verdicts(&info?))
}

/// Deletes the stacks in reverse dependency order; prints what is retained.
pub async fn destroy<C: Cfn>(engine: &Engine<'_, C>, stacks: &[StackDeployment]) -> Result<usize> {
    let order = order::delete_order(
        stacks
            .iter()
            .map(|s| (s.stack_name.as_str(), s.depends_on.as_slice())),
    )?;
    let mut deleted = 0;
    for stack_name in order {
        let d = stacks
            .iter()
            .find(|s| s.stack_name == stack_name)
            .expect("from list");
        let progress = engine.ui.stack(&d.name);
        let Some(info) = engine.describe(&stack_name).await? else {
            progress.finish("not deployed");
            continue;
        };
        if let Ok(body) = engine
            .call("GetTemplate", || engine.cfn.get_template(&stack_name))
            .await
        {
            for (id, ty) in retained(&body) {
                engine.ui.say(format!(
                    "{}: keeping {id} ({ty}): DeletionPolicy Retain",
                    d.name
                ));
            }
        }
        progress.step(&format!("deleting ({})", info.status));
        engine
            .call("DeleteStack", || engine.cfn.delete_stack(&stack_name))
            .await?;
        let deadline = Instant::now() + engine.timing.stack_wait;
        loop {
            match engine.describe(&stack_name).await? {
                None => break,
                Some(s) if s.status == "DELETE_FAILED" => {
                    let reason = engine.first_failure(&stack_name, None).await;
                    progress.finish("FAILED");
                    bail!(
                        "{} ({stack_name}) could not be deleted: {reason}. Empty what blocks it \
                         (e.g. a non-empty bucket) or retain it, then run destroy again.",
                        d.name
                    );
                }
                Some(s) if Instant::now() >= deadline => bail!("{stack_name} still {}", s.status),
                Some(_) => tokio::time::sleep(engine.timing.poll).await,
            }
        }
        progress.finish("deleted");
        deleted += 1;
    }
    Ok(deleted)
}

/// Logical ID and type of every resource with `DeletionPolicy: Retain`.
pub fn retained(template: &str) -> Vec<(String, String)> {
    let Ok(t) = serde_json::from_str::<Value>(template) else {
        return Vec::new();
    };
    t.get("Resources")
        .and_then(Value::as_object)
        .map(|r| {
            r.iter()
                .filter(|(_, v)| {
                    matches!(
                        v.get("DeletionPolicy").and_then(Value::as_str),
                        Some("Retain" | "RetainExceptOnCreate")
                    )
                })
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.get("Type")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Runs drift detection on every deployed stack; returns the number of drifted resources.
pub async fn drift<C: Cfn>(engine: &Engine<'_, C>, stacks: &[StackDeployment]) -> Result<usize> {
    let mut drifted = 0;
    for d in stacks {
        if engine.describe(&d.stack_name).await?.is_none() {
            engine.ui.say(format!("{}: not deployed", d.name));
            continue;
        }
        let id = engine
            .call("DetectStackDrift", || {
                engine.cfn.detect_drift(&d.stack_name)
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}: drift detection failed to start: {e}", d.name))?;
        let deadline = Instant::now() + engine.timing.stack_wait;
        let status = loop {
            let s = engine
                .call("DescribeStackDriftDetectionStatus", || {
                    engine.cfn.drift_status(&id)
                })
                .await?;
            if s.detection != "DETECTION_IN_PROGRESS" || Instant::now() >= deadline {
                break s;
            }
            tokio::time::sleep(engine.timing.poll).await;
        };
        if status.detection == "DETECTION_FAILED" {
            engine.ui.say(format!(
                "{}: drift detection incomplete: {}",
                d.name,
                status.reason.as_deref().unwrap_or("no reason given")
            ));
        }
        let resources = engine
            .call("DescribeStackResourceDrifts", || {
                engine.cfn.resource_drifts(&d.stack_name)
            })
            .await?;
        if resources.is_empty() {
            engine.ui.say(format!("{}: in sync", d.name));
        }
        for r in &resources {
            engine.ui.say(format!(
                "{}: {} ({}) {}",
                d.name, r.logical_id, r.resource_type, r.status
            ));
            for diff in &r.differences {
                engine.ui.say(format!("    {diff}"));
            }
        }
        drifted += resources.len();
    }
    Ok(drifted)
}

/// Deployments for operations that need only names and order (destroy, drift).
pub fn prepare_names(stacks: &[SynthesizedStack]) -> Vec<StackDeployment> {
    stacks
        .iter()
        .map(|s| StackDeployment {
            name: s.name.clone(),
            stack_name: s.stack_name.clone(),
            template: s.template_json.clone(),
            template_url: None,
            parameters: BTreeMap::new(),
            code_parameters: BTreeMap::new(),
            depends_on: s.depends_on.clone(),
        })
        .collect()
}
