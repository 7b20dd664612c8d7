//! `deploy --hotswap`: UpdateFunctionCode when only Lambda code changed.
use anyhow::Result;

use super::cfn::Cfn;
use super::deploy::{code_changes, Engine, StackDeployment};
use crate::diff::CodeChange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HotswapPlan {
    /// Only these functions' code changed.
    Functions(Vec<CodeChange>),
    /// Something else changed (or a stack is missing): deploy with change sets.
    NotPossible(String),
}

fn same_json(a: &str, b: &str) -> bool {
    matches!(
        (serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

pub async fn plan<C: Cfn>(
    engine: &Engine<'_, C>,
    stacks: &[StackDeployment],
) -> Result<HotswapPlan> {
    let mut functions = Vec::new();
    for d in stacks {
        let Some(info) = engine.describe(&d.stack_name).await? else {
            return Ok(HotswapPlan::NotPossible(format!(
                "{} is not deployed yet",
                d.name
            )));
        };
        let body = engine
            .call("GetTemplate", || engine.cfn.get_template(&d.stack_name))
            .await?;
        if !same_json(&body, &d.template) {
            return Ok(HotswapPlan::NotPossible(format!(
                "{}: the template changed",
                d.name
            )));
        }
        let other_param_changed = d
            .parameters
            .iter()
            .any(|(k, v)| !d.code_parameters.contains_key(k) && info.parameters.get(k) != Some(v));
        if other_param_changed {
            return Ok(HotswapPlan::NotPossible(format!(
                "{}: a parameter other than code changed",
                d.name
            )));
        }
        functions.extend(code_changes(d, &info.parameters));
    }
    Ok(HotswapPlan::Functions(functions))
}

/// Points each function at its new zip; returns the new code hashes.
pub async fn apply(
    lambda: &aws_sdk_lambda::Client,
    bucket: &str,
    changes: &[CodeChange],
    engine_ui: &super::ui::Ui,
) -> Result<Vec<(String, String)>> {
    let mut hashes = Vec::new();
    for c in changes {
        let out = lambda
            .update_function_code()
            .function_name(&c.function_name)
            .s3_bucket(bucket)
            .s3_key(&c.new_key)
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "hotswap of {} failed: {}",
                    c.function_name,
                    aws_sdk_lambda::error::DisplayErrorContext(&e)
                )
            })?;
        let hash = out.code_sha256().unwrap_or_default().to_string();
        engine_ui.say(format!("hotswapped {}: code {}", c.function_name, hash));
        hashes.push((c.function_name.clone(), hash));
    }
    Ok(hashes)
}
