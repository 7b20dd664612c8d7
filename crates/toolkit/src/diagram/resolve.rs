//! Resolving a template value to the node it names, within a stack and across stacks.
//!
//! Stacks of an app share values without exports (see the README): by fixed physical
//! names (`arn:...:table/bubblebatch-dev-table` in another stack's role) and through SSM
//! parameters (a template parameter of type `AWS::SSM::Parameter::Value<String>` whose
//! default is the name of an `AWS::SSM::Parameter` another stack writes). This index
//! follows both, so a diagram shows the edges CloudFormation itself never sees.
use std::collections::BTreeMap;

use serde_json::Value;

use super::model::NodeId;
use super::nodes::{self, arn_service, drawn, name_property, physical_name};
use super::template::{display, placeholders, text, Template};

/// Recursion bound for chains such as parameter → SSM → value → resource → owner.
const MAX_DEPTH: usize = 8;

/// What a value names: a node, what part of it (index, object prefix, alias), and the
/// SSM parameter it was found through, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub node: NodeId,
    pub qualifier: Option<Qualifier>,
    pub via_ssm: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qualifier {
    /// A DynamoDB index (`table/<name>/index/<index>`).
    Index(String),
    /// An S3 key pattern (`<bucket>/users/*`).
    Objects(String),
    /// A Lambda alias or version (`function:<name>:<alias>`).
    Alias(String),
}

pub struct Index<'a> {
    pub templates: &'a [Template],
    /// (ARN service, displayed physical name) → nodes.
    names: BTreeMap<(String, String), Vec<NodeId>>,
    /// Displayed physical name → nodes of any type (used only when exactly one matches).
    plain_names: BTreeMap<String, Vec<NodeId>>,
    /// SSM parameter name → (template, its `Value`).
    ssm: BTreeMap<String, (usize, &'a Value)>,
}

