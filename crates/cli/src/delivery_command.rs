//! `delivery`: write (or `--check`) each stage's delivery stack — the roles a CI pipeline
//! assumes through GitHub OIDC — to `<stacks>/delivery/<stage>/Delivery.json`.
use clap::Args;
use std::path::PathBuf;

use toolkit::policy::Policies;
use toolkit::synth::pipeline::{self, FileOutcome};
use toolkit::App;

#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// A stage of the app (e.g. dev, prod) or all
    #[arg(long, default_value = "all")]
    stage: String,
    /// Do not write; exit 1 if the committed templates differ from a fresh synth
    #[arg(long)]
    check: bool,
    /// Output folder (default: <the app's stacks folder>/delivery)
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(app: &App, args: DeliveryArgs) -> i32 {
    let stages = match super::select_stages(app, &args.stage) {
        Ok(stages) => stages,
        Err(code) => return code,
    };
    match deliver(app, &stages, args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

fn deliver(app: &App, stages: &[toolkit::Stage], args: DeliveryArgs) -> anyhow::Result<i32> {
    let out = args
        .out
        .unwrap_or_else(|| app.stacks_path().join("delivery"));
    let policies = Policies::load(&app.policies_path())?.per_stack();
    let mut exit = 0;
    for &stage in stages {
        let name = stage.name();
        let stacks = vec![app.delivery(stage)?];
        if let Err(failure) = pipeline::check(name, &stacks, &policies)? {
            eprint!("{failure}");
            eprintln!("delivery {name}: failed, nothing written");
            exit = 1;
            continue;
        }
        match pipeline::write_or_check(&out, name, &stacks, args.check)? {
            FileOutcome::Written(changed) => println!(
                "delivery {name}: {changed} changed, policies passed → {}",
                out.join(name).display()
            ),
            FileOutcome::Current => println!("delivery {name}: committed template is current"),
            FileOutcome::Stale(problems) => {
                for problem in problems {
                    eprintln!("stale: {problem}");
                }
                eprintln!("run `{} delivery` and commit the result", app.command());
                exit = 1;
            }
        }
    }
    Ok(exit)
}
