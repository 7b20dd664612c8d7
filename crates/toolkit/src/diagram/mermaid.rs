//! Mermaid flowchart: GitHub renders it inside a ```mermaid block.
use std::fmt::Write as _;

use super::model::{Diagram, EdgeKind, Node, Shape};

pub fn render(diagram: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    for node in diagram.nodes_of(None) {
        let _ = writeln!(out, "  {}", node_text(node));
    }
    for (stack, stack_name) in &diagram.stacks {
        let _ = writeln!(
            out,
            "  subgraph stack_{}[\"{}\"]",
            stack,
            escape(&format!("{stack} · {stack_name}"))
        );
        for node in diagram.nodes_of(Some(stack)) {
            let _ = writeln!(out, "    {}", node_text(node));
        }
        out.push_str("  end\n");
    }
    for edge in &diagram.edges {
        let arrow = match edge.kind {
            EdgeKind::Route => "==>",
            EdgeKind::Trigger | EdgeKind::Grant => "-->",
            EdgeKind::Watch | EdgeKind::Reference => "-.->",
        };
        let label = if edge.lines.is_empty() {
            String::new()
        } else {
            format!("|\"{}\"|", lines(&edge.lines))
        };
        let _ = writeln!(out, "  {} {arrow}{label} {}", edge.from.0, edge.to.0);
    }
    for (class, style) in CLASSES {
        let _ = writeln!(out, "  classDef {class} {style}");
    }
    for (shape, class) in SHAPE_CLASSES {
        let members: Vec<&str> = diagram
            .nodes
            .values()
            .filter(|n| n.shape == shape)
            .map(|n| n.id.0.as_str())
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

const CLASSES: [(&str, &str); 6] = [
    ("compute", "fill:#fff4e0,stroke:#d9822b"),
    ("store", "fill:#e6f0ff,stroke:#3d6fb6"),
    ("entry", "fill:#f3e8ff,stroke:#7c4dbd"),
    ("signal", "fill:#ffe9ec,stroke:#c4314b"),
    ("plain", "fill:#eef7ee,stroke:#3f8f4f"),
    ("external", "fill:#f5f5f5,stroke:#888888"),
];

const SHAPE_CLASSES: [(Shape, &str); 6] = [
    (Shape::Compute, "compute"),
    (Shape::Store, "store"),
    (Shape::Entry, "entry"),
    (Shape::Signal, "signal"),
    (Shape::Plain, "plain"),
    (Shape::External, "external"),
];

fn node_text(node: &Node) -> String {
    let label = format!("\"{}\"", lines(&node.lines));
    let (open, close) = match node.shape {
        Shape::Compute => ("(", ")"),
        Shape::Store => ("[(", ")]"),
        Shape::Entry => ("{{", "}}"),
        Shape::Signal => (">", "]"),
        Shape::Plain => ("[", "]"),
        Shape::External => ("[/", "/]"),
    };
    format!("{}{open}{label}{close}", node.id.0)
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Mermaid's entity codes for what would end a quoted label or read as HTML.
fn escape(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        assert_eq!(escape(r#"a "b" <c>"#), "a #quot;b#quot; #lt;c#gt;");
    }
}
