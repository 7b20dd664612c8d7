//! The engine's commands: stage-level flows over the SDK clients, and the CLI entry.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::assets;
use super::clients::Clients;
use super::deploy::{Engine, Outcome, Safety, StackDeployment, Timing};
use super::hotswap::{self, HotswapPlan};
use super::outputs::{self, StageOutputs};
use super::sdk::SdkCfn;
use super::stage_ops;
use super::ui::Ui;
use crate::app::Stage;
use crate::diff::PlanReport;
use crate::synth::SynthesizedStack;

/// Everything a stage deploy needs besides the stacks.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub safety: Safety,
    pub hotswap: bool,
    /// Prebuilt zips; `None` builds them into `target/lambda/<stage>` under `repo`.
    pub lambda_dir: Option<PathBuf>,
    pub repo: PathBuf,
    pub outputs_file: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeployResult {
    Deployed(Vec<(String, Outcome)>),
    Hotswapped(Vec<(String, String)>),
}

/// A stage session: SDK clients, the engine and its UI.
pub struct Session {
    pub clients: Clients,
    pub cfn: SdkCfn,
    pub ui: Ui,
    pub stage: Stage,
    pub timing: Timing,
    /// The app's Lambda build script, relative to the repository root.
    pub lambda_build: Option<&'static str>,
    /// How the user runs this app's CLI, for messages: `cargo run -p infra --`.
    pub command: String,
}

impl Session {
    pub fn new(clients: Clients, ui: Ui, stage: Stage) -> Session {
        let local = std::env::var_os("AWS_ENDPOINT_URL").is_some() || clients.local;
        Session {
            cfn: SdkCfn {
                client: clients.cfn.clone(),
                role_arn: clients.cfn_role_arn.clone(),
            },
            clients,
            ui,
            stage,
            timing: Timing::for_endpoint(local),
            lambda_build: None,
            command: "<app>".into(),
        }
    }

    /// Builds missing Lambda zips with this script (called with `--lambda-dir DIR`).
    /// Takes the app's Lambda build script and CLI command (for messages).
    pub fn with_app(mut self, app: &crate::App) -> Session {
        self.lambda_build = app.lambda_build;
        self.command = app.command();
        self
    }

