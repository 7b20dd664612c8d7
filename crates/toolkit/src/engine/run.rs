//! The engine's commands: stage-level flows over the SDK clients, and the CLI entry.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::alarms::{self, CloudWatchAlarms};
use super::assets;
use super::bake;
use super::cfn::Cfn;
use super::clients::Clients;
use super::deploy::{Engine, Outcome, Safety, StackDeployment, Timing};
use super::hotswap::{self, HotswapPlan};
use super::outputs::{self, StageOutputs};
use super::sdk::SdkCfn;
use super::smoke;
use super::stage_ops;
use super::status::{self, StageStatus, StatusClients};
use super::template::StackTemplate;
use super::ui::Ui;
use super::verify::{self, Verification};
use super::verify_permissions::{IamSimulator, LocalEvaluator};
use super::verify_routes;
use crate::app::Stage;
use crate::declared::Declared;
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

/// What a deploy checks besides CloudFormation's own result (see the engine README,
/// "What a deploy verifies").
#[derive(Debug, Clone, Default)]
pub struct DeployChecks {
    /// `--no-bake`: no alarms as rollback triggers, no bake (prod: confirmed before).
    pub no_bake: bool,
    /// `--no-verify`: don't read the API and the roles back.
    pub no_verify: bool,
    /// `--smoke`: call the API after the deploy.
    pub smoke: Option<SmokeOptions>,
    /// The whole stage, when only some stacks deploy (`--stack`): the alarms watching
    /// them live in a stack that is not deployed now. `None`: the deployed stacks.
    pub stage_templates: Option<Vec<StackTemplate>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmokeOptions {
    /// Call this base URL instead of the API's own (e.g. a local server).
    pub url: Option<String>,
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
    pub checks: DeployChecks,
    pub alarms: CloudWatchAlarms,
    /// What the app declares (its contract), which `verify` checks the stage against;
    /// `None`: the templates.
    pub declared: Option<Declared>,
}

impl Session {
    pub fn new(clients: Clients, ui: Ui, stage: Stage) -> Session {
        let local = std::env::var_os("AWS_ENDPOINT_URL").is_some() || clients.local;
        Session {
            cfn: SdkCfn {
                client: clients.cfn.clone(),
                role_arn: clients.cfn_role_arn.clone(),
            },
            alarms: CloudWatchAlarms {
                client: clients.cloudwatch.clone(),
            },
            checks: DeployChecks::default(),
            declared: None,
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
        self.declared = app.declared.map(|of| of(self.stage));
        self
    }

    pub fn with_declared(mut self, declared: Option<Declared>) -> Session {
        self.declared = declared;
        self
    }

    pub fn with_checks(mut self, checks: DeployChecks) -> Session {
        self.checks = checks;
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
        let templates = templates(stacks)?;
        let plans = self.bake_plans(&templates).await?;
        let engine = engine.with_bake(&self.alarms, plans);
        let outcomes = engine.deploy_all(&deployments, opts.safety).await?;
        self.write_outputs(&deployments, &opts.outputs_file).await?;
        // Unchanged stacks were verified by the deploy that changed them last.
        let changed: Vec<StackTemplate> = templates
            .iter()
            .filter(|t| {
                outcomes
                    .iter()
                    .any(|(name, o)| name == &t.name && *o != Outcome::Unchanged)
            })
            .cloned()
            .collect();
        self.check_deployed(&changed, &templates).await?;
        Ok(DeployResult::Deployed(outcomes))
    }

    /// Per stack, the alarms that watch it (rollback triggers) and the stage's bake.
    async fn bake_plans(
        &self,
        templates: &[StackTemplate],
    ) -> Result<BTreeMap<String, bake::BakePlan>> {
        let stage = self.checks.stage_templates.as_deref().unwrap_or(templates);
        let watched = alarms::watched_by_stack(stage);
        let names: Vec<String> = templates.iter().map(|t| t.stack_name.clone()).collect();
        bake::plan_stage(
            &self.alarms,
            &watched,
            &names,
            self.stage,
            self.checks.no_bake,
        )
        .await
    }

    /// After a deploy: verification of the changed stacks and the smoke test of the
    /// stage, as the checks ask.
    async fn check_deployed(
        &self,
        changed: &[StackTemplate],
        templates: &[StackTemplate],
    ) -> Result<()> {
        if !self.checks.no_verify && changed.is_empty() {
            self.ui
                .say("nothing changed: not verified again (`verify` checks on demand)");
        } else if !self.checks.no_verify {
            let v = self.verify(changed).await?;
            for note in v.notes() {
                self.ui.say(format!("note: {note}"));
            }
            let failures = v.failures();
            if !failures.is_empty() {
                bail!(
                    "the deployed stage differs from what it declares ({} problem(s)):\n  {}\n\
                     The stacks are deployed; fix the cause (or the drift) and deploy again.",
                    failures.len(),
                    failures.join("\n  ")
                );
            }
            self.ui.say(v.summary());
        }
        if let Some(opts) = &self.checks.smoke {
            self.smoke(templates, opts).await?;
        }
        Ok(())
    }

    /// Routes and permissions as deployed, against the templates of the deployed stacks.
    pub async fn verify(&self, templates: &[StackTemplate]) -> Result<Verification> {
        let engine = self.engine();
        let mut deployed = Vec::new();
        for t in templates {
            if engine.describe(&t.stack_name).await?.is_some() {
                deployed.push(t.clone());
            }
        }
        let mut v = Verification::default();
        let app = self.declared.as_ref();
        verify::routes(&engine, &self.clients.apigateway, &deployed, app, &mut v).await?;
        let clients = verify::PermissionClients {
            lambda: &self.clients.lambda,
            iam: &self.clients.iam,
            ssm: &self.clients.ssm,
            region: &self.clients.region,
        };
        if self.clients.local {
            // The emulator's IAM evaluates no resources: evaluate the role's policies here.
            verify::permissions(&engine, &clients, &LocalEvaluator, &deployed, app, &mut v).await?;
        } else {
            let simulator = IamSimulator {
                client: self.clients.iam.clone(),
            };
            verify::permissions(&engine, &clients, &simulator, &deployed, app, &mut v).await?;
        }
        Ok(v)
    }

    /// Calls the stage's API (public routes, one authenticated route); `Err` on a failure.
    pub async fn smoke(&self, templates: &[StackTemplate], opts: &SmokeOptions) -> Result<()> {
        let Some((stack, api_logical, spec)) = templates.iter().find_map(|t| {
            let (id, spec) = verify_routes::declared(t).ok()??;
            Some((t, id, spec))
        }) else {
            self.ui.say("smoke: no HTTP API in this stage");
            return Ok(());
        };
        let api_id = self
            .cfn
            .physical_id(&stack.stack_name, &api_logical)
            .await
            .map_err(|e| anyhow::anyhow!("smoke: {api_logical}: {e}"))?
            .context("smoke: the API is not deployed")?;
        let base = match &opts.url {
            Some(url) => url.clone(),
            None if self.clients.local => {
                self.ui.say(
                    "smoke: skipped: the emulator serves no execute-api traffic (give \
                     --smoke-url to call a local server instead)",
                );
                return Ok(());
            }
            None => self
                .clients
                .apigateway
                .get_api()
                .api_id(&api_id)
                .send()
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "smoke: GetApi: {}",
                        aws_sdk_apigatewayv2::error::DisplayErrorContext(e)
                    )
                })?
                .api_endpoint()
                .map(str::to_string)
                .context("smoke: the API has no endpoint")?,
        };
        let http = smoke::http_client()?;
        let token = match self.stage.smoke_user {
            Some(user) => Some(self.smoke_token(&http, &api_id, user).await?),
            None => None,
        };
        let probes = smoke::probes(&spec, token.is_some());
        let results = smoke::run(&http, &base, &probes, token.as_deref()).await;
        for r in &results {
            self.ui.say(format!("smoke: {}", r.line()));
        }
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !r.passed())
            .map(|r| r.line())
            .collect();
        if !failed.is_empty() {
            bail!(
                "smoke test failed against {base} ({} of {} call(s)):\n  {}",
                failed.len(),
                results.len(),
                failed.join("\n  ")
            );
        }
        self.ui.say(format!(
            "smoke: {} call(s) passed against {base}{}",
            results.len(),
            if token.is_none() {
                " (no smoke user: no call with a token)"
            } else {
                ""
            }
        ));
        Ok(())
    }

    /// The smoke user's access token: its refresh token from SSM, exchanged with Cognito
    /// for the API's JWT authorizer's app client.
    async fn smoke_token(
        &self,
        http: &reqwest::Client,
        api_id: &str,
        user: crate::app::SmokeUser,
    ) -> Result<String> {
        let (issuer, client_id) = smoke::jwt_client(&self.clients.apigateway, api_id)
            .await?
            .context("smoke: the stage names a smoke user but the API has no JWT authorizer")?;
        let parameter = self
            .clients
            .ssm
            .get_parameter()
            .name(user.refresh_token_parameter)
            .with_decryption(true)
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "smoke: the refresh token of {} is not readable at {} ({}). Sign the user \
                     in once and store its refresh token: `aws ssm put-parameter --type \
                     SecureString --name {} --value <token>`.",
                    user.username,
                    user.refresh_token_parameter,
                    aws_sdk_ssm::error::DisplayErrorContext(e),
                    user.refresh_token_parameter
                )
            })?;
        let refresh = parameter
            .parameter()
            .and_then(|p| p.value())
            .context("smoke: the refresh token parameter is empty")?;
        let cognito = smoke::cognito_endpoint(&issuer, self.clients.endpoint.as_deref())?;
        smoke::sign_in(http, &cognito, &client_id, refresh)
            .await
            .with_context(|| format!("smoke: signing in as {}", user.username))
    }

    /// The stage's health (see [`status`]).
    pub async fn status(&self, stacks: &[SynthesizedStack]) -> Result<StageStatus> {
        let templates = templates(stacks)?;
        let clients = StatusClients {
            cloudwatch: &self.clients.cloudwatch,
            budgets: &self.clients.budgets,
            alarms: &self.alarms,
            region: &self.clients.region,
        };
        status::read(&self.engine(), &clients, &templates).await
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

/// The synthesized stacks' templates (their values, not parsed again).
pub fn templates(stacks: &[SynthesizedStack]) -> Result<Vec<StackTemplate>> {
    stacks.iter().map(StackTemplate::of).collect()
}

/// For tests and tools: a UI that answers from a script.
pub fn scripted_ui(interactive: bool, answers: &[&str]) -> Ui {
    Ui::capture(Arc::new(super::ui::ScriptedPrompter::new(
        interactive,
        answers,
    )))
}
