//! Rust identifiers from CloudFormation names: fields, modules, types, enum variants.
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Strict and reserved keywords (2021 edition plus the reserved ones), which need `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_` instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Names the generated code uses unqualified: a schema type may not shadow them.
pub const RESERVED_TYPES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "Expr",
    "From",
    "Hash",
    "Into",
    "Json",
    "LogicalId",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "ResourceProperties",
    "Result",
    "Self",
    "Serialize",
    "Some",
    "String",
    "TypeInfo",
    "Val",
    "Vec",
];

/// `r#type` for keywords, `self_` for the few that cannot be raw.
pub fn escape_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// ASCII letters, digits and `_` only; never empty, never starting with a digit.
fn ascii_snake(name: &str) -> String {
    let snake = name.to_snake_case();
    let mut out: String = snake
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    // to_snake_case may leave `__` where non-ASCII characters were dropped.
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "field".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{out}")
    } else {
        out
    }
}

/// A field or function name: `SSESpecification` → `sse_specification`, `Type` → `r#type`.
pub fn field_ident(name: &str) -> String {
    escape_keyword(ascii_snake(name))
}

/// A module name for a resource type segment: `DBInstance` → `db_instance`.
pub fn module_ident(name: &str) -> String {
    escape_keyword(ascii_snake(name))
}

