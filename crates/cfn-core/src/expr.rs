//! Values inside a template: literals and CloudFormation intrinsic functions.
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

use super::logical_id::LogicalId;

/// Pseudo parameters CloudFormation resolves in every stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pseudo {
    AccountId,
    Partition,
    Region,
    StackName,
    UrlSuffix,
}

impl Pseudo {
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }
}

/// A template value. Property structs hold `Expr` wherever CloudFormation accepts an
/// intrinsic function, so a reference is as easy to pass as a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Expr>),
    Map(BTreeMap<String, Expr>),
    Ref(String),
    GetAtt(String, String),
    /// `Fn::Sub` with only pseudo parameters and same-stack names in the string.
    Sub(String),
    SubWith(String, BTreeMap<String, Expr>),
    Join(String, Vec<Expr>),
}

impl Expr {
    pub fn reference(id: &LogicalId) -> Expr {
        Expr::Ref(id.to_string())
    }

    pub fn get_att(id: &LogicalId, attribute: &str) -> Expr {
        Expr::GetAtt(id.to_string(), attribute.to_string())
    }

    pub fn pseudo(p: Pseudo) -> Expr {
        Expr::Ref(p.name().to_string())
    }

    pub fn sub(template: impl Into<String>) -> Expr {
        Expr::Sub(template.into())
    }

    pub fn list<T: Into<Expr>>(items: impl IntoIterator<Item = T>) -> Expr {
        Expr::List(items.into_iter().map(Into::into).collect())
    }

    pub fn map<K: Into<String>, V: Into<Expr>>(entries: impl IntoIterator<Item = (K, V)>) -> Expr {
        Expr::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// The literal string, if this is one (used by policy checks and reports).
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for Expr {
    fn from(s: &str) -> Self {
        Expr::Str(s.to_string())
    }
}

impl From<String> for Expr {
    fn from(s: String) -> Self {
        Expr::Str(s)
    }
}

impl From<&String> for Expr {
    fn from(s: &String) -> Self {
        Expr::Str(s.clone())
    }
}

impl From<bool> for Expr {
    fn from(b: bool) -> Self {
        Expr::Bool(b)
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Self {
        Expr::Int(n)
    }
}

impl From<u32> for Expr {
    fn from(n: u32) -> Self {
        Expr::Int(n.into())
    }
}

impl From<f64> for Expr {
    fn from(n: f64) -> Self {
        Expr::Float(n)
    }
}

impl From<&Expr> for Expr {
    fn from(e: &Expr) -> Self {
        e.clone()
    }
}

impl<T: Into<Expr>> From<Vec<T>> for Expr {
    fn from(items: Vec<T>) -> Self {
        Expr::list(items)
    }
}

fn single<S: Serializer, V: Serialize + ?Sized>(
    serializer: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Str(s) => serializer.serialize_str(s),
            Expr::Int(n) => serializer.serialize_i64(*n),
            Expr::Float(n) => serializer.serialize_f64(*n),
            Expr::Bool(b) => serializer.serialize_bool(*b),
            Expr::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Expr::Map(entries) => entries.serialize(serializer),
            Expr::Ref(id) => single(serializer, "Ref", id),
            Expr::GetAtt(id, attribute) => single(serializer, "Fn::GetAtt", &[id, attribute]),
            Expr::Sub(template) => single(serializer, "Fn::Sub", template),
            Expr::SubWith(template, vars) => single(serializer, "Fn::Sub", &(template, vars)),
            Expr::Join(separator, parts) => single(serializer, "Fn::Join", &(separator, parts)),
        }
    }
}
