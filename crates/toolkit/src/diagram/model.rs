//! What a diagram is made of, independent of how it is drawn (Mermaid, Graphviz).
use std::collections::BTreeMap;

/// A node's identifier in the rendered diagram: `<Stack>_<LogicalId>` for resources,
/// `ext_...` for things outside the stacks (clients, email addresses). Letters, digits
/// and underscores only, so every renderer takes it as is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub String);

impl NodeId {
    pub fn resource(stack: &str, logical_id: &str) -> NodeId {
        NodeId(format!("{}_{}", sanitize(stack), sanitize(logical_id)))
    }

    pub fn external(name: &str) -> NodeId {
        NodeId(format!("ext_{}", sanitize(name)))
    }
}

fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// How a node is drawn: the shapes tell data from compute from entry points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// Lambda functions.
    Compute,
    /// Tables, buckets, databases, secrets: things holding data.
    Store,
    /// APIs and CDNs: where requests come in.
    Entry,
    /// Topics, queues, schedules, alarms, budgets.
    Signal,
    /// Identity (user pools) and networking.
    Plain,
    /// Outside the stacks: clients, email inboxes.
    External,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: NodeId,
    /// The stack (file name, e.g. `Api`) it belongs to; `None` for external nodes.
    pub stack: Option<String>,
    /// Lines of its label, first the name, then what it is.
    pub lines: Vec<String>,
    pub shape: Shape,
}

/// Why an edge is there; also the order edges are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// API route → function (method, path, authorizer); CDN → origin; client → API.
    Route,
    /// Something that starts a function or sends a notification: schedule, S3
    /// notification, alarm → topic, budget → topic, topic → email.
    Trigger,
    /// A function's IAM role allows it actions on the target.
    Grant,
    /// An alarm watches a metric of the target.
    Watch,
    /// Any other reference: through an SSM parameter, a fixed name, an environment
    /// variable or a property. Drawn only between nodes no other edge connects.
    Reference,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    /// Label lines, sorted and without duplicates once the diagram is finished.
    pub lines: Vec<String>,
}

/// The whole picture of one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// e.g. `bubblebatch dev`.
    pub title: String,
    /// Stack file names in deployment order, with their CloudFormation stack names.
    pub stacks: Vec<(String, String)>,
    pub nodes: BTreeMap<NodeId, Node>,
    pub edges: Vec<Edge>,
    /// Resource types not drawn as nodes, with how many of each (and where they show).
    pub not_drawn: BTreeMap<String, usize>,
}

impl Diagram {
    /// Nodes of one stack (or, with `None`, the external ones), in identifier order.
    pub fn nodes_of<'a>(&'a self, stack: Option<&'a str>) -> impl Iterator<Item = &'a Node> {
        self.nodes
            .values()
            .filter(move |n| n.stack.as_deref() == stack)
    }
}
