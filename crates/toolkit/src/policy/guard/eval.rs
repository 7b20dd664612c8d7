//! Evaluates a parsed rules file over a JSON document with cfn-guard 3.2.1's semantics
//! for the supported subset: a clause holds when it holds for every value its query
//! selects; a missing key fails a comparison; a query that selects nothing skips; a
//! `when` condition that does not pass skips its block. Each failing value is recorded
//! with the resource it belongs to, as cfn-guard's report does.
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::compare::{compare_eq, compare_values, compared_values, in_list, is_empty};
use super::document::{Document, Entry};

/// A resource of the document: its key is `prefix` + `id` (the prefix is the stack's name
/// in a stage document, empty in a stack's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceKey<'a> {
    pub prefix: &'a str,
    pub id: &'a str,
}

impl std::fmt::Display for ResourceKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.prefix, self.id)
    }
}

/// Where a value sits: only the resource it belongs to matters for reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc<'a> {
    Root,
    Resources,
    Resource(ResourceKey<'a>),
    Elsewhere,
}

impl<'a> Loc<'a> {
    fn child(self, key: Option<&'a str>) -> Loc<'a> {
        match (self, key) {
            (Loc::Root, Some("Resources")) => Loc::Resources,
            (Loc::Resources, Some(id)) => Loc::Resource(ResourceKey { prefix: "", id }),
            (Loc::Resource(key), _) => Loc::Resource(key),
            _ => Loc::Elsewhere,
        }
    }

    fn resource(self) -> Option<ResourceKey<'a>> {
        match self {
            Loc::Resource(key) => Some(key),
            _ => None,
        }
    }
}

/// A value of the document: JSON, or the document's root or `Resources`, which are
/// assembled from several values and read in place (see [`Document`]).
#[derive(Debug, Clone, Copy)]
enum View<'a> {
    Json(&'a Value),
    Root(&'a Document<'a>),
    Resources(&'a Document<'a>),
}

#[derive(Debug, Clone, Copy)]
struct Node<'a> {
    view: View<'a>,
    loc: Loc<'a>,
}

impl<'a> Node<'a> {
    /// The value itself; the root or `Resources` is built as one value on first need.
    fn value(self) -> &'a Value {
        match self.view {
            View::Json(value) => value,
            View::Root(document) => document.whole(),
            View::Resources(document) => document.merged_resources(),
        }
    }
}

/// A query result: a value, or where the query stopped finding one.
#[derive(Debug, Clone, Copy)]
enum Found<'a> {
    Resolved(Node<'a>),
    Unresolved(Loc<'a>),
}

impl<'a> Found<'a> {
    fn loc(self) -> Loc<'a> {
        match self {
            Found::Resolved(node) => node.loc,
            Found::Unresolved(loc) => loc,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pass,
    Fail,
    Skip,
}

/// Assertions record their failures; conditions and filters only select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Assertion,
    Gate,
}

/// One failing value of a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub message: Option<&'a str>,
    pub resource: Option<ResourceKey<'a>>,
}

/// A rule that failed on a document, with the values that made it fail (possibly none,
/// e.g. `%x !empty` over an empty selection).
#[derive(Debug)]
pub struct RuleFailure<'a> {
    pub rule: &'a str,
    pub records: Vec<Record<'a>>,
}

pub fn evaluate<'a>(file: &'a File, document: &'a Document<'a>) -> Vec<RuleFailure<'a>> {
    let mut eval = Eval {
        vars: HashMap::new(),
    };
    let view = if document.is_object() {
        View::Root(document)
    } else {
        View::Json(document.whole())
    };
    let root = Node {
        view,
        loc: Loc::Root,
    };
    for (name, query) in &file.lets {
        let values = eval.query(query, root);
        eval.vars.insert(name, values);
    }
    let mut failures = Vec::new();
    for rule in &file.rules {
        let mut records = Vec::new();
        if eval.rule(rule, root, &mut records) == Status::Fail {
            failures.push(RuleFailure {
                rule: &rule.name,
                records,
            });
        }
    }
    failures
}

struct Eval<'a> {
    vars: HashMap<&'a str, Vec<Found<'a>>>,
}

impl<'a> Eval<'a> {
    fn rule(&self, rule: &'a Rule, root: Node<'a>, records: &mut Vec<Record<'a>>) -> Status {
        if let Some(conditions) = &rule.conditions {
            if self.gate(conditions, root) != Status::Pass {
                return Status::Skip;
            }
        }
        self.conjunction(&rule.body, root, Role::Assertion, records)
    }

