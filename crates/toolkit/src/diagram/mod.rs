//! Architecture diagrams drawn from the synthesized templates, never by hand: nodes per
//! stack, edges from grants (IAM role statements), routes, triggers and cross-stack
//! references (fixed names, SSM parameters). Rendered as Mermaid (a Markdown page GitHub
//! renders) or Graphviz DOT; deterministic, so CI can check the committed file is current.
mod actions;
mod build;
mod document;
mod dot;
mod grants;
pub mod mermaid;
pub mod model;
mod nodes;
mod references;
mod resolve;
mod routes;
mod template;
mod triggers;

use std::path::{Path, PathBuf};

use crate::synth::SynthesizedStack;
use crate::{App, Stage};

pub use model::{Diagram, Edge, EdgeKind, Node, NodeId, Shape};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Markdown page with a ```mermaid block (`architecture-<stage>.md`).
    Mermaid,
    /// Graphviz source (`architecture-<stage>.dot`).
    Dot,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Mermaid => "md",
            Format::Dot => "dot",
        }
    }
}

/// The diagram of one stage of an app, from its synthesized stacks.
pub fn diagram(stage: Stage, stacks: &[SynthesizedStack]) -> anyhow::Result<Diagram> {
    diagram_of(stage.app, stage.name, stacks)
}

/// [`diagram`] by names: `app` is the physical-name prefix (`bubblebatch`), cut with the
/// stage from node names (`bubblebatch-dev-table` → `table`) and SSM names in labels.
pub fn diagram_of(app: &str, stage: &str, stacks: &[SynthesizedStack]) -> anyhow::Result<Diagram> {
    build::diagram(
        &format!("{app} {stage}"),
        &format!("{app}-{stage}-"),
        &format!("/{app}/{stage}/"),
        stacks,
    )
}

/// The file's content: `command` is how to regenerate it (named in the file).
pub fn render(diagram: &Diagram, format: Format, command: &str) -> String {
    match format {
        Format::Mermaid => document::markdown(diagram, command),
        Format::Dot => document::dot(diagram, command),
    }
}

/// `<root>/docs` for an app whose templates live in `stacks/`; `<root>/docs/examples/x`
/// for one in `stacks/examples/x`: docs mirror the stacks folders.
pub fn docs_dir(app: &App) -> PathBuf {
    let below_stacks = Path::new(app.stacks_dir)
        .strip_prefix("stacks")
        .unwrap_or(Path::new(app.stacks_dir));
    app.root().join("docs").join(below_stacks)
}

pub fn file_name(stage: &str, format: Format) -> String {
    format!("architecture-{stage}.{}", format.extension())
}

#[derive(Debug, PartialEq, Eq)]
pub enum FileOutcome {
    /// Written (`true`) or already identical (`false`).
    Written(bool),
    Current,
    /// The committed file is missing or differs: a short unified diff, committed → fresh.
    Stale(String),
}

/// Writes `content` to `path`, or with `check` compares it with what is there.
pub fn write_or_check(path: &Path, content: &str, check: bool) -> anyhow::Result<FileOutcome> {
    let existing = std::fs::read_to_string(path).ok();
    if check {
        return Ok(match existing {
            Some(committed) if committed == content => FileOutcome::Current,
            Some(committed) => FileOutcome::Stale(short_diff(&committed, content)),
            None => FileOutcome::Stale(format!("{} does not exist\n", path.display())),
        });
    }
    if existing.as_deref() == Some(content) {
        return Ok(FileOutcome::Written(false));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, content)?;
    Ok(FileOutcome::Written(true))
}

/// At most 40 lines of unified diff: enough to see what moved in a CI log.
fn short_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header("committed", "synthesized")
        .to_string();
    let mut lines: Vec<&str> = text.lines().take(41).collect();
    if lines.len() > 40 {
        lines.truncate(40);
        lines.push("...");
    }
    lines.join("\n") + "\n"
}