    pub fn engine(&self) -> Engine<'_, SdkCfn> {
        Engine::new(&self.cfn, &self.ui, self.timing, self.stage)
    }

    pub async fn bootstrap(&self) -> Result<String> {
        let engine = self.engine();
        let d = stage_ops::bootstrap_deployment(self.stage);
        // Our own bucket stack: no IAM, nothing stateful replaced by an update.
        let safety = Safety {
            yes: true,
            allow_replace: false,
        };
        engine.deploy_stack(&d, safety, false).await?;
        let bucket = stage_ops::assets_bucket(&engine)
            .await?
            .context("the bootstrap stack has no assets bucket")?;
        self.ui.say(format!("assets bucket: {bucket}"));
        Ok(bucket)
    }

    async fn bucket(&self) -> Result<String> {
        match stage_ops::assets_bucket(&self.engine()).await? {
            Some(b) => Ok(b),
            None => bail!(
                "no assets bucket for {}: run `{} bootstrap --stage {}` first",
                self.stage,
                self.command,
                self.stage
            ),
        }
    }

    /// Zips (built unless given), hashed and uploaded when missing.
    async fn assets(
        &self,
        stacks: &[SynthesizedStack],
        lambda_dir: Option<&PathBuf>,
        repo: &std::path::Path,
        bucket: &str,
        upload: bool,
    ) -> Result<BTreeMap<String, assets::Asset>> {
        let mut binaries: Vec<String> = stacks
            .iter()
            .flat_map(|s| s.lambda_code.iter().map(|c| c.binary.clone()))
            .collect();
        binaries.sort();
        binaries.dedup();
        if binaries.is_empty() {
            return Ok(BTreeMap::new());
        }
        let dir = match lambda_dir {
            Some(d) => d.clone(),
            None => {
                let Some(script) = self.lambda_build else {
                    bail!(
                        "this app builds no Lambda code of its own: pass --lambda-dir DIR with \
                         <binary>/bootstrap.zip for {}",
                        binaries.join(", ")
                    );
                };
                let d = repo.join("target/lambda").join(self.stage.name());
                assets::build(repo, script, &d, &self.ui)?;
                d
            }
        };
        let found = assets::find_zips(&dir, &binaries)?;
        if upload {
            assets::upload(&self.clients.s3, bucket, &found, &self.ui).await?;
        }
        Ok(found)
    }

    async fn deployments(
        &self,
        stacks: &[SynthesizedStack],
        lambda_dir: Option<&PathBuf>,
        repo: &std::path::Path,
        upload: bool,
    ) -> Result<(String, Vec<StackDeployment>)> {
        let bucket = self.bucket().await?;
        let found = self
            .assets(stacks, lambda_dir, repo, &bucket, upload)
            .await?;
        let mut deployments = stage_ops::prepare(stacks, Some(&bucket), &found)?;
        if upload {
            for i in stage_ops::oversized(&deployments) {
                let url = assets::upload_template(
                    &self.clients.s3,
                    &bucket,
                    &self.clients.region,
                    &deployments[i].template,
                )
                .await?;
                deployments[i].template_url = Some(url);
            }
        }
        Ok((bucket, deployments))
    }

    pub async fn deploy(
        &self,
        stacks: &[SynthesizedStack],
        opts: &DeployOptions,
    ) -> Result<DeployResult> {
        if opts.hotswap && self.stage.production {
            bail!("--hotswap is refused for prod: it bypasses CloudFormation. Deploy without it.");
        }
        let (bucket, deployments) = self
            .deployments(stacks, opts.lambda_dir.as_ref(), &opts.repo, true)
            .await?;
        let engine = self.engine();
        if opts.hotswap {
            match hotswap::plan(&engine, &deployments).await? {
                HotswapPlan::Functions(changes) => {
                    if changes.is_empty() {
                        self.ui.say("hotswap: no code changes");
                    }
                    let hashes =
                        hotswap::apply(&self.clients.lambda, &bucket, &changes, &self.ui).await?;
                    return Ok(DeployResult::Hotswapped(hashes));
                }
                HotswapPlan::NotPossible(why) => {
                    self.ui.say(format!(
                        "hotswap not possible ({why}): deploying with change sets"
                    ));
                }
            }
        }
        let outcomes = engine.deploy_all(&deployments, opts.safety).await?;
        self.write_outputs(&deployments, &opts.outputs_file).await?;
        Ok(DeployResult::Deployed(outcomes))
    }

    async fn write_outputs(
        &self,
        deployments: &[StackDeployment],
        path: &std::path::Path,
    ) -> Result<()> {
        let engine = self.engine();
        let mut out = StageOutputs {
            stage: self.stage.name().to_string(),
            region: self.clients.region.clone(),
            values: self.published_values().await?,
            stacks: BTreeMap::new(),
        };
        for d in deployments {
            if let Some(info) = engine.describe(&d.stack_name).await? {
                out.stacks.insert(d.name.clone(), info.outputs);
            }
        }
        outputs::write_atomic(path, &out)?;
        self.ui.say(format!("outputs → {}", path.display()));
        // The same values for a frontend build (Vercel, Netlify, .env.local).
        let env_path = outputs::dotenv_path(path);
        outputs::write_text_atomic(&env_path, &outputs::dotenv(&out))?;
        self.ui.say(format!("outputs → {}", env_path.display()));
        for (k, v) in &out.values {
            self.ui.say(format!("  {k} = {v}"));
        }
        for (stack, values) in &out.stacks {
            for (k, v) in values {
                self.ui.say(format!("  {stack}.{k} = {v}"));
            }
        }
        Ok(())
    }

    /// SSM parameters under `/<app>/<stage>/`: what stacks publish for each other
    /// and for the frontend (API URL, user pool and client IDs, table and bucket names).
    async fn published_values(&self) -> Result<BTreeMap<String, String>> {
        let prefix = format!("/{}/{}/", self.stage.app, self.stage.name);
        let mut values = BTreeMap::new();
        let mut pages = self
            .clients
            .ssm
            .get_parameters_by_path()
            .path(prefix.trim_end_matches('/'))
            .recursive(true)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                anyhow::anyhow!(
                    "reading {prefix}*: {}",
                    aws_sdk_ssm::error::DisplayErrorContext(&e)
                )
            })?;
            for p in page.parameters() {
                if let (Some(name), Some(value)) = (p.name(), p.value()) {
                    let relative = name.strip_prefix(&prefix).unwrap_or(name);
                    values.insert(outputs::camel_key(relative), value.to_string());
                }
            }
        }
        Ok(values)
    }

    /// Synthesized vs deployed. Code changes are checked when zips are at hand.
    pub async fn diff(
        &self,
        stacks: &[SynthesizedStack],
        lambda_dir: Option<&PathBuf>,
        repo: &std::path::Path,
        change_sets: bool,
    ) -> Result<PlanReport> {
        let default_dir = repo.join("target/lambda").join(self.stage.name());
        let dir = lambda_dir
            .cloned()
            .or_else(|| default_dir.exists().then_some(default_dir));
        let bucket = stage_ops::assets_bucket(&self.engine()).await?;
        let found = match &dir {
            Some(d) => {
                let binaries: Vec<String> = stacks
                    .iter()
                    .flat_map(|s| s.lambda_code.iter().map(|c| c.binary.clone()))
                    .collect();
                assets::find_zips(d, &binaries).unwrap_or_default()
            }
            None => BTreeMap::new(),
        };
        // Without zips, compare templates only: code parameters are left out.
        let mut deployments = Vec::new();
        for s in stacks {
            let mut one = s.clone();
            if one
                .lambda_code
                .iter()
                .any(|c| !found.contains_key(&c.binary))
            {
                one.lambda_code.clear();
            }
            let mut d = stage_ops::prepare(
                std::slice::from_ref(&one),
                Some(bucket.as_deref().unwrap_or("")),
                &found,
            )?;
            deployments.append(&mut d);
        }
        stage_ops::diff_deployed(&self.engine(), &deployments, change_sets).await
    }

    pub async fn destroy(
        &self,
        stacks: &[SynthesizedStack],
        include_bootstrap: bool,
    ) -> Result<usize> {
        let mut deployments = stage_ops::prepare_names(stacks);
        if include_bootstrap {
            let mut b = stage_ops::bootstrap_deployment(self.stage);
            b.depends_on.clear();
            for d in &mut deployments {
                d.depends_on.push(b.stack_name.clone());
            }
            deployments.insert(0, b);
        }
        stage_ops::destroy(&self.engine(), &deployments).await
    }

    pub async fn drift(&self, stacks: &[SynthesizedStack]) -> Result<usize> {
        stage_ops::drift(&self.engine(), &stage_ops::prepare_names(stacks)).await
    }
}

/// For tests and tools: a UI that answers from a script.
pub fn scripted_ui(interactive: bool, answers: &[&str]) -> Ui {
    Ui::capture(Arc::new(super::ui::ScriptedPrompter::new(
        interactive,
        answers,
    )))
}
