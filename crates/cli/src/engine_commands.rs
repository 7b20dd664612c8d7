//! The engine's commands behind the CLI: synthesize the app's stage, open a session, run.

use anyhow::{bail, Result};
use toolkit::diff;
use toolkit::engine::bake;
use toolkit::engine::clients::Clients;
use toolkit::engine::deploy::{Outcome, Safety};
use toolkit::engine::errors::{self, ErrorContext};
use toolkit::engine::outputs;
use toolkit::engine::run::{
    self as engine_run, DeployChecks, DeployOptions, DeployResult, Session, SmokeOptions,
};
use toolkit::engine::ui::{Prompter, Ui};
use toolkit::synth::SynthesizedStack;
use toolkit::{App, Stage};

use crate::aws_commands::{
    print_plan, AwsArgs, CheckArgs, DestroyArgs, EngineCommand, SmokeArgs, StatusFormat,
};

fn synth(app: &App, stage: Stage, only: &[String]) -> Result<Vec<SynthesizedStack>> {
    let mut stacks = app.synth(stage);
    if !only.is_empty() {
        for name in only {
            if !stacks.iter().any(|s| &s.name == name) {
                bail!("no stack named '{name}' in {stage}");
            }
        }
        stacks.retain(|s| only.contains(&s.name));
    }
    Ok(stacks)
}

/// Entry point from the CLI; returns the exit code.
pub fn run(app: &App, stage: Stage, cmd: EngineCommand) -> i32 {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return diff::exit::ERROR;
        }
    };
    let aws = cmd.aws().clone();
    match rt.block_on(run_async(app, stage, cmd)) {
        Ok(code) => code,
        Err(e) => {
            report(app, stage, &aws, &e);
            diff::exit::ERROR
        }
    }
}

/// An error in words when its cause is a common one (credentials, endpoint, access,
/// throttling, expired token), with what to do next; the SDK's raw error only with
/// `--verbose` or `RUST_LOG`. Other errors as they are.
fn report(app: &App, stage: Stage, aws: &AwsArgs, e: &anyhow::Error) {
    let text = format!("{e:#}");
    let context = ErrorContext {
        endpoint: std::env::var("AWS_ENDPOINT_URL").ok(),
        region: aws
            .region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .unwrap_or_else(|| stage.region.to_string()),
        profile: aws.profile.clone(),
        command: app.command(),
    };
    let Some(explained) = errors::explain(&text, &context) else {
        eprintln!("error: {text}");
        return;
    };
    eprintln!("error: {explained}");
    if aws.verbose || std::env::var_os("RUST_LOG").is_some() {
        eprintln!("\nraw error: {e:?}");
    } else {
        eprintln!("(the raw error: --verbose or RUST_LOG=debug)");
    }
}

async fn session(app: &App, aws: &AwsArgs, stage: Stage) -> Session {
    Session::new(
        Clients::new(&aws.options(), stage).await,
        Ui::terminal(),
        stage,
    )
    .with_app(app)
}

