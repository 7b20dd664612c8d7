//! `moved` declarations at deploy time: a CloudFormation stack refactoring that renames
//! (or moves between stacks) the deployed resources, run before the change sets, so the
//! change sets see the resource under its new ID and never replace it.
use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{anyhow, bail, Result};
use serde_json::Value;

use super::cfn::{Cfn, RefactorInfo, RefactorMapping, RefactorRequest};
use super::deploy::{Engine, StackDeployment, MAX_TEMPLATE_BODY};
use crate::diff::moves::{apply, declared_moves, pending, ResourceMove};

/// What a refactoring of the stage would do: the moves, and the deployed templates after
/// them (stack name → template) for every stack they touch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefactorPlan {
    pub moves: Vec<ResourceMove>,
    pub templates: BTreeMap<String, Value>,
    /// Target stacks that are not deployed yet (the refactoring creates them).
    pub new_stacks: Vec<String>,
}

impl<C: Cfn> Engine<'_, C> {
    /// The moves the stacks declare that are still to do against what is deployed.
    pub async fn refactor_plan(&self, stacks: &[StackDeployment]) -> Result<RefactorPlan> {
        let mut new = Vec::new();
        for d in stacks {
            let t: Value = serde_json::from_str(&d.template)
                .map_err(|e| anyhow!("{}: template is not JSON: {e}", d.name))?;
            new.push((d.stack_name.clone(), t));
        }
        let declared = declared_moves(&new).map_err(anyhow::Error::msg)?;
        if declared.is_empty() {
            return Ok(RefactorPlan::default());
        }
        let mut deployed = BTreeMap::new();
        let mut names: Vec<&String> = declared
            .iter()
            .flat_map(|m| [&m.from_stack, &m.to_stack])
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            let info = self.describe(name).await?;
            if info.is_none_or(|s| s.status == "REVIEW_IN_PROGRESS") {
                continue;
            }
            let body = self
                .call("GetTemplate", || self.cfn.get_template(name))
                .await?;
            let t: Value = serde_json::from_str(&body)
                .map_err(|e| anyhow!("{name}: deployed template is not JSON: {e}"))?;
            deployed.insert(name.clone(), t);
        }
        let moves = pending(&declared, &deployed).map_err(anyhow::Error::msg)?;
        let templates = apply(&moves, &deployed).map_err(anyhow::Error::msg)?;
        let new_stacks = templates
            .keys()
            .filter(|k| !deployed.contains_key(*k))
            .cloned()
            .collect();
        Ok(RefactorPlan {
            moves,
            templates,
            new_stacks,
        })
    }

    /// Runs the declared moves as one stack refactoring and waits for it. Returns the
    /// moves done (none when everything is in place already).
    pub async fn refactor(&self, stacks: &[StackDeployment]) -> Result<Vec<ResourceMove>> {
        let plan = self.refactor_plan(stacks).await?;
        if plan.moves.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = plan.moves.iter().map(ResourceMove::describe).collect();
        let what = list.join(", ");
        let mut bodies = BTreeMap::new();
        for (name, t) in &plan.templates {
            let body = serde_json::to_string(t)?;
            if body.len() > MAX_TEMPLATE_BODY {
                bail!(
                    "moving {what}: the template of {name} is {} bytes, over the {MAX_TEMPLATE_BODY} \
                     a stack refactoring takes inline. Split the stack or move in the console.",
                    body.len()
                );
            }
            bodies.insert(name.clone(), body);
        }
        let request = RefactorRequest {
            description: format!("bubblebatch {}: moved {what}", self.stage.name()),
            stacks: bodies,
            mappings: plan
                .moves
                .iter()
                .map(|m| RefactorMapping {
                    from_stack: m.from_stack.clone(),
                    from: m.from.clone(),
                    to_stack: m.to_stack.clone(),
                    to: m.to.clone(),
                })
                .collect(),
            enable_stack_creation: !plan.new_stacks.is_empty(),
        };
        self.ui.say(format!(
            "moving {what} (stack refactoring: same resources, new logical IDs)"
        ));
        let id = self
            .call("CreateStackRefactor", || {
                self.cfn.create_stack_refactor(&request)
            })
            .await
            .map_err(|e| {
                anyhow!(
                    "moving {what}: CreateStackRefactor failed: {e}. Nothing was changed{}.",
                    if e.code.as_deref() == Some("NotImplemented") {
                        " (this CloudFormation endpoint has no stack refactoring; moto lacks it: \
                         deploy the rename against AWS, or remove the declaration to replace)"
                    } else {
                        ""
                    }
                )
            })?;
        let created = self
            .wait_refactor(&id, &what, |i| i.status == "CREATE_IN_PROGRESS")
            .await?;
        if created.status != "CREATE_COMPLETE" {
            bail!(
                "moving {what}: CloudFormation refused the refactoring ({}): {}. Nothing was \
                 changed. What to do: fix the declaration (old and new IDs, stacks), or deploy \
                 the other changes first and move afterwards.",
                created.status,
                created
                    .status_reason
                    .as_deref()
                    .unwrap_or("no reason given")
            );
        }
        self.call("ExecuteStackRefactor", || {
            self.cfn.execute_stack_refactor(&id)
        })
        .await
        .map_err(|e| anyhow!("moving {what}: ExecuteStackRefactor failed: {e}"))?;
        let done = self
            .wait_refactor(&id, &what, |i| {
                matches!(
                    i.execution_status.as_str(),
                    "AVAILABLE" | "EXECUTE_IN_PROGRESS" | "ROLLBACK_IN_PROGRESS"
                )
            })
            .await?;
        if done.execution_status != "EXECUTE_COMPLETE" {
            bail!(
                "moving {what}: the refactoring ended {}: {}. {}",
                done.execution_status,
                done.execution_status_reason
                    .as_deref()
                    .unwrap_or("no reason given"),
                if done.execution_status == "ROLLBACK_COMPLETE" {
                    "The stacks are as before; nothing was deployed. Fix the cause, then deploy again."
                } else {
                    "Look at the stacks' events before deploying again."
                }
            );
        }
        for line in &list {
            self.ui.say(format!("moved {line}"));
        }
        Ok(plan.moves)
    }

    async fn wait_refactor(
        &self,
        id: &str,
        what: &str,
        busy: impl Fn(&RefactorInfo) -> bool,
    ) -> Result<RefactorInfo> {
        let deadline = Instant::now() + self.timing.stack_wait;
        loop {
            let info = self
                .call("DescribeStackRefactor", || {
                    self.cfn.describe_stack_refactor(id)
                })
                .await?;
            if !busy(&info) {
                return Ok(info);
            }
            if Instant::now() >= deadline {
                bail!(
                    "moving {what}: refactoring {id} still {} / {} after {} s",
                    info.status,
                    info.execution_status,
                    self.timing.stack_wait.as_secs()
                );
            }
            tokio::time::sleep(self.timing.poll).await;
        }
    }
}
