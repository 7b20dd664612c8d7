//! The document a rules file is evaluated over, assembled from values that stay where they
//! are: a stack's template with `Stage` beside its keys, or a stage's stacks' resources
//! merged under `<stack><logical id>` keys. Nothing is copied to build one (copying, like
//! parsing before it, was about half of the policy check of a 1,000-function app); the
//! whole document is built as one value only if a rule reads the root or `Resources` as a
//! whole, which the policies never do.
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// A top-level entry: a value, or the merged `Resources`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Entry<'a> {
    Value(&'a Value),
    Resources,
}

#[derive(Debug)]
pub struct Document<'a> {
    /// Top-level entries in document order; a later one hides an earlier one of its key.
    entries: Vec<(&'a str, Entry<'a>)>,
    /// The objects `Resources` merges, in order, each with the prefix its keys take.
    resources: Vec<(&'a str, &'a Map<String, Value>)>,
    /// The document as one value, and `Resources` as one, built on first need.
    whole: OnceLock<Value>,
    merged: OnceLock<Value>,
}

impl<'a> Document<'a> {
    /// Any JSON value as it is.
    #[cfg(test)]
    pub fn json(value: &'a Value) -> Document<'a> {
        Document::with_stage(value, None)
    }

    /// A stack's template with the stage name at `Stage`.
    pub fn stack(template: &'a Value, stage: &'a Value) -> Document<'a> {
        Document::with_stage(template, Some(stage))
    }

    fn with_stage(template: &'a Value, stage: Option<&'a Value>) -> Document<'a> {
        let mut entries = Vec::new();
        let mut resources = Vec::new();
        for (key, value) in template.as_object().into_iter().flatten() {
            match value {
                Value::Object(map) if key == "Resources" => {
                    resources.push(("", map));
                    entries.push((key.as_str(), Entry::Resources));
                }
                _ => entries.push((key.as_str(), Entry::Value(value))),
            }
        }
        if let Some(stage) = stage {
            entries.push(("Stage", Entry::Value(stage)));
        }
        let document = Document::new(entries, resources);
        if !template.is_object() {
            // Not a template: evaluated as the value it is.
            document.whole.set(template.clone()).expect("just created");
        }
        document
    }

    /// A stage: `Stage` and the stacks' resources under `<stack><logical id>` keys.
    pub fn stage(
        stage: &'a Value,
        stacks: impl IntoIterator<Item = (&'a str, &'a Map<String, Value>)>,
    ) -> Document<'a> {
        Document::new(
            vec![
                ("Stage", Entry::Value(stage)),
                ("Resources", Entry::Resources),
            ],
            stacks.into_iter().collect(),
        )
    }

    fn new(
        entries: Vec<(&'a str, Entry<'a>)>,
        resources: Vec<(&'a str, &'a Map<String, Value>)>,
    ) -> Document<'a> {
        Document {
            entries,
            resources,
            whole: OnceLock::new(),
            merged: OnceLock::new(),
        }
    }

    /// Whether the root is the object of `entries` (else only [`Document::whole`] says it).
    pub(super) fn is_object(&self) -> bool {
        self.whole.get().is_none_or(Value::is_object)
    }

    pub(super) fn entry(&self, key: &str) -> Option<(&'a str, Entry<'a>)> {
        self.entries.iter().rev().find(|(k, _)| *k == key).copied()
    }

    /// The resource at a merged key: `(prefix, logical id, resource)`.
    pub(super) fn resource(&self, key: &str) -> Option<(&'a str, &'a str, &'a Value)> {
        self.resources.iter().rev().find_map(|(prefix, map)| {
            let (id, resource) = map.get_key_value(key.strip_prefix(prefix)?)?;
            Some((*prefix, id.as_str(), resource))
        })
    }

    /// Every resource in document order: `(prefix, logical id, resource)`.
    pub(super) fn resources(&self) -> impl Iterator<Item = (&'a str, &'a str, &'a Value)> + '_ {
        self.resources
            .iter()
            .flat_map(|(prefix, map)| map.iter().map(|(id, r)| (*prefix, id.as_str(), r)))
    }

    pub(super) fn has_resources(&self) -> bool {
        self.resources.iter().any(|(_, map)| !map.is_empty())
    }

    /// The document as one value (what cfn-guard is given).
    pub fn whole(&self) -> &Value {
        self.whole.get_or_init(|| {
            let mut root = Map::new();
            for (key, entry) in &self.entries {
                let value = match entry {
                    Entry::Value(value) => (*value).clone(),
                    Entry::Resources => self.merged_resources().clone(),
                };
                root.insert(key.to_string(), value);
            }
            Value::Object(root)
        })
    }

    /// `Resources` as one value.
    pub(super) fn merged_resources(&self) -> &Value {
        self.merged.get_or_init(|| {
            Value::Object(
                self.resources()
                    .map(|(prefix, id, r)| (format!("{prefix}{id}"), r.clone()))
                    .collect(),
            )
        })
    }
}
