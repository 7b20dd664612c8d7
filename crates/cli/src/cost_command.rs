//! `cost`: the monthly estimate of a stage from its synthesized templates, the committed
//! price table and the app's usage assumptions. Offline; exit 0 with the estimate
//! (over-budget warnings included), 1 on an error (e.g. a usage name that matches no
//! resource), 2 on bad usage.
use clap::{Args, ValueEnum};

use toolkit::cost::{self, render};
use toolkit::App;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// A stage of the app (e.g. dev, prod) or all
    #[arg(long)]
    stage: String,
    #[arg(long, value_enum, default_value = "text")]
    format: CostFormat,
}

pub fn run(app: &App, args: CostArgs) -> i32 {
    let stages = match super::select_stages(app, &args.stage) {
        Ok(stages) => stages,
        Err(code) => return code,
    };
    let mut estimates = Vec::new();
    for stage in stages {
        match cost::estimate_stacks(app, stage, &app.synth(stage)) {
            Ok(estimate) => estimates.push(estimate),
            Err(e) => {
                eprintln!("error: cost {}: {e:#}", stage.name);
                return 1;
            }
        }
    }
    match args.format {
        CostFormat::Text => {
            let texts: Vec<String> = estimates.iter().map(render::text).collect();
            print!("{}", texts.join("\n"));
        }
        CostFormat::Markdown => {
            let texts: Vec<String> = estimates.iter().map(render::markdown).collect();
            print!("{}", texts.join("\n"));
        }
        CostFormat::Json => print!("{}", render::json(&estimates)),
    }
    if app.usage.is_none() {
        eprintln!(
            "note: {} declares no usage assumptions (App::usage): only the costs its templates \
             fix are priced",
            app.name
        );
    }
    0
}
