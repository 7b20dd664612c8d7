//! From synthesized stacks to a [`Diagram`]: nodes first, then each kind of edge.
use std::collections::{BTreeMap, BTreeSet};

use super::model::{Diagram, Edge, EdgeKind, Node, NodeId, Shape};
use super::nodes::{self, drawn, label};
use super::resolve::Index;
use super::template::Template;
use super::{grants, references, routes, triggers};
use crate::synth::SynthesizedStack;

/// Collects nodes and edges; edges between the same two nodes for the same reason
/// merge their label lines.
#[derive(Default)]
pub struct Builder {
    nodes: BTreeMap<NodeId, Node>,
    edges: BTreeMap<(NodeId, NodeId, EdgeKind), BTreeSet<String>>,
}

impl Builder {
    pub fn edge(&mut self, from: &NodeId, to: &NodeId, kind: EdgeKind, line: Option<String>) {
        if from == to || !self.nodes.contains_key(from) || !self.nodes.contains_key(to) {
            return;
        }
        let lines = self
            .edges
            .entry((from.clone(), to.clone(), kind))
            .or_default();
        lines.extend(line.filter(|l| !l.is_empty()));
    }

    pub fn external(&mut self, name: &str, lines: Vec<String>) -> NodeId {
        let id = NodeId::external(name);
        self.nodes.entry(id.clone()).or_insert_with(|| Node {
            id: id.clone(),
            stack: None,
            lines,
            shape: Shape::External,
        });
        id
    }

    /// Whether any edge but a plain reference already joins the two nodes.
    fn connected(&self, a: &NodeId, b: &NodeId) -> bool {
        self.edges.keys().any(|(from, to, kind)| {
            *kind != EdgeKind::Reference && ((from == a && to == b) || (from == b && to == a))
        })
    }
}

/// The diagram of one stage. `prefix` (`bubblebatch-dev-`) is cut from node names;
/// `ssm_prefix` (`/bubblebatch/dev/`) from SSM parameter names in labels.
pub fn diagram(
    title: &str,
    prefix: &str,
    ssm_prefix: &str,
    stacks: &[SynthesizedStack],
) -> anyhow::Result<Diagram> {
    let templates = stacks
        .iter()
        .map(Template::parse)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let index = Index::new(&templates);
    let mut builder = Builder::default();
    let mut not_drawn = BTreeMap::new();
    for template in &templates {
        add_nodes(template, prefix, &mut builder, &mut not_drawn);
    }
    routes::add(&index, &mut builder);
    triggers::add(&index, &mut builder);
    grants::add(&index, &mut builder);
    references::add(&index, ssm_prefix, &mut builder);
    let edges = finish_edges(&builder);
    Ok(Diagram {
        title: title.to_string(),
        stacks: templates
            .iter()
            .map(|t| (t.name.clone(), t.stack_name.clone()))
            .collect(),
        nodes: builder.nodes,
        edges,
        not_drawn,
    })
}

fn add_nodes(
    template: &Template,
    prefix: &str,
    builder: &mut Builder,
    not_drawn: &mut BTreeMap<String, usize>,
) {
    let mut alarms = 0;
    for (id, resource) in &template.resources {
        let resource_type = resource["Type"].as_str().unwrap_or_default();
        match drawn(resource_type) {
            Some((shape, kind)) => {
                let node = NodeId::resource(&template.name, id);
                builder.nodes.insert(
                    node.clone(),
                    Node {
                        id: node,
                        stack: Some(template.name.clone()),
                        lines: label(template, id, prefix, kind),
                        shape,
                    },
                );
            }
            None => {
                if resource_type == "AWS::CloudWatch::Alarm" {
                    alarms += 1;
                }
                *not_drawn.entry(resource_type.to_string()).or_default() += 1;
            }
        }
    }
    if alarms > 0 {
        let node = NodeId::resource(&template.name, nodes::ALARMS);
        let count = if alarms == 1 {
            "1 alarm".to_string()
        } else {
            format!("{alarms} alarms")
        };
        builder.nodes.insert(
            node.clone(),
            Node {
                id: node,
                stack: Some(template.name.clone()),
                lines: vec![count, "CloudWatch".into()],
                shape: Shape::Signal,
            },
        );
    }
}

/// Edges in a stable order (kind, then endpoints); plain references dropped where a
/// more telling edge already joins the same two nodes.
fn finish_edges(builder: &Builder) -> Vec<Edge> {
    let mut edges: Vec<Edge> = builder
        .edges
        .iter()
        .filter(|((from, to, kind), _)| {
            *kind != EdgeKind::Reference || !builder.connected(from, to)
        })
        .map(|((from, to, kind), lines)| Edge {
            from: from.clone(),
            to: to.clone(),
            kind: *kind,
            lines: lines.iter().cloned().collect(),
        })
        .collect();
    edges.sort_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
    edges
}