/// A type name that keeps the CloudFormation spelling where it is already a valid
/// CamelCase identifier (`SSESpecification`, `DBInstance`), otherwise converts it
/// (`s3_location` → `S3Location`, `tag` → `Tag`).
pub fn type_ident(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    let mut out = if valid {
        name.to_string()
    } else {
        name.to_upper_camel_case()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    if out.is_empty() {
        out = "Type".to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("T{out}");
    }
    let mut chars = out.chars();
    let first = chars.next().unwrap().to_ascii_uppercase();
    let out = format!("{first}{}", chars.as_str());
    if out == "Self" {
        "SelfType".to_string()
    } else {
        out
    }
}

fn symbol_name(c: char) -> String {
    match c {
        '*' => "Star".into(),
        '.' => "Dot".into(),
        '/' => "Slash".into(),
        '\\' => "Backslash".into(),
        '-' => "Minus".into(),
        '+' => "Plus".into(),
        '=' => "Eq".into(),
        '<' => "Lt".into(),
        '>' => "Gt".into(),
        '!' => "Bang".into(),
        '_' => "Underscore".into(),
        ' ' => "Space".into(),
        '#' => "Hash".into(),
        '$' => "Dollar".into(),
        '%' => "Percent".into(),
        '&' => "Amp".into(),
        '|' => "Pipe".into(),
        '?' => "Question".into(),
        ':' => "Colon".into(),
        ',' => "Comma".into(),
        '@' => "At".into(),
        '~' => "Tilde".into(),
        '^' => "Caret".into(),
        '(' => "LParen".into(),
        ')' => "RParen".into(),
        '[' => "LBracket".into(),
        ']' => "RBracket".into(),
        '{' => "LBrace".into(),
        '}' => "RBrace".into(),
        _ => format!("U{:X}", c as u32),
    }
}

fn variant_candidate(value: &str, keep_case: bool) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    let mut out: String = if keep_case {
        value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    } else {
        value
            .to_upper_camel_case()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    if out.is_empty() {
        // Only symbols ("*", ">="): spell them.
        out = value.chars().map(symbol_name).collect();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("V{out}");
    }
    let mut chars = out.chars();
    let first = chars.next().unwrap().to_ascii_uppercase();
    let out = format!("{first}{}", chars.as_str());
    if out == "Self" {
        "SelfValue".into()
    } else {
        out
    }
}

/// Variant names for enum values, in the order given (callers pass sorted values).
/// Values whose CamelCase names collide (`ENABLED` / `Enabled`, `GP2` / `gp2`) use their
/// case-preserving spelling instead, then a number, so no value is ever dropped.
pub fn variant_names(values: &[String]) -> Vec<String> {
    let camel: Vec<String> = values.iter().map(|v| variant_candidate(v, false)).collect();
    let mut count = std::collections::BTreeMap::<&str, usize>::new();
    for name in &camel {
        *count.entry(name.as_str()).or_default() += 1;
    }
    let mut taken: BTreeSet<String> = camel
        .iter()
        .filter(|name| count[name.as_str()] == 1)
        .cloned()
        .collect();
    values
        .iter()
        .zip(&camel)
        .map(|(value, camel)| {
            if count[camel.as_str()] == 1 {
                return camel.clone();
            }
            let raw = variant_candidate(value, true);
            let name = if !taken.contains(&raw) {
                raw
            } else {
                let sep = if camel.ends_with(|c: char| c.is_ascii_digit()) {
                    "_"
                } else {
                    ""
                };
                (2..)
                    .map(|n| format!("{camel}{sep}{n}"))
                    .find(|n| !taken.contains(n))
                    .unwrap()
            };
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Unique field identifiers for property names given in order (`ARN` and `Arn` both
/// snake-case to `arn`: the second gets `arn_2`).
pub fn field_idents(names: &[&str]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    names
        .iter()
        .map(|name| {
            let base = field_ident(name);
            let ident = if taken.contains(&base) {
                let bare = base.trim_start_matches("r#");
                (2..)
                    .map(|n| format!("{bare}_{n}"))
                    .find(|n| !taken.contains(n))
                    .unwrap()
            } else {
                base
            };
            taken.insert(ident.clone());
            ident
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fields_are_snake_case_and_keywords_are_raw() {
        assert_eq!(field_ident("SSESpecification"), "sse_specification");
        assert_eq!(field_ident("KMSMasterKeyId"), "kms_master_key_id");
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Match"), "r#match");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("Crate"), "crate_");
        assert_eq!(field_ident("3DSettings"), "n3d_settings");
        assert_eq!(
            field_ident("aws:cloudformation:stack-name"),
            "aws_cloudformation_stack_name"
        );
        assert_eq!(field_ident("$"), "field");
    }

    #[test]
    fn field_collisions_get_a_number() {
        assert_eq!(
            field_idents(&["ARN", "Arn", "Type", "type"]),
            strings(&["arn", "arn_2", "r#type", "type_2"])
        );
    }

    #[test]
    fn type_names_keep_cloudformation_spelling() {
        assert_eq!(type_ident("SSESpecification"), "SSESpecification");
        assert_eq!(type_ident("DBInstance"), "DBInstance");
        assert_eq!(type_ident("tag"), "Tag");
        assert_eq!(type_ident("S3_Location"), "S3Location");
        assert_eq!(type_ident("Self"), "SelfType");
        assert_eq!(type_ident("1Thing"), "T1thing");
    }

    #[test]
    fn odd_enum_values_get_valid_distinct_variants() {
        assert_eq!(
            variant_names(&strings(&[
                "t2.micro",
                "*",
                "1",
                "",
                "PAY_PER_REQUEST",
                ">=",
                "self"
            ])),
            strings(&[
                "T2Micro",
                "Star",
                "V1",
                "Empty",
                "PayPerRequest",
                "GtEq",
                "SelfValue"
            ])
        );
    }

    #[test]
    fn case_insensitive_duplicates_stay_distinct() {
        // Sorted byte order, as the generator passes them.
        assert_eq!(
            variant_names(&strings(&["ENABLED", "Enabled", "enabled"])),
            strings(&["ENABLED", "Enabled", "Enabled2"])
        );
        assert_eq!(
            variant_names(&strings(&["GP2", "gp2"])),
            strings(&["GP2", "Gp2"])
        );
        assert_eq!(
            variant_names(&strings(&["t2-micro", "t2.micro"])),
            strings(&["T2micro", "T2Micro2"])
        );
        assert_eq!(
            variant_names(&strings(&["gp2", "gp2 ", "gp2."])),
            strings(&["Gp2", "Gp2_2", "Gp2_3"])
        );
    }
}
