//! Registry schema → [`ResourceModel`]: the mapping from JSON Schema shapes to Rust types.
//!
//! The schemas (as patched by cfn-lint) use a wide subset of JSON Schema. The rules, in
//! the order they apply to a node:
//! 1. `$ref` → the definition's type (`#/definitions/X`, also `#/properties/X`).
//! 2. `allOf` members are merged into the node.
//! 3. `oneOf` / `anyOf`: the `{"format": "json", "type": ["object", "string"]}` escape and
//!    constraint-only alternatives (`required`, `pattern`, `relationshipRef`) are dropped.
//!    What remains decides: object shapes merge into one struct holding the union of their
//!    fields; string enums merge into one enum; a pattern/format alternative next to an
//!    enum makes the value set open (`Val<String>`); mixed scalars widen to `Val<String>`.
//! 4. `enum` / `const` of strings → a Rust enum; of numbers → the numeric type.
//! 5. `type` (a list is read without `"null"`), else inferred from the keywords present.
//! 6. Objects with `properties` → a struct; with `patternProperties` or an
//!    `additionalProperties` schema → `BTreeMap<String, T>`; with neither → `Json`
//!    (or an empty struct when `additionalProperties: false`).
//! 7. Arrays → `Vec<T>`; definition-level `properties` next to `items` (a cfn-lint patch
//!    that keeps the original item constraints, e.g. `KeyType` enums) merge into the items.
//!
//! Anything else becomes `Json`, counted in [`Stats::json_fallbacks`] with its site.
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

use crate::docs::doc_line;
use crate::model::{Attribute, EnumDef, Field, ResourceModel, Stats, StructDef, Ty};
use crate::names::{field_idents, module_ident, type_ident, variant_names, RESERVED_TYPES};

/// Keys that give a node a shape (as opposed to constraints such as `required`).
const SHAPE_KEYS: &[&str] = &[
    "type",
    "$ref",
    "properties",
    "items",
    "enum",
    "const",
    "patternProperties",
    "prefixItems",
];

/// Keys of a constraint-only alternative that imply an open string (`anyOf: [{enum}, {pattern}]`).
const OPEN_STRING_KEYS: &[&str] = &["pattern", "format", "minLength", "maxLength"];

#[derive(Debug, Clone)]
enum Hint {
    /// A named type: the resource struct or a definition. `top` is false once the hint
    /// was passed down into array items or map values (then the name is still used, but
    /// the definition's own type is the list/map, not this struct).
    Named {
        name: String,
        def: Option<String>,
        top: bool,
    },
    /// An inline shape, named `<Parent><Field>` (enums first try `<Field>`).
    Inline { parent: String, field: String },
}

impl Hint {
    fn nested(&self) -> Hint {
        match self {
            Hint::Named { name, def, .. } => Hint::Named {
                name: name.clone(),
                def: def.clone(),
                top: false,
            },
            inline => inline.clone(),
        }
    }
}

/// Coarse shape of a schema node, for deciding unions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Object,
    Array,
    String,
    StringEnum,
    Integer,
    Number,
    Boolean,
    Free,
    Unknown,
}

fn sorted_keys(map: &Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys
}

fn is_json_escape(alt: &Value) -> bool {
    let Some(obj) = alt.as_object() else {
        return false;
    };
    obj.get("format").and_then(Value::as_str) == Some("json")
        && !obj.contains_key("properties")
        && !obj.contains_key("patternProperties")
        && !obj.contains_key("$ref")
}

/// Whether the node (or a nested alternative) says anything about the value's type.
fn has_shape(node: &Value) -> bool {
    let Some(obj) = node.as_object() else {
        return false;
    };
    if SHAPE_KEYS.iter().any(|k| obj.contains_key(*k))
        || obj
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    {
        return true;
    }
    ["oneOf", "anyOf", "allOf"].iter().any(|k| {
        obj.get(*k)
            .and_then(Value::as_array)
            .is_some_and(|alts| alts.iter().any(|a| has_shape(a) && !is_json_escape(a)))
    })
}

fn types_of(obj: &Map<String, Value>) -> Vec<&str> {
    match obj.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => {
            let mut v: Vec<&str> = ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        _ => vec![],
    }
}

fn non_empty_object<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
    obj.get(key)
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
}