    /// A condition or filter: evaluated without keeping what failed.
    fn gate(&self, conjunction: &'a Conjunction, this: Node<'a>) -> Status {
        self.conjunction(conjunction, this, Role::Gate, &mut Vec::new())
    }

    fn conjunction(
        &self,
        conjunction: &'a Conjunction,
        this: Node<'a>,
        role: Role,
        records: &mut Vec<Record<'a>>,
    ) -> Status {
        let (mut passes, mut fails) = (0, 0);
        for disjunction in conjunction {
            let before = records.len();
            let mut failed = false;
            let mut passed = false;
            for clause in disjunction {
                match self.clause(clause, this, role, records) {
                    Status::Pass => {
                        passed = true;
                        break;
                    }
                    Status::Fail => failed = true,
                    Status::Skip => {}
                }
            }
            if passed {
                // A disjunction that holds reports none of its failed alternatives.
                records.truncate(before);
                passes += 1;
            } else if failed {
                fails += 1;
                // A condition or filter keeps no records, so its first failure decides it
                // (most resources fail a filter's `Type ==` line: the rest is not read).
                if role == Role::Gate {
                    break;
                }
            }
        }
        if fails > 0 {
            Status::Fail
        } else if passes > 0 {
            Status::Pass
        } else {
            Status::Skip
        }
    }

    fn clause(
        &self,
        clause: &'a Clause,
        this: Node<'a>,
        role: Role,
        records: &mut Vec<Record<'a>>,
    ) -> Status {
        match clause {
            Clause::Unary {
                query,
                op,
                negated,
                message,
            } => self.unary(query, *op, *negated, message.as_deref(), this, records),
            Clause::Binary {
                query,
                op,
                negated,
                rhs,
                message,
            } => self.binary(
                query,
                *op,
                *negated,
                rhs,
                message.as_deref(),
                this,
                role,
                records,
            ),
            Clause::Block { query, body } => self.block(query, body, this, role, records),
            Clause::When { conditions, body } => {
                if self.gate(conditions, this) != Status::Pass {
                    return Status::Skip;
                }
                self.conjunction(body, this, role, records)
            }
        }
    }

    fn block(
        &self,
        query: &'a Query,
        body: &'a Conjunction,
        this: Node<'a>,
        role: Role,
        records: &mut Vec<Record<'a>>,
    ) -> Status {
        let (mut passes, mut fails) = (0, 0);
        for found in self.query(query, this) {
            match found {
                Found::Unresolved(loc) => {
                    fails += 1;
                    records.push(record(None, loc));
                }
                Found::Resolved(node) => match self.conjunction(body, node, role, records) {
                    Status::Pass => passes += 1,
                    Status::Fail => fails += 1,
                    Status::Skip => {}
                },
            }
        }
        if fails > 0 {
            Status::Fail
        } else if passes > 0 {
            Status::Pass
        } else {
            Status::Skip
        }
    }

    fn unary(
        &self,
        query: &'a Query,
        op: UnaryOp,
        negated: bool,
        message: Option<&'a str>,
        this: Node<'a>,
        records: &mut Vec<Record<'a>>,
    ) -> Status {
        let lhs = self.query(query, this);
        let selection_question = query.ends_in_filter() || query.is_lone_variable();
        if op == UnaryOp::Empty && selection_question && lhs.is_empty() {
            // `%x !empty` over nothing fails with no value to point at.
            return if negated {
                records.push(Record {
                    message,
                    resource: None,
                });
                Status::Fail
            } else {
                Status::Pass
            };
        }
        if lhs.is_empty() {
            return Status::Skip;
        }
        let mut status = Status::Pass;
        for found in lhs {
            let holds = match (op, found) {
                (UnaryOp::Exists, found) => Some(matches!(found, Found::Resolved(_))),
                (UnaryOp::Empty, Found::Unresolved(_)) => Some(true),
                (UnaryOp::Empty, Found::Resolved(node))
                    if selection_question && !query.is_lone_variable() =>
                {
                    Some(node.value().is_null())
                }
                (UnaryOp::Empty, Found::Resolved(node)) => is_empty(node.value()),
                (_, Found::Unresolved(_)) => Some(false),
                (UnaryOp::IsString, Found::Resolved(node)) => Some(node.value().is_string()),
                (UnaryOp::IsList, Found::Resolved(node)) => Some(node.value().is_array()),
                (UnaryOp::IsStruct, Found::Resolved(node)) => Some(node.value().is_object()),
            };
            // `None`: emptiness asked of a number or boolean cannot hold either way.
            if holds.map(|h| h != negated) != Some(true) {
                status = Status::Fail;
                records.push(record(message, found.loc()));
            }
        }
        status
    }

