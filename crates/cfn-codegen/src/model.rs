//! What gets generated for one resource type, independent of how it is printed.
use std::collections::BTreeMap;

/// A property's type. Rendered as `Val<String>`, `Vec<Val<i64>>`, `KeySchema`...
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// Free-form JSON (`cfn_core::Json`).
    Json,
    /// Index into [`ResourceModel::enums`].
    Enum(usize),
    /// Index into [`ResourceModel::structs`].
    Struct(usize),
    List(Box<Ty>),
    Map(Box<Ty>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The CloudFormation property name (`SSESpecification`).
    pub name: String,
    /// The Rust field name (`sse_specification`).
    pub ident: String,
    pub ty: Ty,
    pub required: bool,
    /// Behind a `Box`: the struct contains itself (directly or through other structs).
    pub boxed: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where in the schema the shape comes from (`definitions/SSESpecification`).
    pub origin: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub doc: Option<String>,
    /// Sorted, distinct.
    pub values: Vec<String>,
    /// One per value.
    pub variants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// As `Fn::GetAtt` spells it: `Endpoint.Address`.
    pub name: String,
    /// `att_endpoint_address`.
    pub ident: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceModel {
    /// `AWS::DynamoDB::Table`.
    pub type_name: String,
    /// `dynamodb`.
    pub service: String,
    /// `table`.
    pub module: String,
    /// `structs[0]` is the resource's property struct; the rest in creation order.
    pub structs: Vec<StructDef>,
    pub enums: Vec<EnumDef>,
    pub attributes: Vec<Attribute>,
}

impl ResourceModel {
    pub fn struct_name(&self) -> &str {
        &self.structs[0].name
    }
}

/// Counts for the report: how well the schemas map onto Rust types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// `type: object` with no properties, `format: json`...: the schema itself says
    /// "any JSON" (policy documents, dashboards, API bodies).
    pub json_declared: usize,
    /// No typed mapping fitted; keyed by reason, with the sites.
    pub json_fallbacks: BTreeMap<String, Vec<String>>,
    /// Scalar unions (`["integer", "string"]`) typed as `Val<String>`, which accepts all.
    pub widened_to_string: usize,
    /// Unions of an object and a scalar, typed as the object (the structured alternative).
    pub narrowed_to_object: usize,
    /// Integer `enum`s, kept as `Val<i64>` (a Rust enum of numbers helps nobody).
    pub numeric_enums: usize,
    /// Unions of object shapes merged into one struct with the union of their fields.
    pub merged_unions: usize,
    pub boxed_fields: usize,
}

impl Stats {
    pub fn fallback_count(&self) -> usize {
        self.json_fallbacks.values().map(Vec::len).sum()
    }

    pub fn add(&mut self, other: Stats) {
        self.json_declared += other.json_declared;
        for (reason, sites) in other.json_fallbacks {
            self.json_fallbacks.entry(reason).or_default().extend(sites);
        }
        self.widened_to_string += other.widened_to_string;
        self.narrowed_to_object += other.narrowed_to_object;
        self.numeric_enums += other.numeric_enums;
        self.merged_unions += other.merged_unions;
        self.boxed_fields += other.boxed_fields;
    }
}