impl<'a> Index<'a> {
    pub fn new(templates: &'a [Template]) -> Index<'a> {
        let mut index = Index {
            templates,
            names: BTreeMap::new(),
            plain_names: BTreeMap::new(),
            ssm: BTreeMap::new(),
        };
        for (t, template) in templates.iter().enumerate() {
            for (id, resource) in &template.resources {
                let resource_type = resource["Type"].as_str().unwrap_or_default();
                if resource_type == "AWS::SSM::Parameter" {
                    if let Some(name) = resource["Properties"]["Name"].as_str() {
                        index
                            .ssm
                            .insert(name.to_string(), (t, &resource["Properties"]["Value"]));
                    }
                }
                if drawn(resource_type).is_none() || name_property(resource_type).is_none() {
                    continue;
                }
                let (Some(service), Some(name)) =
                    (arn_service(resource_type), physical_name(template, id))
                else {
                    continue;
                };
                let node = NodeId::resource(&template.name, id);
                index
                    .names
                    .entry((service.to_string(), name.clone()))
                    .or_default()
                    .push(node.clone());
                index.plain_names.entry(name).or_default().push(node);
            }
        }
        index
    }

    /// The node with this physical name among resources of one ARN service.
    pub fn by_name(&self, service: &str, name: &str) -> Option<NodeId> {
        unique(self.names.get(&(service.to_string(), name.to_string()))?)
    }

    /// What a value in template `t` names, if anything drawn.
    pub fn resolve(&self, t: usize, value: &Value) -> Option<Target> {
        self.resolve_at(t, value, 0)
    }

    fn resolve_at(&self, t: usize, value: &Value, depth: usize) -> Option<Target> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(id) = direct_reference(value) {
            return self.resolve_logical(t, id, depth + 1);
        }
        let raw = text(value)?;
        if let Some(inner) = raw.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            if !inner.contains("${") && !inner.starts_with("AWS::") {
                let id = inner.split('.').next().unwrap_or(inner);
                return self.resolve_logical(t, id, depth + 1);
            }
        }
        let shown = display(&raw);
        if shown.starts_with("arn:") {
            return self.resolve_arn(t, &shown, depth);
        }
        if let Some(node) = self.plain_names.get(&shown).and_then(|n| unique(n)) {
            return Some(plain(node));
        }
        placeholders(&raw)
            .into_iter()
            .find_map(|id| self.resolve_logical(t, id, depth + 1))
    }

    fn resolve_arn(&self, t: usize, arn: &str, depth: usize) -> Option<Target> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let (service, resource) = (*parts.get(2)?, *parts.get(5)?);
        let found = match service {
            "dynamodb" => resource.strip_prefix("table/").and_then(|rest| {
                let mut segments = rest.split('/');
                let node = self.by_name(service, segments.next()?)?;
                let qualifier = match (segments.next(), segments.next()) {
                    (Some("index"), Some(index)) => Some(Qualifier::Index(index.to_string())),
                    _ => None,
                };
                Some((node, qualifier))
            }),
            "s3" => {
                let (bucket, key) = match resource.split_once('/') {
                    Some((bucket, key)) => (bucket, Some(key)),
                    None => (resource, None),
                };
                self.by_name(service, bucket)
                    .map(|node| (node, key.map(|k| Qualifier::Objects(k.to_string()))))
            }
            "lambda" => resource.strip_prefix("function:").and_then(|rest| {
                let mut segments = rest.split(':');
                let node = self.by_name(service, segments.next()?)?;
                Some((
                    node,
                    segments.next().map(|a| Qualifier::Alias(a.to_string())),
                ))
            }),
            "secretsmanager" => resource.strip_prefix("secret:").and_then(|name| {
                let name = name.strip_suffix("-*").unwrap_or(name);
                let name = name.strip_suffix("-??????").unwrap_or(name);
                self.by_name(service, name).map(|n| (n, None))
            }),
            "rds" => resource
                .strip_prefix("db:")
                .and_then(|name| self.by_name(service, name))
                .map(|n| (n, None)),
            "scheduler" | "events" => resource
                .rsplit('/')
                .next()
                .and_then(|name| self.by_name(service, name))
                .map(|n| (n, None)),
            // Log groups are not drawn: every function writes to its own.
            "logs" => return None,
            _ => self.by_name(service, resource).map(|n| (n, None)),
        };
        if let Some((node, qualifier)) = found {
            return Some(Target {
                node,
                qualifier,
                via_ssm: None,
            });
        }
        // `userpool/${UserPoolId}`, `${HttpApi}/*/GET/...`: the reference inside.
        placeholders(resource)
            .into_iter()
            .find_map(|id| self.resolve_logical(t, id, depth + 1))
    }

    /// A logical ID of template `t`: one of its resources, or one of its parameters
    /// (followed through SSM when the parameter is SSM-typed).
    fn resolve_logical(&self, t: usize, id: &str, depth: usize) -> Option<Target> {
        let template = &self.templates[t];
        if template.resources.contains_key(id) {
            return self.owner_at(t, id, depth).map(plain);
        }
        let parameter = template.parameters.get(id)?;
        let ssm_typed = parameter["Type"]
            .as_str()
            .is_some_and(|ty| ty.starts_with("AWS::SSM::Parameter::Value"));
        if !ssm_typed {
            return None;
        }
        let path = parameter["Default"].as_str()?;
        let (producer, value) = self.ssm.get(path)?;
        let mut target = self.resolve_at(*producer, value, depth + 1)?;
        target.via_ssm.get_or_insert_with(|| path.to_string());
        Some(target)
    }

    /// The node a resource is drawn as or belongs to: itself if drawn; the stack's alarm
    /// node for an alarm; the node using it for a role or log group; otherwise the node
    /// it configures (an integration → its API, a bucket policy → its bucket).
    pub fn owner(&self, t: usize, id: &str) -> Option<NodeId> {
        self.owner_at(t, id, 0)
    }

    fn owner_at(&self, t: usize, id: &str, depth: usize) -> Option<NodeId> {
        if depth > MAX_DEPTH {
            return None;
        }
        let template = &self.templates[t];
        let resource_type = template.type_of(id)?;
        if drawn(resource_type).is_some() {
            return Some(NodeId::resource(&template.name, id));
        }
        match resource_type {
            "AWS::CloudWatch::Alarm" => Some(NodeId::resource(&template.name, nodes::ALARMS)),
            "AWS::SSM::Parameter" => self
                .resolve_at(t, &template.properties(id)["Value"], depth + 1)
                .map(|target| target.node),
            "AWS::IAM::Role" | "AWS::IAM::Policy" | "AWS::Logs::LogGroup" => template
                .resources
                .iter()
                .filter(|(other, _)| other.as_str() != id)
                .filter(|(_, r)| logical_references(&r["Properties"]).contains(&id))
                .find_map(|(other, _)| self.owner_at(t, other, depth + 1)),
            _ => self.forward_owner(t, id, depth),
        }
    }

    /// The first node a resource refers to, parent-like properties first.
    fn forward_owner(&self, t: usize, id: &str, depth: usize) -> Option<NodeId> {
        const PARENT_KEYS: [&str; 8] = [
            "ApiId",
            "FunctionName",
            "Bucket",
            "UserPoolId",
            "Topics",
            "TopicArn",
            "VpcId",
            "DistributionConfig",
        ];
        let properties = self.templates[t].properties(id).as_object()?;
        let parents = PARENT_KEYS.iter().filter_map(|k| properties.get(*k));
        let others = properties
            .iter()
            .filter(|(k, _)| !PARENT_KEYS.contains(&k.as_str()))
            .map(|(_, v)| v);
        parents.chain(others).find_map(|value| {
            let mut ids = logical_references(value);
            ids.retain(|other| *other != id);
            ids.into_iter()
                .find_map(|other| self.resolve_logical(t, other, depth + 1))
                .or_else(|| self.resolve_at(t, value, depth + 1))
                .map(|target| target.node)
        })
    }
}

fn plain(node: NodeId) -> Target {
    Target {
        node,
        qualifier: None,
        via_ssm: None,
    }
}

fn unique(nodes: &[NodeId]) -> Option<NodeId> {
    match nodes {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// `{"Ref": X}` or `{"Fn::GetAtt": [X, ...]}` → X.
fn direct_reference(value: &Value) -> Option<&str> {
    if let Some(id) = value.get("Ref").and_then(Value::as_str) {
        return (!id.starts_with("AWS::")).then_some(id);
    }
    match value.get("Fn::GetAtt")? {
        Value::String(dotted) => dotted.split('.').next(),
        attribute => attribute.get(0)?.as_str(),
    }
}

/// Every logical ID referenced anywhere inside a value (Ref, GetAtt, Sub placeholders).
pub fn logical_references(value: &Value) -> Vec<&str> {
    let mut ids = Vec::new();
    walk(value, &mut ids);
    ids
}

fn walk<'v>(value: &'v Value, ids: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            if let Some(id) = direct_reference(value) {
                ids.push(id);
                return;
            }
            if let Some(sub) = map.get("Fn::Sub") {
                let template = sub.as_str().or_else(|| sub.get(0).and_then(Value::as_str));
                ids.extend(template.map(placeholders).unwrap_or_default());
                if let Some(variables) = sub.get(1) {
                    walk(variables, ids);
                }
                return;
            }
            map.values().for_each(|v| walk(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, ids)),
        _ => {}
    }
}