async fn run_async(app: &App, stage: Stage, cmd: EngineCommand) -> Result<i32> {
    let repo = app.root().to_path_buf();
    match cmd {
        EngineCommand::Bootstrap(a) => {
            let s = session(app, &a.aws, stage).await;
            s.bootstrap().await?;
            Ok(0)
        }
        EngineCommand::Deploy(a) => {
            let stacks = synth(app, stage, &a.stacks)?;
            let s = session(app, &a.aws, stage).await;
            if a.checks.no_bake {
                bake::confirm_no_bake(stage, s.ui.prompter.as_ref())?;
            }
            let mut checks = checks(&a.checks);
            if !a.stacks.is_empty() {
                checks.stage_templates = Some(engine_run::templates(&app.synth(stage))?);
            }
            let s = s.with_checks(checks);
            let opts = DeployOptions {
                safety: Safety {
                    yes: a.yes,
                    allow_replace: a.allow_replace,
                },
                hotswap: a.hotswap,
                lambda_dir: a.assets.lambda_dir.clone(),
                repo,
                outputs_file: a
                    .outputs_file
                    .clone()
                    .unwrap_or_else(|| outputs::default_path(stage.name())),
            };
            let started = std::time::Instant::now();
            let result = s.deploy(&stacks, &opts).await?;
            let summary = match result {
                DeployResult::Deployed(o) => o
                    .iter()
                    .map(|(n, o)| {
                        format!(
                            "{n}: {}",
                            match o {
                                Outcome::Created => "created",
                                Outcome::Updated => "updated",
                                Outcome::Unchanged => "no changes",
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                DeployResult::Hotswapped(h) => format!("{} function(s) hotswapped", h.len()),
            };
            s.ui.say(format!(
                "done in {:.1} s: {summary}",
                started.elapsed().as_secs_f64()
            ));
            Ok(0)
        }
        EngineCommand::Diff(a) => {
            let stacks = synth(app, stage, &[])?;
            let s = session(app, &a.aws, stage).await;
            let report = s
                .diff(&stacks, a.assets.lambda_dir.as_ref(), &repo, a.change_set)
                .await?;
            if a.json {
                print!("{}", report.to_json());
            } else {
                print!("{}", diff::text::render(&report, diff::text::use_color()));
            }
            Ok(report.diff_exit_code())
        }
        EngineCommand::Plan(a) => {
            let stacks = synth(app, stage, &[])?;
            let s = session(app, &a.aws, stage).await;
            let mut report = s.diff(&stacks, None, &a.repo, a.change_set).await?;
            report.commit = a.commit.clone().or_else(|| diff::base::head_sha(&a.repo));
            print_plan(&report, a.format);
            Ok(report.plan_exit_code())
        }
        EngineCommand::Destroy(a) => destroy(app, stage, a).await,
        EngineCommand::Import(a) => {
            let given = a
                .resources
                .iter()
                .map(String::as_str)
                .map(toolkit::engine::import::parse_resource_arg)
                .collect::<Result<Vec<_>>>()?;
            let stacks = synth(app, stage, std::slice::from_ref(&a.stack))?;
            let s = session(app, &a.aws, stage).await;
            let d = toolkit::engine::stage_ops::prepare_names(&stacks).remove(0);
            let done = s.engine().import(&d, &given).await?;
            for r in &done {
                s.ui.say(format!(
                    "{}: imported {} ({}); the next deploy applies the rest of the template",
                    d.name, r.logical_id, r.resource_type
                ));
            }
            Ok(0)
        }
        EngineCommand::Drift(a) => {
            let stacks = synth(app, stage, &[])?;
            let s = session(app, &a.aws, stage).await;
            let n = s.drift(&stacks).await?;
            Ok(if n > 0 { 4 } else { 0 })
        }
        EngineCommand::Verify(a) => {
            let stacks = synth(app, stage, &[])?;
            let templates = engine_run::templates(&stacks)?;
            let s = session(app, &a.aws, stage).await;
            let v = s.verify(&templates).await?;
            for note in v.notes() {
                s.ui.say(format!("note: {note}"));
            }
            let failures = v.failures();
            for f in &failures {
                s.ui.say(format!("FAIL {f}"));
            }
            s.ui.say(v.summary());
            if let Some(smoke) = smoke_options(&a.smoke) {
                s.smoke(&templates, &smoke).await?;
            }
            Ok(if failures.is_empty() {
                0
            } else {
                diff::exit::ERROR
            })
        }
        EngineCommand::Status(a) => {
            let stacks = synth(app, stage, &[])?;
            let s = session(app, &a.aws, stage).await;
            let status = s.status(&stacks).await?;
            match a.format {
                StatusFormat::Text => print!("{}", status.render()),
                StatusFormat::Json => print!("{}", status.to_json()),
            }
            Ok(status.exit_code())
        }
    }
}

fn smoke_options(a: &SmokeArgs) -> Option<SmokeOptions> {
    (a.smoke || a.smoke_url.is_some()).then(|| SmokeOptions {
        url: a.smoke_url.clone(),
    })
}

fn checks(a: &CheckArgs) -> DeployChecks {
    DeployChecks {
        no_bake: a.no_bake,
        no_verify: a.no_verify,
        smoke: smoke_options(&a.smoke),
        stage_templates: None,
    }
}

async fn destroy(app: &App, stage: Stage, a: DestroyArgs) -> Result<i32> {
    let stacks = synth(app, stage, &[])?;
    let ui = Ui::terminal();
    if !confirm_destroy(stage, &a, ui.prompter.as_ref()) {
        bail!(
            "not destroying {stage}: {}",
            if stage.production {
                "prod needs --force and the typed confirmation 'destroy prod' in a terminal"
            } else {
                "answer yes, or pass --yes"
            }
        );
    }
    let s = Session::new(Clients::new(&a.aws.options(), stage).await, ui, stage).with_app(app);
    let n = s.destroy(&stacks, a.include_bootstrap).await?;
    s.ui.say(format!("{n} stack(s) deleted"));
    Ok(0)
}

/// Prod: `--force` plus typing "destroy prod". Dev: `--yes` or a yes.
pub fn confirm_destroy(stage: Stage, a: &DestroyArgs, prompter: &dyn Prompter) -> bool {
    if stage.production {
        a.force
            && prompter.typed(
                &format!("Destroy every {stage} stack?"),
                &format!("destroy {stage}"),
            )
    } else {
        a.yes || prompter.confirm(&format!("Delete every {stage} stack?"))
    }
}