    #[allow(clippy::too_many_arguments)]
    fn binary(
        &self,
        query: &'a Query,
        op: BinaryOp,
        negated: bool,
        rhs: &'a Rhs,
        message: Option<&'a str>,
        this: Node<'a>,
        role: Role,
        records: &mut Vec<Record<'a>>,
    ) -> Status {
        let lhs = self.query(query, this);
        if lhs.is_empty() {
            return if query.is_lone_variable() && role == Role::Assertion {
                Status::Fail
            } else {
                Status::Skip
            };
        }
        let before = records.len();
        let fail_at = |loc: Loc<'a>, records: &mut Vec<Record<'a>>| {
            records.push(record(message, loc));
        };
        match rhs {
            Rhs::Literal(literal) => {
                for found in lhs {
                    let Found::Resolved(node) = found else {
                        fail_at(found.loc(), records);
                        continue;
                    };
                    for value in compared_values(node.value(), literal, op) {
                        let loc = node.loc;
                        let holds = match (op, literal) {
                            (BinaryOp::In, Literal::Value(Value::Array(list))) => {
                                Some(in_list(value, list, negated))
                            }
                            (BinaryOp::In, _) => None,
                            (BinaryOp::Eq, literal) => {
                                compare_eq(value, literal).map(|h| h != negated)
                            }
                        };
                        // Values that cannot be compared fail, negated or not.
                        if holds != Some(true) {
                            fail_at(loc, records);
                        }
                    }
                }
            }
            Rhs::Query(rhs_query) => {
                // `lhs in %var` (the parser allows no other query comparison).
                let rhs = self.query(rhs_query, this);
                if rhs.is_empty() {
                    return if role == Role::Assertion {
                        Status::Fail
                    } else {
                        Status::Skip
                    };
                }
                let resolved = |found: &Found<'a>| match found {
                    Found::Resolved(node) => Some(*node),
                    Found::Unresolved(_) => None,
                };
                let lhs_values: Vec<Node<'a>> = lhs.iter().filter_map(resolved).collect();
                let rhs_values: Vec<&Value> =
                    rhs.iter().filter_map(resolved).map(|n| n.value()).collect();
                for found in &lhs {
                    if let Found::Unresolved(loc) = found {
                        fail_at(*loc, records);
                    }
                }
                for _ in rhs.iter().filter(|f| matches!(f, Found::Unresolved(_))) {
                    for node in &lhs_values {
                        fail_at(node.loc, records);
                    }
                }
                // Strings (function names, ARNs) are looked up, not compared one by one:
                // the stage rule over 1,000 functions would otherwise do a million compares.
                let strings: HashSet<&str> = rhs_values.iter().filter_map(|v| v.as_str()).collect();
                let others: Vec<&Value> = rhs_values
                    .iter()
                    .copied()
                    .filter(|v| !v.is_string())
                    .collect();
                for node in &lhs_values {
                    let member = node.value().as_str().is_some_and(|s| strings.contains(s))
                        || others.iter().any(|candidate| match candidate {
                            Value::Array(list) => in_list(node.value(), list, false),
                            scalar => compare_values(node.value(), scalar) == Some(true),
                        });
                    if !member {
                        fail_at(node.loc, records);
                    }
                }
            }
        }
        if records.len() > before {
            Status::Fail
        } else {
            Status::Pass
        }
    }

    fn query(&self, query: &'a Query, this: Node<'a>) -> Vec<Found<'a>> {
        let mut current = match &query.start {
            Start::This => vec![Found::Resolved(this)],
            Start::Variable(name) => self.vars.get(name.as_str()).cloned().unwrap_or_default(),
        };
        let mut previous: Option<&Part> = None;
        let mut next = Vec::with_capacity(current.len());
        for part in &query.parts {
            for found in current.drain(..) {
                match found {
                    Found::Unresolved(_) => next.push(found),
                    Found::Resolved(node) => self.step(part, previous, node, &mut next),
                }
            }
            std::mem::swap(&mut current, &mut next);
            previous = Some(part);
        }
        current
    }

    fn step(
        &self,
        part: &'a Part,
        previous: Option<&Part>,
        node: Node<'a>,
        out: &mut Vec<Found<'a>>,
    ) {
        let unresolved = Found::Unresolved(node.loc);
        let resource = |(prefix, id, value)| Node {
            view: View::Json(value),
            loc: Loc::Resource(ResourceKey { prefix, id }),
        };
        // The document's root and `Resources` read in place; anything else they are asked
        // is answered by the value they make (`Node::value`).
        match (part, node.view) {
            (Part::Key(key), View::Root(document)) => {
                out.push(match document.entry(key) {
                    Some((key, Entry::Value(value))) => Found::Resolved(Node {
                        view: View::Json(value),
                        loc: node.loc.child(Some(key)),
                    }),
                    Some((_, Entry::Resources)) => Found::Resolved(Node {
                        view: View::Resources(document),
                        loc: Loc::Resources,
                    }),
                    None => unresolved,
                });
                return;
            }
            (Part::Key(key), View::Resources(document)) => {
                out.push(
                    document
                        .resource(key)
                        .map_or(unresolved, |r| Found::Resolved(resource(r))),
                );
                return;
            }
            (Part::AllValues, View::Resources(document)) => {
                if !document.has_resources() {
                    out.push(unresolved);
                }
                out.extend(document.resources().map(|r| Found::Resolved(resource(r))));
                return;
            }
            (Part::Filter(filter), View::Resources(document))
                if !matches!(previous, Some(Part::AllValues | Part::AllIndices)) =>
            {
                for candidate in document.resources().map(resource) {
                    if self.gate(filter, candidate) == Status::Pass {
                        out.push(Found::Resolved(candidate));
                    }
                }
                return;
            }
            _ => {}
        }
        match (part, node.value()) {
            (Part::Key(key), Value::Object(map)) => match map.get_key_value(key.as_str()) {
                Some((key, value)) => out.push(Found::Resolved(child(node, value, Some(key)))),
                None => out.push(unresolved),
            },
            (Part::Key(_), _) => out.push(unresolved),
            (Part::AllValues, Value::Object(map)) => each_value(node, map, out),
            (Part::AllValues | Part::AllIndices, Value::Array(items)) => {
                each_item(node, items, out)
            }
            // A single value where a collection is expected stands for itself.
            (Part::AllValues | Part::AllIndices, _) => out.push(Found::Resolved(node)),
            (Part::Index(i), Value::Array(items)) => match items.get(*i) {
                Some(value) => out.push(Found::Resolved(child(node, value, None))),
                None => out.push(unresolved),
            },
            (Part::Index(_), _) => out.push(unresolved),
            (Part::Filter(filter), Value::Object(map)) => {
                if matches!(previous, Some(Part::AllValues | Part::AllIndices)) {
                    if self.gate(filter, node) == Status::Pass {
                        out.push(Found::Resolved(node));
                    }
                } else {
                    for (key, value) in map {
                        let candidate = child(node, value, Some(key));
                        if self.gate(filter, candidate) == Status::Pass {
                            out.push(Found::Resolved(candidate));
                        }
                    }
                }
            }
            (Part::Filter(filter), Value::Array(items)) => {
                for value in items {
                    let candidate = child(node, value, None);
                    if self.gate(filter, candidate) == Status::Pass {
                        out.push(Found::Resolved(candidate));
                    }
                }
            }
            (Part::Filter(filter), _) => {
                if matches!(previous, Some(Part::AllIndices)) {
                    if self.gate(filter, node) == Status::Pass {
                        out.push(Found::Resolved(node));
                    }
                } else {
                    out.push(unresolved);
                }
            }
        }
    }
}

fn child<'a>(parent: Node<'a>, value: &'a Value, key: Option<&'a str>) -> Node<'a> {
    Node {
        view: View::Json(value),
        loc: parent.loc.child(key),
    }
}

fn each_value<'a>(node: Node<'a>, map: &'a Map<String, Value>, out: &mut Vec<Found<'a>>) {
    if map.is_empty() {
        out.push(Found::Unresolved(node.loc));
    }
    for (key, value) in map {
        out.push(Found::Resolved(child(node, value, Some(key))));
    }
}

fn each_item<'a>(node: Node<'a>, items: &'a [Value], out: &mut Vec<Found<'a>>) {
    if items.is_empty() {
        out.push(Found::Unresolved(node.loc));
    }
    for value in items {
        out.push(Found::Resolved(child(node, value, None)));
    }
}

fn record<'a>(message: Option<&'a str>, loc: Loc<'a>) -> Record<'a> {
    Record {
        message,
        resource: loc.resource(),
    }
}
