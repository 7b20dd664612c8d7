//! `restore`: disaster recovery for a BubbleBatch stage (docs/disaster-recovery.md).
//!
//! - `table`: DynamoDB point-in-time restore of the stage's table into a new table.
//! - `copy-back`: put the restored items back into the stage's table (dry run unless
//!   `--apply`), so every name, grant, alarm and stack keeps pointing at the same table.
//! - `objects`: bring the photos bucket's objects under a prefix back to their versions
//!   at a time (dry run unless `--apply`).
//!
//! Exit codes: 0 done (or nothing to do), 1 refused or failed, 2 bad usage.
mod objects;
mod table;

use anyhow::Context;
use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
use clap::{Args, Parser, Subcommand};

use toolkit::engine::clients::{sdk_config, AwsOptions};

#[derive(Debug, Parser)]
#[command(about = "Restore a stage's table (point in time) or photos (object versions)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Restore the stage's table as it was at --to into a new table (the live one is untouched)
    Table(TableArgs),
    /// Put the items of a restored table back into the stage's table (dry run unless --apply)
    CopyBack(CopyBackArgs),
    /// Bring objects under --prefix back to their versions at --to (dry run unless --apply)
    Objects(ObjectArgs),
}

#[derive(Debug, Args)]
struct Target {
    /// A stage of the app: dev or prod
    #[arg(long)]
    stage: String,
    /// Named profile from ~/.aws/config (else the standard credential chain)
    #[arg(long, env = "AWS_PROFILE")]
    profile: Option<String>,
    /// Region (else from the profile or AWS_REGION; default: the stage's region)
    #[arg(long)]
    region: Option<String>,
}

#[derive(Debug, Args)]
struct TableArgs {
    #[command(flatten)]
    target: Target,
    /// The moment to restore, RFC 3339 in UTC, e.g. 2026-11-30T09:15:00Z
    #[arg(long, value_parser = parse_time)]
    to: DateTime,
    /// Name of the new table (default: <table>-restored-<time>)
    #[arg(long)]
    into: Option<String>,
    /// The table to restore from (default: the stage's, read from SSM)
    #[arg(long)]
    table: Option<String>,
    /// How long to wait for the restored table to become ACTIVE
    #[arg(long, default_value_t = 120)]
    wait_minutes: u64,
}

#[derive(Debug, Args)]
struct CopyBackArgs {
    #[command(flatten)]
    target: Target,
    /// The restored table to copy from
    #[arg(long)]
    from: String,
    /// The table to copy into (default: the stage's, read from SSM)
    #[arg(long)]
    table: Option<String>,
    /// Also overwrite items that exist in both (default: only put back missing ones)
    #[arg(long)]
    overwrite: bool,
    /// Write; without it, only count what would be written
    #[arg(long)]
    apply: bool,
}

#[derive(Debug, Args)]
struct ObjectArgs {
    #[command(flatten)]
    target: Target,
    /// The moment whose object versions to bring back, RFC 3339 in UTC
    #[arg(long, value_parser = parse_time)]
    to: DateTime,
    /// Only keys starting with this, e.g. users/<id>/ (default: the whole bucket)
    #[arg(long, default_value = "")]
    prefix: String,
    /// The bucket (default: the stage's photos bucket, read from SSM)
    #[arg(long)]
    bucket: Option<String>,
    /// Copy the old versions; without it, only list what would be restored
    #[arg(long)]
    apply: bool,
}

fn parse_time(text: &str) -> Result<DateTime, String> {
    DateTime::from_str(text, DateTimeFormat::DateTime)
        .map_err(|e| format!("expected RFC 3339 like 2026-11-30T09:15:00Z: {e}"))
}

/// The clients of one stage, and where its names are published.
pub struct Stage {
    pub name: &'static str,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    ssm: aws_sdk_ssm::Client,
}

impl Stage {
    async fn connect(target: &Target) -> Result<Stage, i32> {
        let stage = infra::APP.stage(&target.stage).map_err(|e| {
            eprintln!(
                "error: invalid value '{}' for '--stage <STAGE>': {e}",
                target.stage
            );
            2
        })?;
        let options = AwsOptions {
            profile: target.profile.clone(),
            region: target.region.clone(),
            cfn_role_arn: None,
        };
        let config = sdk_config(&options, Some(stage)).await;
        // Path-style S3 addressing keeps bucket names out of hostnames (emulators).
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(std::env::var_os("AWS_ENDPOINT_URL").is_some())
            .build();
        Ok(Stage {
            name: stage.name,
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3),
            ssm: aws_sdk_ssm::Client::new(&config),
        })
    }

    /// A name the Data stack publishes under `/bubblebatch/<stage>/data/<what>`.
    async fn published(&self, what: &str) -> anyhow::Result<String> {
        let name = format!("/{}/{}/data/{what}", infra::APP.name, self.name);
        let output = self
            .ssm
            .get_parameter()
            .name(&name)
            .send()
            .await
            .with_context(|| {
                format!(
                    "reading SSM parameter {name} (is the {} Data stack deployed?)",
                    self.name
                )
            })?;
        output
            .parameter()
            .and_then(|p| p.value())
            .map(str::to_string)
            .with_context(|| format!("SSM parameter {name} has no value"))
    }

    pub async fn table(&self, given: &Option<String>) -> anyhow::Result<String> {
        match given {
            Some(name) => Ok(name.clone()),
            None => self.published("table-name").await,
        }
    }

    pub async fn bucket(&self, given: &Option<String>) -> anyhow::Result<String> {
        match given {
            Some(name) => Ok(name.clone()),
            None => self.published("bucket-name").await,
        }
    }
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            std::process::exit(e.exit_code());
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    std::process::exit(runtime.block_on(run(cli)));
}

async fn run(cli: Cli) -> i32 {
    let target = match &cli.command {
        Command::Table(a) => &a.target,
        Command::CopyBack(a) => &a.target,
        Command::Objects(a) => &a.target,
    };
    let stage = match Stage::connect(target).await {
        Ok(stage) => stage,
        Err(code) => return code,
    };
    let result = match &cli.command {
        Command::Table(a) => {
            table::restore(&stage, &a.table, a.to, a.into.clone(), a.wait_minutes).await
        }
        Command::CopyBack(a) => {
            table::copy_back(&stage, &a.from, &a.table, a.overwrite, a.apply).await
        }
        Command::Objects(a) => objects::restore(&stage, &a.bucket, &a.prefix, a.to, a.apply).await,
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}
