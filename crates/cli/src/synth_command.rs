//! `infra synth`: write (or `--check`) the templates of one or all stages.
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

use super::StageSelection;
use crate::policy::{self, Policies};
use crate::synth::pipeline::{self, FileOutcome};
use crate::synth::{files, limits, report, synth_stage};

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// dev, prod or all
    #[arg(long, default_value = "all")]
    stage: StageSelection,
    /// Do not write; exit 1 if the committed templates differ from a fresh synth
    #[arg(long)]
    check: bool,
    /// Print the per-function permission report (Markdown) after synthesizing
    #[arg(long)]
    permissions: bool,
    /// Output folder (default: stacks/ at the workspace root)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Policy folder (default: policies/ at the workspace root)
    #[arg(long)]
    policies: Option<PathBuf>,
}

pub fn run(args: SynthArgs) -> i32 {
    match synth(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

fn synth(args: SynthArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let out = args.out.unwrap_or_else(files::default_dir);
    let policies = Policies::load(&args.policies.unwrap_or_else(policy::default_dir))?;
    let mut exit = 0;
    for stage in args.stage.0 {
        let name = stage.name();
        let stacks = synth_stage(stage)?;
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
                eprintln!("run `cargo run -p infra -- synth` and commit stacks/");
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