/// Merges `extra` into `base`: `properties` and `required` are unioned (base wins on a
/// property present in both, deep-merged), other keys are added when absent.
fn merge_into(base: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for key in sorted_keys(extra) {
        let value = &extra[key];
        match (key.as_str(), base.get_mut(key)) {
            ("properties", Some(Value::Object(props))) => {
                if let Value::Object(extra_props) = value {
                    for name in sorted_keys(extra_props) {
                        match (props.get_mut(name), &extra_props[name]) {
                            (Some(Value::Object(mine)), Value::Object(theirs)) => {
                                let mut merged = mine.clone();
                                merge_into(&mut merged, theirs);
                                *mine = merged;
                            }
                            (Some(_), _) => {}
                            (None, v) => {
                                props.insert(name.clone(), v.clone());
                            }
                        }
                    }
                }
            }
            ("required", Some(Value::Array(req))) => {
                if let Value::Array(extra_req) = value {
                    for r in extra_req {
                        if !req.contains(r) {
                            req.push(r.clone());
                        }
                    }
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

pub struct Resolver<'a> {
    type_name: &'a str,
    properties: Map<String, Value>,
    defs: Map<String, Value>,
    /// Definition → its reserved type name.
    def_names: BTreeMap<String, String>,
    /// Type name → the definition that owns it.
    reserved: BTreeMap<String, String>,
    used: BTreeSet<String>,
    def_cache: BTreeMap<String, Ty>,
    in_progress: BTreeSet<String>,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    read_only_top: BTreeSet<String>,
    depth: usize,
    pub stats: Stats,
}

/// Builds the model of one resource type from its registry schema.
pub fn resolve_resource(schema: &Value) -> Result<(ResourceModel, Stats), String> {
    let type_name = schema["typeName"]
        .as_str()
        .ok_or("schema without typeName")?;
    let mut parts = type_name.split("::");
    let (Some(_), Some(service), Some(resource), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "type name '{type_name}' is not Org::Service::Resource"
        ));
    };
    let mut resolver = Resolver::new(type_name, schema);
    let struct_name = resolver.resource_struct_name(resource);
    resolver.reserve_definitions(&struct_name);
    let root = {
        let mut root = Map::new();
        root.insert("type".into(), "object".into());
        let props: Map<String, Value> = resolver
            .properties
            .iter()
            .filter(|(k, _)| !resolver.read_only_top.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        root.insert("properties".into(), Value::Object(props));
        root.insert("additionalProperties".into(), Value::Bool(false));
        if let Some(req) = schema.get("required") {
            root.insert("required".into(), req.clone());
        }
        if let Some(d) = schema.get("description") {
            root.insert("description".into(), d.clone());
        }
        root
    };
    let hint = Hint::Named {
        name: struct_name.clone(),
        def: None,
        top: true,
    };
    let ty = resolver.struct_ty(&root, hint, "");
    debug_assert_eq!(ty, Ty::Struct(0));
    resolver.structs[0].origin = "properties".into();
    resolver.mark_boxes();
    let attributes = resolver.attributes(schema);
    let model = ResourceModel {
        type_name: type_name.to_string(),
        service: service.to_lowercase(),
        module: module_ident(resource),
        structs: resolver.structs,
        enums: resolver.enums,
        attributes,
    };
    Ok((model, resolver.stats))
}

impl<'a> Resolver<'a> {
    fn new(type_name: &'a str, schema: &Value) -> Resolver<'a> {
        let obj = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let read_only_top = schema
            .get("readOnlyProperties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|p| p.strip_prefix("/properties/"))
            .filter(|p| !p.contains('/'))
            .map(str::to_string)
            .collect();
        Resolver {
            type_name,
            properties: obj("properties"),
            defs: obj("definitions"),
            def_names: BTreeMap::new(),
            reserved: BTreeMap::new(),
            used: RESERVED_TYPES.iter().map(|s| s.to_string()).collect(),
            def_cache: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            read_only_top,
            depth: 0,
            stats: Stats::default(),
        }
    }

    fn resource_struct_name(&mut self, resource: &str) -> String {
        let mut name = type_ident(resource);
        if self.used.contains(&name) {
            name.push_str("Resource");
        }
        name
    }

    /// Reserves type names for the definitions reachable from the (writable) properties,
    /// in sorted order, so a definition keeps its own name whatever order shapes are met.
    fn reserve_definitions(&mut self, struct_name: &str) {
        let mut reachable = BTreeSet::new();
        let mut stack: Vec<Value> = self
            .properties
            .iter()
            .filter(|(k, _)| !self.read_only_top.contains(k.as_str()))
            .map(|(_, v)| v.clone())
            .collect();
        while let Some(node) = stack.pop() {
            match node {
                Value::Object(obj) => {
                    for (k, v) in obj {
                        if k == "$ref" {
                            if let Some(def) =
                                v.as_str().and_then(|r| r.strip_prefix("#/definitions/"))
                            {
                                if reachable.insert(def.to_string()) {
                                    if let Some(d) = self.defs.get(def) {
                                        stack.push(d.clone());
                                    }
                                }
                            }
                        } else if !matches!(k.as_str(), "enum" | "const" | "examples" | "default") {
                            stack.push(v);
                        }
                    }
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        // The resource struct owns its name (owner "" = the resource itself).
        self.reserved.insert(struct_name.to_string(), String::new());
        for def in reachable {
            if !self.defs.contains_key(&def) {
                continue;
            }
            let base = type_ident(&def);
            let mut name = base.clone();
            if self.used.contains(&name) || self.reserved.contains_key(&name) {
                name = format!("{base}Property");
            }
            let mut n = 2;
            while self.used.contains(&name) || self.reserved.contains_key(&name) {
                name = format!("{base}Property{n}");
                n += 1;
            }
            self.reserved.insert(name.clone(), def.clone());
            self.def_names.insert(def, name);
        }
    }

    fn is_free(&self, name: &str, owner: Option<&str>) -> bool {
        !self.used.contains(name)
            && self
                .reserved
                .get(name)
                .is_none_or(|o| Some(o.as_str()) == owner)
    }

    /// A fresh type name: `base` if free, else `base2`, `base3`...
    fn alloc(&mut self, base: &str, owner: Option<&str>) -> String {
        let name = if self.is_free(base, owner) {
            base.to_string()
        } else {
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|n| self.is_free(n, None))
                .unwrap()
        };
        self.used.insert(name.clone());
        name
    }

    fn fallback(&mut self, path: &str, reason: &str) -> Ty {
        let site = format!(
            "{}{}{}",
            self.type_name,
            if path.is_empty() { "" } else { "/" },
            path
        );
        self.stats
            .json_fallbacks
            .entry(reason.to_string())
            .or_default()
            .push(site);
        Ty::Json
    }

    fn declared_json(&mut self) -> Ty {
        self.stats.json_declared += 1;
        Ty::Json
    }

    fn child_path(path: &str, seg: &str) -> String {
        if path.is_empty() {
            seg.to_string()
        } else {
            format!("{path}/{seg}")
        }
    }

    /// The type of any schema node.
    fn ty_of(&mut self, node: &Value, hint: Hint, path: &str) -> Ty {
        if self.depth > 64 {
            return self.fallback(path, "schema nested too deep");
        }
        self.depth += 1;
        let ty = self.ty_of_inner(node, hint, path);
        self.depth -= 1;
        ty
    }

    fn ty_of_inner(&mut self, node: &Value, hint: Hint, path: &str) -> Ty {
        let Some(obj) = node.as_object() else {
            return match node {
                Value::Bool(true) => self.declared_json(),
                _ => self.fallback(path, "schema is not an object"),
            };
        };
        if let Some(r) = obj.get("$ref") {
            let r = r.as_str().unwrap_or_default().to_string();
            return self.ref_ty(&r, hint, path);
        }
        let mut node = obj.clone();
        if let Some(Value::Array(all)) = node.remove("allOf") {
            for member in &all {
                if let Some(m) = self.deref(member).and_then(|v| v.as_object().cloned()) {
                    merge_into(&mut node, &m);
                }
            }
        }
        let mut alts = Vec::new();
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(a)) = node.remove(key) {
                alts.extend(a);
            }
        }
        let mut open = false;
        let mut typed = Vec::new();
        for alt in alts {
            if is_json_escape(&alt) {
                continue;
            }
            if !has_shape(&alt) {
                if alt
                    .as_object()
                    .is_some_and(|a| OPEN_STRING_KEYS.iter().any(|k| a.contains_key(*k)))
                {
                    open = true;
                }
                continue;
            }
            typed.push(alt);
        }
        if !typed.is_empty() {
            return self.union_ty(&node, &typed, open, hint, path);
        }
        self.plain_ty(&node, open, hint, path)
    }

    /// Follows `$ref`s to the schema they name (for classification and merging).
    fn deref<'v>(&'v self, node: &'v Value) -> Option<&'v Value> {
        let mut node = node;
        for _ in 0..16 {
            let Some(r) = node.get("$ref").and_then(Value::as_str) else {
                return Some(node);
            };
            node = if let Some(def) = r.strip_prefix("#/definitions/") {
                self.defs.get(def)?
            } else if let Some(prop) = r.strip_prefix("#/properties/") {
                self.properties.get(prop)?
            } else {
                return None;
            };
        }
        None
    }

    fn ref_ty(&mut self, r: &str, hint: Hint, path: &str) -> Ty {
        if let Some(def) = r.strip_prefix("#/definitions/") {
            self.def_ty(def, path)
        } else if let Some(prop) = r.strip_prefix("#/properties/") {
            match self.properties.get(prop).cloned() {
                Some(target) => self.ty_of(&target, hint, path),
                None => self.fallback(path, "$ref to a missing property"),
            }
        } else {
            self.fallback(path, "$ref outside the schema")
        }
    }

    fn def_ty(&mut self, def: &str, path: &str) -> Ty {
        if let Some(ty) = self.def_cache.get(def) {
            return ty.clone();
        }
        let Some(schema) = self.defs.get(def).cloned() else {
            return self.fallback(path, "$ref to a missing definition");
        };
        if self.in_progress.contains(def) {
            return self.fallback(path, "definition that contains itself outside a struct");
        }
        self.in_progress.insert(def.to_string());
        let name = self
            .def_names
            .get(def)
            .cloned()
            .unwrap_or_else(|| type_ident(def));
        let hint = Hint::Named {
            name,
            def: Some(def.to_string()),
            top: true,
        };
        let ty = self.ty_of(&schema, hint, &format!("#{def}"));
        self.in_progress.remove(def);
        self.def_cache.insert(def.to_string(), ty.clone());
        ty
    }

    fn kind(&self, node: &Value, depth: usize) -> Kind {
        let Some(node) = self.deref(node) else {
            return Kind::Unknown;
        };
        let Some(obj) = node.as_object() else {
            return Kind::Unknown;
        };
        if depth > 8 {
            return Kind::Unknown;
        }
        let values = obj
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .or_else(|| obj.get("const").map(|c| vec![c.clone()]));
        if let Some(values) = values {
            if !values.is_empty() && values.iter().all(Value::is_string) {
                return Kind::StringEnum;
            }
        }
        let types = types_of(obj);
        let structured = obj.contains_key("properties")
            || obj.contains_key("patternProperties")
            || obj
                .get("additionalProperties")
                .is_some_and(Value::is_object);
        let mut alt_kinds = BTreeSet::new();
        for key in ["oneOf", "anyOf", "allOf"] {
            for alt in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                if has_shape(alt) && !is_json_escape(alt) {
                    alt_kinds.insert(self.kind(alt, depth + 1));
                }
            }
        }
        let alt_kind = if alt_kinds.len() == 1 {
            alt_kinds.iter().next().copied()
        } else {
            None
        };
        match types.as_slice() {
            ["object"] if structured || alt_kind == Some(Kind::Object) => Kind::Object,
            ["object"] => Kind::Free,
            ["array"] => Kind::Array,
            ["string"] => Kind::String,
            ["integer"] => Kind::Integer,
            ["number"] => Kind::Number,
            ["boolean"] => Kind::Boolean,
            [] if structured => Kind::Object,
            [] if obj.contains_key("items") || obj.contains_key("prefixItems") => Kind::Array,
            [] => alt_kind.unwrap_or(Kind::Unknown),
            many if many.contains(&"object") && structured => Kind::Object,
            _ => Kind::Free,
        }
    }

    /// Properties (and nothing else) of an object-shaped alternative, following `$ref`,
    /// `allOf` and nested unions.
    fn object_props(&self, node: &Value, depth: usize, into: &mut Map<String, Value>) {
        let Some(node) = self.deref(node) else { return };
        let Some(obj) = node.as_object() else { return };
        if depth > 8 {
            return;
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for name in sorted_keys(props) {
                into.entry(name.clone())
                    .or_insert_with(|| props[name].clone());
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for alt in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.object_props(alt, depth + 1, into);
            }
        }
    }

    fn union_ty(
        &mut self,
        base: &Map<String, Value>,
        alts: &[Value],
        open: bool,
        hint: Hint,
        path: &str,
    ) -> Ty {
        let base_has_shape = has_shape(&Value::Object(base.clone()));
        if alts.len() == 1 && !base_has_shape && !open {
            // `oneOf: [{"$ref": X, "maxItems": 2}, <json escape>]` is just X.
            return self.ty_of(&alts[0], hint, path);
        }
        let base_kind = if base_has_shape {
            Some(self.kind(&Value::Object(base.clone()), 0))
        } else {
            None
        };
        let kinds: Vec<Kind> = alts.iter().map(|a| self.kind(a, 0)).collect();
        let base_props = non_empty_object(base, "properties").is_some();

        let objects: Vec<&Value> = alts
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| **k == Kind::Object)
            .map(|(a, _)| a)
            .collect();
        let all_objects = objects.len() == alts.len();
        if !objects.is_empty()
            && base_kind.is_none_or(|k| matches!(k, Kind::Object | Kind::Free | Kind::Unknown))
        {
            if !all_objects {
                if kinds.contains(&Kind::Array) {
                    return self.fallback(path, "union of object and array shapes");
                }
                self.stats.narrowed_to_object += 1;
            }
            // A single `$ref` alternative on an otherwise empty node is just that type.
            if !base_props && objects.len() == 1 && objects[0].get("$ref").is_some() {
                let r = objects[0]["$ref"].as_str().unwrap_or_default().to_string();
                return self.ref_ty(&r, hint, path);
            }
            let mut props = base
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for alt in &objects {
                self.object_props(alt, 0, &mut props);
            }
            // Required: what the base requires, plus what every alternative requires.
            let required_of = |v: &Value| -> BTreeSet<String> {
                v.get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            };
            let mut required = required_of(&Value::Object(base.clone()));
            let mut common: Option<BTreeSet<String>> = None;
            for alt in &objects {
                let req = self.deref(alt).map(required_of).unwrap_or_default();
                common = Some(match common {
                    None => req,
                    Some(c) => c.intersection(&req).cloned().collect(),
                });
            }
            required.extend(common.unwrap_or_default());
            let mut merged = Map::new();
            merged.insert("type".into(), "object".into());
            merged.insert("properties".into(), Value::Object(props));
            merged.insert("additionalProperties".into(), Value::Bool(false));
            merged.insert(
                "required".into(),
                required.into_iter().map(Value::String).collect(),
            );
            if let Some(v) = base.get("description") {
                merged.insert("description".into(), v.clone());
            }
            if objects.len() > 1 {
                self.stats.merged_unions += 1;
            }
            return self.plain_ty(&merged, false, hint, path);
        }

        let mut all_kinds: BTreeSet<Kind> = kinds.iter().copied().collect();
        if let Some(k) = base_kind {
            // The base's own `type` constrains every alternative; its enum is one more.
            if k == Kind::StringEnum || (k != Kind::String && k != Kind::Unknown) {
                all_kinds.insert(k);
            }
        }
        let scalar = |k: &Kind| {
            matches!(
                k,
                Kind::String | Kind::StringEnum | Kind::Integer | Kind::Number | Kind::Boolean
            )
        };
        if all_kinds.iter().all(scalar) {
            if all_kinds.len() == 1 && all_kinds.contains(&Kind::StringEnum) && !open {
                let mut values = Vec::new();
                for alt in alts
                    .iter()
                    .chain(std::iter::once(&Value::Object(base.clone())))
                {
                    if let Some(obj) = self.deref(alt).and_then(Value::as_object) {
                        let vals = obj
                            .get("enum")
                            .and_then(Value::as_array)
                            .cloned()
                            .or_else(|| obj.get("const").map(|c| vec![c.clone()]));
                        values.extend(
                            vals.into_iter()
                                .flatten()
                                .filter_map(|v| v.as_str().map(str::to_string)),
                        );
                    }
                }
                let doc = base
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                return self.enum_ty(values, hint, doc.as_deref());
            }
            let strings = all_kinds
                .iter()
                .any(|k| matches!(k, Kind::String | Kind::StringEnum));
            if all_kinds.len() == 1
                || (strings
                    && all_kinds
                        .iter()
                        .all(|k| matches!(k, Kind::String | Kind::StringEnum)))
            {
                return match all_kinds.iter().next().unwrap() {
                    Kind::Integer => Ty::Int,
                    Kind::Number => Ty::Num,
                    Kind::Boolean => Ty::Bool,
                    _ => Ty::Str,
                };
            }
            if strings {
                self.stats.widened_to_string += 1;
                return Ty::Str;
            }
            if all_kinds
                .iter()
                .all(|k| matches!(k, Kind::Integer | Kind::Number))
            {
                return Ty::Num;
            }
            return self.fallback(path, "union of boolean and number");
        }
        if all_kinds.len() == 1 && all_kinds.contains(&Kind::Array) {
            let first = self.deref(&alts[0]).cloned();
            let same = alts.iter().all(|a| {
                self.deref(a).and_then(|v| v.get("items"))
                    == first.as_ref().and_then(|f| f.get("items"))
            });
            if let (true, Some(first)) = (same, first) {
                return self.ty_of(&first, hint, path);
            }
            return self.fallback(path, "union of different array shapes");
        }
        if all_kinds.contains(&Kind::Free) {
            return self.declared_json();
        }
        self.fallback(path, "union of different shapes")
    }

    fn plain_ty(&mut self, node: &Map<String, Value>, open: bool, hint: Hint, path: &str) -> Ty {
        let values = node
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .or_else(|| node.get("const").map(|c| vec![c.clone()]));
        if let Some(values) = values {
            if !values.is_empty() && values.iter().all(Value::is_string) {
                if !open && types_of(node).iter().all(|t| *t == "string") {
                    let values = values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect();
                    let doc = node
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    return self.enum_ty(values, hint, doc.as_deref());
                }
            } else if values.iter().all(Value::is_number) {
                self.stats.numeric_enums += 1;
            }
        }
        let types = types_of(node);
        let has = |k: &str| node.contains_key(k);
        let structured = non_empty_object(node, "properties").is_some()
            || non_empty_object(node, "patternProperties").is_some()
            || node
                .get("additionalProperties")
                .is_some_and(Value::is_object);
        match types.as_slice() {
            ["object"] => self.object_ty(node, hint, path),
            ["array"] => self.array_ty(node, hint, path),
            ["string"] => Ty::Str,
            ["integer"] => Ty::Int,
            ["number"] => Ty::Num,
            ["boolean"] => Ty::Bool,
            [] => {
                if structured
                    || has("properties")
                    || node.get("additionalProperties") == Some(&Value::Bool(false))
                {
                    self.object_ty(node, hint, path)
                } else if has("items") || has("prefixItems") {
                    self.array_ty(node, hint, path)
                } else if node.get("format").and_then(Value::as_str) == Some("json") {
                    self.declared_json()
                } else if OPEN_STRING_KEYS.iter().any(|k| has(k)) {
                    Ty::Str
                } else if has("minimum") || has("maximum") {
                    Ty::Num
                } else {
                    self.fallback(path, "no type")
                }
            }
            many => {
                if many.contains(&"object") && structured {
                    self.object_ty(node, hint, path)
                } else if many.contains(&"object") || many.contains(&"array") {
                    self.declared_json()
                } else if many.contains(&"string") {
                    self.stats.widened_to_string += 1;
                    Ty::Str
                } else if many.iter().all(|t| matches!(*t, "integer" | "number")) {
                    Ty::Num
                } else {
                    self.fallback(path, "type list of boolean and number")
                }
            }
        }
    }

    fn object_ty(&mut self, node: &Map<String, Value>, hint: Hint, path: &str) -> Ty {
        if non_empty_object(node, "properties").is_some() {
            return self.struct_ty(node, hint, path);
        }
        if let Some(patterns) = non_empty_object(node, "patternProperties") {
            let keys = sorted_keys(patterns);
            let first = patterns[keys[0]].clone();
            if keys.iter().all(|k| patterns[*k] == first) {
                let value = self.ty_of(&first, hint.nested(), &Self::child_path(path, "*"));
                return Ty::Map(Box::new(value));
            }
            let kinds: BTreeSet<Kind> = keys.iter().map(|k| self.kind(&patterns[*k], 0)).collect();
            if kinds
                .iter()
                .all(|k| matches!(k, Kind::String | Kind::StringEnum))
            {
                return Ty::Map(Box::new(Ty::Str));
            }
            let json = self.fallback(path, "map with differently typed patterns");
            return Ty::Map(Box::new(json));
        }
        match node.get("additionalProperties") {
            Some(Value::Object(schema)) if schema.is_empty() => {
                let json = self.declared_json();
                Ty::Map(Box::new(json))
            }
            Some(ap @ Value::Object(_)) => {
                let ap = ap.clone();
                let value = self.ty_of(&ap, hint.nested(), &Self::child_path(path, "*"));
                Ty::Map(Box::new(value))
            }
            Some(Value::Bool(false))
                if node.get("format").and_then(Value::as_str) != Some("json") =>
            {
                self.struct_ty(node, hint, path)
            }
            _ => self.declared_json(),
        }
    }

    fn array_ty(&mut self, node: &Map<String, Value>, hint: Hint, path: &str) -> Ty {
        let item_path = Self::child_path(path, "*");
        match node.get("items") {
            Some(Value::Object(items)) => {
                let mut items = items.clone();
                // cfn-lint keeps an array definition's original item constraints as
                // definition-level `properties` (DynamoDB KeySchema's KeyType enum).
                if let (Some(extra), Some(Value::Object(item_props))) = (
                    non_empty_object(node, "properties"),
                    items.get_mut("properties"),
                ) {
                    for name in sorted_keys(extra) {
                        if let (Some(Value::Object(mine)), Value::Object(theirs)) =
                            (item_props.get_mut(name), &extra[name])
                        {
                            for k in sorted_keys(theirs) {
                                mine.insert(k.clone(), theirs[k].clone());
                            }
                            if mine.contains_key("enum") {
                                mine.remove("const");
                            }
                        }
                    }
                }
                let item = self.ty_of(&Value::Object(items), hint.nested(), &item_path);
                Ty::List(Box::new(item))
            }
            Some(Value::Bool(true)) | None if !node.contains_key("prefixItems") => {
                let json = self.declared_json();
                Ty::List(Box::new(json))
            }
            _ => {
                let json = self.fallback(&item_path, "array without an items schema");
                Ty::List(Box::new(json))
            }
        }
    }

    fn struct_ty(&mut self, node: &Map<String, Value>, hint: Hint, path: &str) -> Ty {
        let (name, origin) = match &hint {
            Hint::Named { name, def, top } => {
                let name = self.alloc(name, Some(def.as_deref().unwrap_or("")));
                let origin = match def {
                    Some(def) => format!("definitions/{def}"),
                    None => "properties".into(),
                };
                if *top {
                    if let Some(def) = def {
                        self.def_cache
                            .insert(def.clone(), Ty::Struct(self.structs.len()));
                    }
                }
                (name, origin)
            }
            Hint::Inline { parent, field } => {
                let base = format!("{parent}{}", type_ident(field));
                (self.alloc(&base, None), path.to_string())
            }
        };
        let index = self.structs.len();
        let doc = node
            .get("description")
            .and_then(Value::as_str)
            .and_then(|d| doc_line(Some(d)));
        self.structs.push(StructDef {
            name: name.clone(),
            doc,
            origin,
            fields: Vec::new(),
        });
        let props = node
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let required: BTreeSet<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let names: Vec<&String> = sorted_keys(&props);
        let idents = field_idents(&names.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        let mut fields = Vec::with_capacity(names.len());
        for (prop, ident) in names.iter().zip(idents) {
            let schema = &props[*prop];
            let field_hint = Hint::Inline {
                parent: name.clone(),
                field: prop.to_string(),
            };
            let ty = self.ty_of(schema, field_hint, &Self::child_path(path, prop));
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .or_else(|| {
                    self.deref(schema)
                        .and_then(|s| s.get("description"))
                        .and_then(Value::as_str)
                });
            fields.push(Field {
                name: prop.to_string(),
                ident,
                ty,
                required: required.contains(prop.as_str()),
                boxed: false,
                doc: doc_line(description),
            });
        }
        self.structs[index].fields = fields;
        Ty::Struct(index)
    }

    fn enum_ty(&mut self, mut values: Vec<String>, hint: Hint, description: Option<&str>) -> Ty {
        values.sort();
        values.dedup();
        let (candidates, owner, top_def) = match &hint {
            Hint::Named { name, def, top } => (
                vec![name.clone()],
                def.clone(),
                if *top { def.clone() } else { None },
            ),
            Hint::Inline { parent, field } => {
                let field = type_ident(field);
                (vec![field.clone(), format!("{parent}{field}")], None, None)
            }
        };
        let owner_key = owner.as_deref().unwrap_or("");
        let owner_ref = match &hint {
            Hint::Named { .. } => Some(owner_key),
            Hint::Inline { .. } => None,
        };
        let reuse = |enums: &[EnumDef], name: &str| {
            enums
                .iter()
                .position(|e| e.name == name && e.values == values)
        };
        let last = candidates.last().unwrap().clone();
        let numbered = (2..).map(|n| format!("{last}{n}"));
        let mut index = None;
        for cand in candidates.iter().cloned().chain(numbered) {
            if let Some(i) = reuse(&self.enums, &cand) {
                index = Some(i);
                break;
            }
            if self.is_free(&cand, owner_ref) {
                let name = self.alloc(&cand, owner_ref);
                let variants = variant_names(&values);
                self.enums.push(EnumDef {
                    name,
                    doc: doc_line(description),
                    values: values.clone(),
                    variants,
                });
                index = Some(self.enums.len() - 1);
                break;
            }
        }
        let index = index.expect("the numbered names are endless");
        if let Some(def) = top_def {
            self.def_cache.insert(def, Ty::Enum(index));
        }
        Ty::Enum(index)
    }

    /// Boxes struct fields that close a cycle (a struct containing itself directly or via
    /// other structs, not through a `Vec` or map).
    fn mark_boxes(&mut self) {
        let n = self.structs.len();
        let edges: Vec<Vec<usize>> = self
            .structs
            .iter()
            .map(|s| {
                s.fields
                    .iter()
                    .filter_map(|f| {
                        if let Ty::Struct(j) = f.ty {
                            Some(j)
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .collect();
        let scc = tarjan(n, &edges);
        let mut boxed = 0;
        for (i, s) in self.structs.iter_mut().enumerate() {
            for f in &mut s.fields {
                if let Ty::Struct(j) = f.ty {
                    if scc[i] == scc[j] {
                        f.boxed = true;
                        boxed += 1;
                    }
                }
            }
        }
        self.stats.boxed_fields += boxed;
    }

    fn attributes(&self, schema: &Value) -> Vec<Attribute> {
        let mut names: Vec<(String, Option<String>)> = schema
            .get("readOnlyProperties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|p| p.strip_prefix("/properties/"))
            .filter(|p| !p.split('/').any(|s| s == "*"))
            .map(|p| {
                let doc = self
                    .property_at(p)
                    .and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .and_then(|d| doc_line(Some(d)));
                (p.replace('/', "."), doc)
            })
            .collect();
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        let idents = field_idents(
            &names
                .iter()
                .map(|(n, _)| format!("att_{}", n.replace('.', "_")))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        names
            .into_iter()
            .zip(idents)
            .map(|((name, doc), ident)| Attribute { name, ident, doc })
            .collect()
    }

    /// The schema of a property path (`Endpoint/Address`), following `$ref`s.
    fn property_at(&self, path: &str) -> Option<&Value> {
        let mut segs = path.split('/');
        let mut node = self.deref(self.properties.get(segs.next()?)?)?;
        for seg in segs {
            node = self.deref(node.get("properties")?.get(seg)?)?;
        }
        Some(node)
    }
}

/// Strongly connected components (Tarjan); returns the component id of each node.
fn tarjan(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        comp: Vec<usize>,
        next_index: usize,
        next_comp: usize,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next_index);
        s.low[v] = s.next_index;
        s.next_index += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for i in 0..s.edges[v].len() {
            let w = s.edges[v][i];
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(wi) if s.on_stack[w] => s.low[v] = s.low[v].min(wi),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack[w] = false;
                s.comp[w] = s.next_comp;
                if w == v {
                    break;
                }
            }
            s.next_comp += 1;
        }
    }
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        comp: vec![usize::MAX; n],
        next_index: 0,
        next_comp: 0,
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    // A struct in a component of its own is in a cycle only through a self-edge, and
    // `mark_boxes` only compares the two ends of an edge, so that falls out.
    s.comp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolve(schema: Value) -> (ResourceModel, Stats) {
        resolve_resource(&schema).unwrap()
    }

    fn field<'m>(m: &'m ResourceModel, strukt: &str, name: &str) -> &'m Field {
        let s = m
            .structs
            .iter()
            .find(|s| s.name == strukt)
            .unwrap_or_else(|| panic!("no struct {strukt}"));
        s.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {strukt}.{name}"))
    }

    fn struct_named(m: &ResourceModel, ty: &Ty) -> String {
        match ty {
            Ty::Struct(i) => m.structs[*i].name.clone(),
            Ty::Enum(i) => m.enums[*i].name.clone(),
            Ty::List(t) => format!("Vec<{}>", struct_named(m, t)),
            Ty::Map(t) => format!("Map<{}>", struct_named(m, t)),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn one_of_with_the_json_escape_takes_the_structured_alternative() {
        let (m, stats) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {
                "Config": {"oneOf": [{"$ref": "#/definitions/Config"}, {"format": "json", "type": ["object", "string"]}]},
                "Keys": {"oneOf": [{"$ref": "#/definitions/KeyList", "maxItems": 2}, {"format": "json", "type": ["object", "string"]}]},
                "Policy": {"format": "json", "type": ["object", "string"]}
            },
            "definitions": {
                "Config": {"type": "object", "properties": {"Name": {"type": "string"}}, "additionalProperties": false},
                "KeyList": {"type": "array", "items": {"$ref": "#/definitions/Config"}}
            }
        }));
        assert_eq!(struct_named(&m, &field(&m, "Thing", "Config").ty), "Config");
        assert_eq!(
            struct_named(&m, &field(&m, "Thing", "Keys").ty),
            "Vec<Config>"
        );
        assert_eq!(field(&m, "Thing", "Policy").ty, Ty::Json);
        assert_eq!(stats.json_declared, 1);
        assert_eq!(stats.fallback_count(), 0);
    }

    #[test]
    fn array_definitions_name_their_items_and_keep_item_constraints() {
        // cfn-lint's DynamoDB KeySchema: an array definition whose original item
        // constraints (the KeyType enum) sit next to `items` as `properties`.
        let (m, _) = resolve(json!({
            "typeName": "AWS::DynamoDB::Table",
            "properties": {"KeySchema": {"$ref": "#/definitions/KeySchema"}},
            "required": ["KeySchema"],
            "definitions": {
                "KeySchema": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"AttributeName": {"type": "string"}, "KeyType": {"type": "string"}}, "required": ["KeyType", "AttributeName"]},
                    "prefixItems": [{"properties": {"KeyType": {"const": "HASH", "type": "string"}}}],
                    "properties": {"AttributeName": {"maxLength": 255}, "KeyType": {"enum": ["HASH", "RANGE"]}}
                }
            }
        }));
        let key_schema = field(&m, "Table", "KeySchema");
        assert!(key_schema.required);
        assert_eq!(struct_named(&m, &key_schema.ty), "Vec<KeySchema>");
        assert_eq!(
            struct_named(&m, &field(&m, "KeySchema", "KeyType").ty),
            "KeyType"
        );
        assert_eq!(field(&m, "KeySchema", "AttributeName").ty, Ty::Str);
        let key_type = m.enums.iter().find(|e| e.name == "KeyType").unwrap();
        assert_eq!(key_type.values, ["HASH", "RANGE"]);
        assert_eq!(key_type.variants, ["Hash", "Range"]);
    }

    #[test]
    fn odd_enum_values_and_case_duplicates_keep_every_value() {
        let (m, _) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {
                "InstanceType": {"type": "string", "enum": ["t2.micro", "*", "1", "ENABLED", "Enabled", "self"]},
                "Retention": {"type": "integer", "enum": [1, 3, 5]}
            }
        }));
        let e = &m.enums[0];
        assert_eq!(e.name, "InstanceType");
        assert_eq!(
            e.values,
            ["*", "1", "ENABLED", "Enabled", "self", "t2.micro"]
        );
        assert_eq!(
            e.variants,
            ["Star", "V1", "ENABLED", "Enabled", "SelfValue", "T2Micro"]
        );
        assert_eq!(field(&m, "Thing", "Retention").ty, Ty::Int);
    }

    #[test]
    fn keywords_become_raw_identifiers_and_case_collisions_get_numbers() {
        let (m, _) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {"Type": {"type": "string"}, "Match": {"type": "string"}, "ARN": {"type": "string"}, "Arn": {"type": "string"}, "Self": {"type": "boolean"}}
        }));
        let idents: Vec<&str> = m.structs[0]
            .fields
            .iter()
            .map(|f| f.ident.as_str())
            .collect();
        assert_eq!(idents, ["arn", "arn_2", "r#match", "self_", "r#type"]);
    }

    #[test]
    fn name_collisions_resolve_with_suffixes_never_by_dropping_a_type() {
        let (m, _) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {
                // A definition named like the resource struct.
                "Inner": {"$ref": "#/definitions/Thing"},
                // An inline enum named like a definition struct.
                "Config": {"type": "string", "enum": ["A", "B"]},
                "Settings": {"$ref": "#/definitions/Config"},
                // Two inline enums with the same field name but different values.
                "Left": {"type": "object", "properties": {"Mode": {"enum": ["X", "Y"]}}},
                "Right": {"type": "object", "properties": {"Mode": {"enum": ["Z"]}}},
                // The same values again: reused, not duplicated.
                "Other": {"type": "object", "properties": {"Mode": {"enum": ["Y", "X"]}}},
                // A definition named like a name the generated code uses.
                "Options": {"$ref": "#/definitions/Option"}
            },
            "definitions": {
                "Thing": {"type": "object", "properties": {"Id": {"type": "string"}}},
                "Config": {"type": "object", "properties": {"Id": {"type": "string"}}},
                "Option": {"type": "object", "properties": {"Id": {"type": "string"}}}
            }
        }));
        let mut names: Vec<&str> = m
            .structs
            .iter()
            .map(|s| s.name.as_str())
            .chain(m.enums.iter().map(|e| e.name.as_str()))
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Config",
                "Mode",
                "OptionProperty",
                "Thing",
                "ThingConfig",
                "ThingLeft",
                "ThingOther",
                "ThingProperty",
                "ThingRight",
                "ThingRightMode"
            ]
        );
        assert_eq!(
            struct_named(&m, &field(&m, "Thing", "Inner").ty),
            "ThingProperty"
        );
        assert_eq!(
            struct_named(&m, &field(&m, "Thing", "Config").ty),
            "ThingConfig"
        );
        assert_eq!(
            struct_named(&m, &field(&m, "ThingOther", "Mode").ty),
            "Mode"
        );
    }

    #[test]
    fn unions_maps_and_untyped_properties() {
        let (m, stats) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {
                "Port": {"type": ["integer", "string"]},
                "Flag": {"type": ["boolean", "null"]},
                "Labels": {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "string"}}, "additionalProperties": false},
                "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "Marker": {"type": "object", "additionalProperties": false},
                "Free": {"type": "object"},
                "Arn": {"format": "AWS::IAM::Role.Arn"},
                "Nothing": {},
                "Engine": {"type": "string", "anyOf": [{"enum": ["mysql"]}, {"pattern": "^custom-.*$"}]},
                "Target": {"oneOf": [
                    {"type": "object", "properties": {"Arn": {"type": "string"}}, "required": ["Arn"]},
                    {"type": "object", "properties": {"Name": {"type": "string"}, "Arn": {"type": "string"}}, "required": ["Arn", "Name"]}
                ]},
                "Either": {"type": "object", "properties": {"A": {"type": "string"}, "B": {"type": "string"}}, "oneOf": [{"required": ["A"]}, {"required": ["B"]}]}
            }
        }));
        assert_eq!(field(&m, "Thing", "Port").ty, Ty::Str);
        assert_eq!(field(&m, "Thing", "Flag").ty, Ty::Bool);
        assert_eq!(field(&m, "Thing", "Labels").ty, Ty::Map(Box::new(Ty::Str)));
        assert_eq!(field(&m, "Thing", "Counts").ty, Ty::Map(Box::new(Ty::Int)));
        assert_eq!(
            struct_named(&m, &field(&m, "Thing", "Marker").ty),
            "ThingMarker"
        );
        assert_eq!(field(&m, "Thing", "Free").ty, Ty::Json);
        assert_eq!(field(&m, "Thing", "Arn").ty, Ty::Str);
        assert_eq!(field(&m, "Thing", "Nothing").ty, Ty::Json);
        assert_eq!(
            field(&m, "Thing", "Engine").ty,
            Ty::Str,
            "an enum next to a pattern is an open set"
        );
        // Object alternatives merge; what every alternative requires stays required.
        assert_eq!(
            struct_named(&m, &field(&m, "Thing", "Target").ty),
            "ThingTarget"
        );
        assert!(field(&m, "ThingTarget", "Arn").required);
        assert!(!field(&m, "ThingTarget", "Name").required);
        // Constraint-only alternatives change nothing.
        assert!(!field(&m, "ThingEither", "A").required);
        assert_eq!(stats.widened_to_string, 1);
        assert_eq!(stats.merged_unions, 1);
        assert_eq!(
            stats.json_fallbacks["no type"],
            ["AWS::Test::Thing/Nothing"]
        );
    }

    #[test]
    fn recursive_definitions_are_boxed_and_refs_to_properties_resolve() {
        let (m, stats) = resolve(json!({
            "typeName": "AWS::Test::Thing",
            "properties": {
                "Filter": {"$ref": "#/definitions/Filter"},
                "Id": {"type": "string"},
                "Copy": {"$ref": "#/properties/Id"}
            },
            "definitions": {
                "Filter": {"type": "object", "properties": {
                    "Not": {"$ref": "#/definitions/Filter"},
                    "And": {"type": "array", "items": {"$ref": "#/definitions/Filter"}}
                }}
            }
        }));
        assert!(field(&m, "Filter", "Not").boxed);
        assert!(
            !field(&m, "Filter", "And").boxed,
            "a Vec already breaks the cycle"
        );
        assert!(!field(&m, "Thing", "Filter").boxed);
        assert_eq!(field(&m, "Thing", "Copy").ty, Ty::Str);
        assert_eq!(stats.boxed_fields, 1);
    }

    #[test]
    fn read_only_properties_become_attributes_not_fields() {
        let (m, _) = resolve(json!({
            "typeName": "AWS::RDS::DBInstance",
            "properties": {
                "DBInstanceIdentifier": {"type": "string"},
                "Endpoint": {"type": "object", "properties": {"Address": {"type": "string", "description": "The host."}, "Port": {"type": "string"}}},
                "Items": {"type": "array", "items": {"type": "object", "properties": {"Id": {"type": "string"}}}},
                "DbiResourceId": {"type": "string"}
            },
            "readOnlyProperties": ["/properties/Endpoint/Address", "/properties/Endpoint/Port", "/properties/DbiResourceId", "/properties/Items/*/Id"]
        }));
        let fields: Vec<&str> = m.structs[0]
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(fields, ["DBInstanceIdentifier", "Endpoint", "Items"]);
        let attrs: Vec<(&str, &str)> = m
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.ident.as_str()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("DbiResourceId", "att_dbi_resource_id"),
                ("Endpoint.Address", "att_endpoint_address"),
                ("Endpoint.Port", "att_endpoint_port")
            ]
        );
        assert_eq!(m.attributes[1].doc.as_deref(), Some("The host."));
        assert_eq!(
            (m.service.as_str(), m.module.as_str(), m.struct_name()),
            ("rds", "db_instance", "DBInstance")
        );
    }
}
