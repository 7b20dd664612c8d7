//! `diagram`: the architecture diagram of one or all stages, drawn from the synthesized
//! templates, written under docs/ (or `--check`ed, as CI does).
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use toolkit::diagram::{self, FileOutcome, Format};
use toolkit::App;

#[derive(Debug, Args)]
pub struct DiagramArgs {
    /// A stage of the app (e.g. dev, prod) or all
    #[arg(long, default_value = "all")]
    stage: String,
    /// Mermaid (a Markdown page GitHub renders) or Graphviz DOT
    #[arg(long, value_enum, default_value = "mermaid")]
    format: DiagramFormat,
    /// Do not write; exit 1 if the committed diagram differs from the synthesized stacks
    #[arg(long)]
    check: bool,
    /// Output folder (default: docs/, or docs/examples/<app> for an app in stacks/examples/<app>)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the diagram instead of writing a file
    #[arg(long, conflicts_with_all = ["check", "out"])]
    stdout: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiagramFormat {
    Mermaid,
    Dot,
}

impl From<DiagramFormat> for Format {
    fn from(format: DiagramFormat) -> Format {
        match format {
            DiagramFormat::Mermaid => Format::Mermaid,
            DiagramFormat::Dot => Format::Dot,
        }
    }
}

pub fn run(app: &App, args: DiagramArgs) -> i32 {
    let stages = match super::select_stages(app, &args.stage) {
        Ok(stages) => stages,
        Err(code) => return code,
    };
    let mut exit = 0;
    for stage in stages {
        match one_stage(app, stage, &args) {
            Ok(code) => exit = exit.max(code),
            Err(e) => {
                eprintln!("error: diagram {}: {e:#}", stage.name);
                exit = 1;
            }
        }
    }
    exit
}

fn one_stage(app: &App, stage: toolkit::Stage, args: &DiagramArgs) -> anyhow::Result<i32> {
    let format = Format::from(args.format);
    let stacks = app.synth(stage);
    let drawn = diagram::diagram(stage, &stacks)?;
    let flag = match format {
        Format::Mermaid => "",
        Format::Dot => " --format dot",
    };
    let command = format!("{} diagram --stage {}{flag}", app.command(), stage.name);
    let content = diagram::render(&drawn, format, &command);
    if args.stdout {
        print!("{content}");
        return Ok(0);
    }
    let dir = args.out.clone().unwrap_or_else(|| diagram::docs_dir(app));
    let path = dir.join(diagram::file_name(stage.name, format));
    let shown = path.strip_prefix(app.root()).unwrap_or(&path).display();
    Ok(
        match diagram::write_or_check(&path, &content, args.check)? {
            FileOutcome::Written(changed) => {
                let what = if changed { "wrote" } else { "unchanged" };
                println!(
                    "diagram {}: {what} {shown} ({} nodes, {} edges)",
                    stage.name,
                    drawn.nodes.len(),
                    drawn.edges.len()
                );
                0
            }
            FileOutcome::Current => {
                println!("diagram {}: {shown} is current", stage.name);
                0
            }
            FileOutcome::Stale(diff) => {
                eprint!("{diff}");
                eprintln!(
                "stale: {shown} differs from the synthesized stacks; run `{command}` and commit it"
            );
                1
            }
        },
    )
}
