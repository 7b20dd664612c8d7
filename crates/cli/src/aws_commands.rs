//! `bootstrap | deploy | diff | plan | destroy | drift | verify | status | import`: the
//! commands of the deploy engine.
//!
//! Exit codes:
//! - `diff`: 0 no changes, 1 error, 2 changes (like `terraform plan -detailed-exitcode`).
//! - `plan`: 0 no changes, 1 error, 2 changes, 3 destructive changes (stateful resources
//!   replaced or deleted).
//! - `deploy`, `bootstrap`, `destroy`, `drift`, `import`: 0 success (for `drift`: no drift), 1 error
//!   or refused, 4 drift detected.
//! - `verify`: 0 the deployed stage is as declared, 1 a difference or an error.
//! - `status`: 0 healthy, 1 error, 3 unhealthy (a stack missing, failed, rolled back or in
//!   progress; an alarm in ALARM; actual spend over the budget).
//! - Any command that needs AWS in a build without the `aws` feature: 2, with a message.
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use toolkit::diff::{self, offline, PlanReport};
use toolkit::{App, Stage};

/// Exit code of a command that needs the AWS engine in a build without it.
pub const EXIT_NO_ENGINE: i32 = 2;

#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// Named profile from ~/.aws/config (else the standard credential chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region (else from the profile or AWS_REGION; default: the stage's region).
    #[arg(long)]
    pub region: Option<String>,
    /// Role CloudFormation executes change sets with (the Delivery stack's
    /// CloudFormationExecutionRoleArn output); default: the caller's credentials.
    #[arg(long, env = "BB_CFN_ROLE_ARN")]
    pub role_arn: Option<String>,
    /// On an error, also print the raw error of the AWS SDK (as does RUST_LOG=debug).
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StageArg {
    /// One of the app's stages, e.g. dev or prod.
    #[arg(long)]
    pub stage: String,
}

impl AwsArgs {
    #[cfg(feature = "aws")]
    pub fn options(&self) -> toolkit::engine::clients::AwsOptions {
        toolkit::engine::clients::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            cfn_role_arn: self.role_arn.clone(),
        }
    }
}

impl EngineCommand {
    /// How the command reaches AWS (for error messages).
    pub fn aws(&self) -> &AwsArgs {
        match self {
            EngineCommand::Bootstrap(a) | EngineCommand::Drift(a) => &a.aws,
            EngineCommand::Deploy(a) => &a.aws,
            EngineCommand::Diff(a) => &a.aws,
            EngineCommand::Plan(a) => &a.aws,
            EngineCommand::Destroy(a) => &a.aws,
            EngineCommand::Verify(a) => &a.aws,
            EngineCommand::Status(a) => &a.aws,
            EngineCommand::Import(a) => &a.aws,
        }
    }

