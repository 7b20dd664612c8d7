//! Command line: `infra synth | diff | plan | deploy | ...`.
//!
//! Exit codes: 0 success; 1 a check failed (policy, limit, stale templates) or a runtime
//! error; 2 bad usage (unknown stage, bad flag). Engine commands document their own.
pub mod aws_commands;
mod synth_command;

use clap::{Parser, Subcommand};

use crate::stacks::stage::Stage;

#[derive(Debug, Parser)]
#[command(
    name = "infra",
    version,
    about = "BubbleBatch infrastructure: synth, diff, deploy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesize CloudFormation templates into stacks/<stage>/<Stack>.json
    Synth(synth_command::SynthArgs),
    #[command(flatten)]
    Engine(aws_commands::EngineCommand),
}

/// `dev`, `prod` or `all`.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSelection(pub Vec<Stage>);

impl std::str::FromStr for StageSelection {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "all" {
            return Ok(StageSelection(Stage::ALL.to_vec()));
        }
        s.parse::<Stage>()
            .map(|stage| StageSelection(vec![stage]))
            .map_err(|e| format!("{e} (or all)"))
    }
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Synth(args) => synth_command::run(args),
        Command::Engine(command) => aws_commands::run_engine_command(command),
    }
}
