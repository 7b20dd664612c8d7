//! `dev [--stage dev] [--port N]`: the app running locally as deployed (the emulator,
//! the stage deployed to it, its HTTP APIs served on 127.0.0.1 by the deployed
//! configuration; see `toolkit::dev`). Needs the engine: a build without the `aws`
//! feature builds it on first use, like the other engine commands.
use clap::Args;

use toolkit::App;

#[derive(Debug, Clone, Args)]
pub struct DevArgs {
    /// One of the app's stages.
    #[arg(long, default_value = "dev")]
    pub stage: String,
    /// Port of the HTTP API on 127.0.0.1 (0: a free one, printed).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Extra `cargo build` flags for the functions, space-separated (e.g. the feature
    /// selection of a test suite, so nothing is rebuilt).
    #[arg(
        long,
        env = "TOOLKIT_DEV_BUILD_FLAGS",
        value_delimiter = ' ',
        allow_hyphen_values = true,
        hide = true
    )]
    pub build_flags: Vec<String>,
}

pub fn run(app: &App, args: DevArgs) -> i32 {
    let stage = match crate::resolve_stage(app, &args.stage) {
        Ok(stage) => stage,
        Err(code) => return code,
    };
    run_dev(app, stage, args)
}

#[cfg(feature = "aws")]
fn run_dev(app: &App, stage: toolkit::Stage, args: DevArgs) -> i32 {
    let options = toolkit::dev::DevOptions {
        stage,
        port: args.port,
        build_flags: args
            .build_flags
            .into_iter()
            .filter(|f| !f.is_empty())
            .collect(),
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    match rt.block_on(toolkit::dev::run(app, options)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

#[cfg(not(feature = "aws"))]
fn run_dev(app: &App, _stage: toolkit::Stage, _args: DevArgs) -> i32 {
    if let Some(code) = crate::engine_on_demand::run(app) {
        return code;
    }
    eprintln!(
        "error: `dev` needs the AWS engine, which this build does not include.\n\
         Rebuild with it: `cargo run -p {} --features aws -- dev`",
        app.package
    );
    crate::aws_commands::EXIT_NO_ENGINE
}
