//! The toolkit's command line, for any [`App`]: `synth | diff | plan | deploy | ...`.
//! An app's `main` is one line: `std::process::exit(cli::run(&APP))`.
//!
//! Exit codes: 0 success; 1 a check failed (policy, limit, stale templates) or a runtime
//! error; 2 bad usage (unknown stage, bad flag). Engine commands document their own.
pub mod aws_commands;
mod cost_command;
mod delivery_command;
mod dev_command;
mod diagram_command;
#[cfg(feature = "aws")]
pub mod engine_commands;
#[cfg(not(feature = "aws"))]
mod engine_on_demand;
mod synth_command;

use clap::{Parser, Subcommand};

pub use toolkit::{App, Stage};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Infrastructure as typed Rust: synth, plan, diff, deploy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesize CloudFormation templates into stacks/<stage>/<Stack>.json
    Synth(synth_command::SynthArgs),
    /// Monthly cost estimate per stack and resource, against the stage's budget
    Cost(cost_command::CostArgs),
    /// Draw the architecture from the synthesized templates into docs/architecture-<stage>.md
    Diagram(diagram_command::DiagramArgs),
    /// Roles a CI pipeline assumes (GitHub OIDC) to plan and deploy, into stacks/delivery/<stage>/
    Delivery(delivery_command::DeliveryArgs),
    /// Run the app locally as deployed: emulator, deploy, HTTP API on 127.0.0.1
    Dev(dev_command::DevArgs),
    #[command(flatten)]
    Engine(aws_commands::EngineCommand),
}

/// Exit code of bad usage (unknown stage, bad flag), as clap uses it.
pub const EXIT_USAGE: i32 = 2;

/// One of the app's stages, or `all`.
pub fn select_stages(app: &App, given: &str) -> Result<Vec<Stage>, i32> {
    if given == "all" {
        return Ok(app.stages.to_vec());
    }
    resolve_stage(app, given).map(|stage| vec![stage])
}

/// The app's stage of that name, or a usage error naming the stages there are.
pub fn resolve_stage(app: &App, given: &str) -> Result<Stage, i32> {
    app.stage(given).map_err(|e| {
        eprintln!("error: invalid value '{given}' for '--stage <STAGE>': {e}");
        EXIT_USAGE
    })
}

/// Parses the process arguments and runs the command; returns the exit code.
pub fn run(app: &App) -> i32 {
    run_from(app, std::env::args_os())
}

pub fn run_from<I, T>(app: &App, args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = <Cli as clap::CommandFactory>::command().name(app.package);
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return e.exit_code();
        }
    };
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Synth(args) => synth_command::run(app, args),
        Command::Cost(args) => cost_command::run(app, args),
        Command::Diagram(args) => diagram_command::run(app, args),
        Command::Delivery(args) => delivery_command::run(app, args),
        Command::Dev(args) => dev_command::run(app, args),
        Command::Engine(command) => aws_commands::run_engine_command(app, command),
    }
}