    fn stage_arg(&self) -> &str {
        match self {
            EngineCommand::Bootstrap(a) | EngineCommand::Drift(a) => &a.stage.stage,
            EngineCommand::Deploy(a) => &a.stage.stage,
            EngineCommand::Diff(a) => &a.stage.stage,
            EngineCommand::Plan(a) => &a.stage.stage,
            EngineCommand::Destroy(a) => &a.stage.stage,
            EngineCommand::Verify(a) => &a.stage.stage,
            EngineCommand::Status(a) => &a.stage.stage,
            EngineCommand::Import(a) => &a.stage.stage,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct AssetArgs {
    /// Folder with prebuilt `<binary>/bootstrap.zip` (skips the cargo-lambda build).
    #[arg(long, env = "BB_LAMBDA_DIR")]
    pub lambda_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub assets: AssetArgs,
    /// Answer yes to the IAM-broadening question (never to data loss).
    #[arg(long)]
    pub yes: bool,
    /// Allow replacing or deleting stateful resources (tables, buckets, user pools, logs).
    #[arg(long)]
    pub allow_replace: bool,
    /// Only update Lambda code (UpdateFunctionCode) when nothing else changed. Not in prod.
    #[arg(long)]
    pub hotswap: bool,
    /// Where to write the stage's outputs (JSON for the frontend).
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
    /// Deploy only these stacks (names like Api), with their dependencies already deployed.
    #[arg(long = "stack")]
    pub stacks: Vec<String>,
    #[command(flatten)]
    pub checks: CheckArgs,
}

/// What a deploy checks besides CloudFormation's result.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Emergencies only: no alarms as rollback triggers and no bake. Prod asks for a typed
    /// confirmation.
    #[arg(long)]
    pub no_bake: bool,
    /// Don't read the API and the functions' roles back to compare them with the templates.
    #[arg(long)]
    pub no_verify: bool,
    #[command(flatten)]
    pub smoke: SmokeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct SmokeArgs {
    /// After the deploy, call the API's public routes and one authenticated route.
    #[arg(long)]
    pub smoke: bool,
    /// Call this base URL instead of the API's own (implies --smoke).
    #[arg(long, value_name = "URL")]
    pub smoke_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub smoke: SmokeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanAgainst {
    /// Deployed stacks when the `aws` feature and credentials are there, else `git`.
    Auto,
    /// The deployed stacks (GetTemplate).
    Deployed,
    /// The templates committed under `stacks/<stage>/` on `--base`.
    Git,
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PlanFormat,
    #[arg(long, value_enum, default_value = "auto")]
    pub against: PlanAgainst,
    /// Base git ref for `--against git` (default: origin/$GITHUB_BASE_REF, origin/main, main).
    #[arg(long)]
    pub base: Option<String>,
    /// Commit SHA shown in the comment (default: HEAD).
    #[arg(long, env = "BB_PLAN_COMMIT")]
    pub commit: Option<String>,
    /// Compare this folder of `<Stack>.json` templates instead of synthesizing.
    #[arg(long)]
    pub templates_dir: Option<PathBuf>,
    /// With --against deployed: replacement verdicts from throwaway change sets.
    #[arg(long)]
    pub change_set: bool,
    /// Repository root (default: the current directory).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub assets: AssetArgs,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Also create (and delete) a change set per changed stack, so replacement comes
    /// from AWS where it reports it.
    #[arg(long)]
    pub change_set: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Required for prod (with a typed confirmation).
    #[arg(long)]
    pub force: bool,
    /// Do not ask (dev only).
    #[arg(long)]
    pub yes: bool,
    /// Also delete the bootstrap stack (its bucket must be empty).
    #[arg(long)]
    pub include_bootstrap: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The stack to import into (a name like Data).
    #[arg(long)]
    pub stack: String,
    /// `<LogicalId>=<identifier>` (e.g. `Table=my-table`), repeatable. Default: every
    /// data-holding resource of the stack not deployed yet, by the name its template sets.
    #[arg(long = "resource", value_name = "ID=IDENTIFIER")]
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SimpleArgs {
    #[command(flatten)]
    pub stage: StageArg,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Clone, Subcommand)]
pub enum EngineCommand {
    /// Create or update the stage's bootstrap stack (the assets bucket).
    Bootstrap(SimpleArgs),
    /// Build and upload Lambda assets, then deploy every stack through change sets.
    Deploy(DeployArgs),
    /// Compare the synthesized templates with the deployed stacks (exit 0/1/2).
    Diff(DiffArgs),
    /// A plan for humans or pull requests (exit 0/1/2/3); works offline with --against git.
    Plan(PlanArgs),
    /// Delete the stage's stacks in reverse dependency order.
    Destroy(DestroyArgs),
    /// Run CloudFormation drift detection and print drifted resources (exit 0/1/4).
    Drift(SimpleArgs),
    /// Compare the deployed API routes and function roles with the templates (exit 0/1).
    Verify(VerifyArgs),
    /// Stacks, alarms, function and API metrics of the last hour, budget (exit 0/1/3).
    Status(StatusArgs),
    /// Adopt existing resources (a hand-made table or bucket) into a stack through an
    /// IMPORT change set, without recreating them (exit 0/1).
    Import(ImportArgs),
}

pub fn run_engine_command(app: &App, cmd: EngineCommand) -> i32 {
    let stage = match super::resolve_stage(app, cmd.stage_arg()) {
        Ok(stage) => stage,
        Err(code) => return code,
    };
    match cmd {
        EngineCommand::Plan(args) => run_plan(app, stage, args),
        other => run_aws(app, stage, other),
    }
}

#[cfg(feature = "aws")]
fn run_aws(app: &App, stage: Stage, cmd: EngineCommand) -> i32 {
    crate::engine_commands::run(app, stage, cmd)
}

#[cfg(not(feature = "aws"))]
fn run_aws(app: &App, _stage: Stage, cmd: EngineCommand) -> i32 {
    // The app's own binary builds and runs its engine on first use (issue 13); the
    // message below is for test harnesses and TOOLKIT_NO_ENGINE_BUILD.
    if let Some(code) = super::engine_on_demand::run(app) {
        return code;
    }
    let name = match cmd {
        EngineCommand::Bootstrap(_) => "bootstrap",
        EngineCommand::Deploy(_) => "deploy",
        EngineCommand::Diff(_) => "diff",
        EngineCommand::Plan(_) => "plan --against deployed",
        EngineCommand::Destroy(_) => "destroy",
        EngineCommand::Drift(_) => "drift",
        EngineCommand::Verify(_) => "verify",
        EngineCommand::Status(_) => "status",
        EngineCommand::Import(_) => "import",
    };
    eprintln!(
        "error: `{name}` needs the AWS engine, which this build does not include.\n\
         Rebuild with it: `cargo run -p {} --features aws -- {name} ...`\n\
         (Offline, `plan --against git` compares with the templates committed on a branch.)",
        app.package
    );
    EXIT_NO_ENGINE
}

fn run_plan(app: &App, stage: Stage, args: PlanArgs) -> i32 {
    let deployed = match args.against {
        PlanAgainst::Git => false,
        PlanAgainst::Deployed => true,
        PlanAgainst::Auto => args.base.is_none() && engine_has_credentials(&args.aws),
    };
    if deployed {
        return run_aws(app, stage, EngineCommand::Plan(args));
    }
    match offline_plan(app, stage, &args) {
        Ok(report) => {
            print_plan(&report, args.format);
            report.plan_exit_code()
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            diff::exit::ERROR
        }
    }
}

#[cfg(feature = "aws")]
fn engine_has_credentials(aws: &AwsArgs) -> bool {
    toolkit::engine::clients::has_credentials(&aws.options())
}

#[cfg(not(feature = "aws"))]
fn engine_has_credentials(_aws: &AwsArgs) -> bool {
    false
}

fn offline_plan(app: &App, stage: Stage, args: &PlanArgs) -> anyhow::Result<PlanReport> {
    let base = args
        .base
        .clone()
        .unwrap_or_else(|| diff::base::default_base_ref(&args.repo));
    let commit = args
        .commit
        .clone()
        .or_else(|| diff::base::head_sha(&args.repo));
    let new = match &args.templates_dir {
        Some(dir) => offline::NewTemplates::Dir(dir.clone()),
        None => offline::NewTemplates::Stacks(app.synth(stage)),
    };
    let stacks = offline::templates_against_ref(&args.repo, stage, app.stacks_dir, &base, &new)?;
    let mut report = diff::diff_all_with_moves(stage.name(), &base, commit, &stacks)
        .map_err(anyhow::Error::msg)?;
    // A plan without its cost is still a plan: say why and go on.
    report.cost = toolkit::cost::plan_cost(app, stage, &stacks)
        .map_err(|e| eprintln!("warning: the plan has no cost estimate: {e:#}"))
        .ok();
    Ok(report)
}

/// Prints a plan in the chosen format (shared with the engine's deployed plan).
pub fn print_plan(report: &PlanReport, format: PlanFormat) {
    match format {
        PlanFormat::Text => print!("{}", diff::text::render(report, diff::text::use_color())),
        PlanFormat::Markdown => print!("{}", diff::markdown::render(report)),
        PlanFormat::Json => print!("{}", report.to_json()),
    }
}
