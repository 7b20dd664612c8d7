//! Graphviz DOT: one cluster per stack (`dot -Tsvg` renders it).
use std::fmt::Write as _;

use super::model::{Diagram, EdgeKind, Node, Shape};

pub fn render(diagram: &Diagram) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir=LR;\n  fontname=\"Helvetica\";\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
        escape(&diagram.title)
    );
    for node in diagram.nodes_of(None) {
        let _ = writeln!(out, "  {}", node_text(node));
    }
    for (stack, stack_name) in &diagram.stacks {
        let _ = writeln!(out, "  subgraph cluster_{stack} {{");
        let _ = writeln!(
            out,
            "    label=\"{}\";\n    style=rounded;",
            escape(&format!("{stack} · {stack_name}"))
        );
        for node in diagram.nodes_of(Some(stack)) {
            let _ = writeln!(out, "    {}", node_text(node));
        }
        out.push_str("  }\n");
    }
    for edge in &diagram.edges {
        let style = match edge.kind {
            EdgeKind::Route => "style=bold",
            EdgeKind::Trigger | EdgeKind::Grant => "style=solid",
            EdgeKind::Watch | EdgeKind::Reference => "style=dashed",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", {style}];",
            edge.from.0,
            edge.to.0,
            lines(&edge.lines)
        );
    }
    out.push_str("}\n");
    out
}

fn node_text(node: &Node) -> String {
    let (shape, fill) = match node.shape {
        Shape::Compute => ("box\", style=\"rounded,filled", "#fff4e0"),
        Shape::Store => ("cylinder\", style=\"filled", "#e6f0ff"),
        Shape::Entry => ("hexagon\", style=\"filled", "#f3e8ff"),
        Shape::Signal => ("cds\", style=\"filled", "#ffe9ec"),
        Shape::Plain => ("box\", style=\"filled", "#eef7ee"),
        Shape::External => ("parallelogram\", style=\"filled", "#f5f5f5"),
    };
    format!(
        "{} [label=\"{}\", shape=\"{shape}\", fillcolor=\"{fill}\"];",
        node.id.0,
        lines(&node.lines)
    )
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
