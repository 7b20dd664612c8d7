//! The part of the Guard language that `policies/*.guard` uses, as parsed.
use regex_lite::Regex;
use serde_json::Value;

#[derive(Debug)]
pub struct File {
    /// File-level `let`s, evaluated once per document against its root.
    pub lets: Vec<(String, Query)>,
    pub rules: Vec<Rule>,
}

#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub conditions: Option<Conjunction>,
    pub body: Conjunction,
}

/// Clauses on separate lines all hold (AND) ...
pub type Conjunction = Vec<Disjunction>;
/// ... of clauses joined by `or`, one of which holds.
pub type Disjunction = Vec<Clause>;

#[derive(Debug)]
pub enum Clause {
    /// `query exists`, `query !empty`, `this is_string`, ...
    Unary {
        query: Query,
        op: UnaryOp,
        negated: bool,
        message: Option<String>,
    },
    /// `query == value`, `query != /regex/`, `query in [..]`, `query in %var`.
    Binary {
        query: Query,
        op: BinaryOp,
        negated: bool,
        rhs: Rhs,
        message: Option<String>,
    },
    /// `query { clauses }`: the clauses hold for every value the query selects.
    Block { query: Query, body: Conjunction },
    /// `when conditions { clauses }`.
    When {
        conditions: Conjunction,
        body: Conjunction,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Exists,
    Empty,
    IsString,
    IsList,
    IsStruct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    In,
}

#[derive(Debug)]
pub enum Rhs {
    Literal(Literal),
    Query(Query),
}

#[derive(Debug)]
pub enum Literal {
    Value(Value),
    Regex(Regex),
}

#[derive(Debug)]
pub struct Query {
    pub start: Start,
    pub parts: Vec<Part>,
}

impl Query {
    /// `%name` alone: Guard asks about the bound values themselves, not their contents.
    pub fn is_lone_variable(&self) -> bool {
        matches!(self.start, Start::Variable(_)) && self.parts.is_empty()
    }

    /// A query ending in a filter asks whether the selection found anything.
    pub fn ends_in_filter(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Filter(_)))
    }
}

#[derive(Debug)]
pub enum Start {
    /// The value in scope: the document at rule level, the element inside a block or filter.
    This,
    Variable(String),
}

#[derive(Debug)]
pub enum Part {
    Key(String),
    /// `.*`
    AllValues,
    /// `[*]`
    AllIndices,
    Index(usize),
    /// `[ clauses ]`
    Filter(Conjunction),
}
