//! `synth`: write (or `--check`) the templates of one or all stages.
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

use toolkit::policy::Policies;
use toolkit::synth::pipeline::{self, FileOutcome};
use toolkit::synth::{limits, report};
use toolkit::App;

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// A stage of the app (e.g. dev, prod) or all
    #[arg(long, default_value = "all")]
    stage: String,
    /// Do not write; exit 1 if the committed templates differ from a fresh synth
    #[arg(long)]
    check: bool,
    /// Print the per-function permission report (Markdown) after synthesizing
    #[arg(long)]
    permissions: bool,
    /// Output folder (default: the app's stacks folder, e.g. stacks/)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Policy folder (default: policies/ at the workspace root)
    #[arg(long)]
    policies: Option<PathBuf>,
}

pub fn run(app: &App, args: SynthArgs) -> i32 {
    let stages = match super::select_stages(app, &args.stage) {
        Ok(stages) => stages,
        Err(code) => return code,
    };
    match synth(app, &stages, args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

fn synth(app: &App, stages: &[toolkit::Stage], args: SynthArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let out = args.out.unwrap_or_else(|| app.stacks_path());
    let policies = Policies::load(&args.policies.unwrap_or_else(|| app.policies_path()))?;
    let mut exit = 0;
    for &stage in stages {
        let name = stage.name();
        let stacks = app.synth(stage);
        let checked = match pipeline::check(name, &stacks, &policies)? {
            Ok(checked) => checked,
            Err(failure) => {
                eprint!("{failure}");
                eprintln!("synth {name}: failed, no templates written");
                exit = 1;
                continue;
            }
        };
        for warning in &checked.warnings {
            eprintln!("warning: {warning}");
        }
        for note in &checked.notes {
            eprintln!("note: {note}");
        }
        let shown = out
            .canonicalize()
            .unwrap_or_else(|_| out.clone())
            .join(name);
        for stack in &stacks {
            println!(
                "  {name}/{:<11} {:>4} resources {:>7} bytes",
                stack.name,
                limits::resource_count(stack),
                stack.template_json.len()
            );
        }
        match pipeline::write_or_check(&out, name, &stacks, args.check)? {
            FileOutcome::Written(changed) => println!(
                "synth {name}: {} stacks, {changed} changed, policies passed → {}",
                stacks.len(),
                shown.display()
            ),
            FileOutcome::Current => println!("synth {name}: committed templates are current"),
            FileOutcome::Stale(problems) => {
                for problem in problems {
                    eprintln!("stale: {problem}");
                }
                eprintln!(
                    "run `{} synth` and commit {}/",
                    app.command(),
                    app.stacks_dir
                );
                exit = 1;
            }
        }
        match pipeline::bootstrap(&out, stage, &policies, args.check)? {
            Ok(FileOutcome::Stale(problems)) => {
                for problem in problems {
                    eprintln!("stale: {problem}");
                }
                exit = 1;
            }
            Ok(_) => {}
            Err(failure) => {
                eprint!("{failure}");
                eprintln!("synth {name}: the bootstrap stack fails the policies");
                exit = 1;
            }
        }
        if args.permissions {
            print!(
                "{}",
                report::render_markdown(name, &report::permissions(&stacks))
            );
        }
    }
    eprintln!("done in {} ms", started.elapsed().as_millis());
    Ok(exit)
}
