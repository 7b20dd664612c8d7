//! A Guard evaluator for the rules in `policies/`: the same files, syntax and messages as
//! cfn-guard 3.2.1, evaluated over the parsed template in microseconds instead of ~8 ms
//! per document, and without cfn-guard's ~70 crates in the build.
//!
//! It supports the subset the policies use — `let` with queries and filters, `rule ...
//! when`, blocks, `when` blocks, `or`, `==` `!=` `in` (list or `%variable`), `exists`,
//! `empty`, `is_string`/`is_list`/`is_struct`, regexes, `<<messages>>` — and refuses
//! anything else with the line, so a rule never checks less than it reads. With the
//! `guard-reference` feature the tests compare it with cfn-guard on the real stages and
//! on deliberately broken templates.
mod ast;
mod compare;
mod document;
mod eval;
mod lexer;
mod parser;

use anyhow::{Context, Result};

use super::Violation;

pub use document::Document;

#[derive(Debug)]
pub struct RulesFile {
    /// File name and text: what cfn-guard is given when it is the reference.
    #[cfg_attr(not(feature = "guard-reference"), allow(dead_code))]
    pub name: String,
    #[cfg_attr(not(feature = "guard-reference"), allow(dead_code))]
    pub text: String,
    file: ast::File,
    /// Per rule, the first `<<message>>` in its text: said by failing clauses without one.
    fallback_messages: Vec<String>,
}

impl RulesFile {
    pub fn parse(name: &str, text: &str) -> Result<RulesFile> {
        let file = parser::parse(text)
            .with_context(|| format!("policy file {name} is not valid Guard"))?;
        let fallback_messages = file
            .rules
            .iter()
            .map(|rule| {
                rule_message(text, &rule.name)
                    .unwrap_or_else(|| format!("rule {} failed", rule.name))
            })
            .collect();
        Ok(RulesFile {
            name: name.to_string(),
            text: text.to_string(),
            file,
            fallback_messages,
        })
    }

    /// Every failing clause as a violation; `stack_of` names the stack of a resource
    /// (of the document as a whole for `""`).
    pub fn violations(
        &self,
        document: &Document,
        stack_of: impl Fn(&str) -> String,
    ) -> Vec<Violation> {
        let mut violations = Vec::new();
        for failure in eval::evaluate(&self.file, document) {
            let index = self
                .file
                .rules
                .iter()
                .position(|r| r.name == failure.rule)
                .expect("a failure names a rule of its file");
            let custom = |record: &eval::Record| {
                record
                    .message
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
            };
            let fallback = failure
                .records
                .iter()
                .find_map(custom)
                .unwrap_or_else(|| self.fallback_messages[index].clone());
            let mut records = failure.records.clone();
            if records.is_empty() {
                records.push(eval::Record {
                    message: None,
                    resource: None,
                });
            }
            for record in &records {
                let resource = record.resource.map(|key| key.to_string());
                violations.push(Violation {
                    rule: failure.rule.to_string(),
                    stack: stack_of(resource.as_deref().unwrap_or("")),
                    resource,
                    message: custom(record).unwrap_or_else(|| fallback.clone()),
                });
            }
        }
        violations
    }
}

/// The first `<<message>>` written in the body of `rule <name>`: Guard attaches a
/// message to one clause only, so a sibling clause's failure would otherwise say nothing.
pub(super) fn rule_message(rules: &str, name: &str) -> Option<String> {
    let start = rules.find(&format!("rule {name} "))?;
    let body = &rules[start..];
    let next_rule = body[1..].find("\nrule ").map_or(body.len(), |i| i + 1);
    let body = &body[..next_rule];
    let open = body.find("<<")? + 2;
    let close = body[open..].find(">>")? + open;
    Some(body[open..close].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(text: &str) -> String {
        format!("{:#}", RulesFile::parse("t.guard", text).unwrap_err())
    }

    #[test]
    fn syntax_outside_the_subset_is_refused_with_its_line() {
        assert!(error("rule R {\n  Resources.* < 3\n}").contains("line 2"));
        assert!(error("rule R { %nope !empty }").contains("%nope is not defined"));
        assert!(error("let x = Resources.*\nrule R { some %x.A == 1 }").contains("line 2"));
        assert!(error("rule R { A == 1").contains("end of the file"));
        assert!(error("rule R { A == /[/ }").contains("bad regex"));
    }

    #[test]
    fn a_failing_clause_names_its_resource_and_message() {
        let rules = RulesFile::parse(
            "t.guard",
            "let q = Resources.*[ Type == 'Q' ]\nrule R when %q !empty {\n  %q.Properties.On == true\n  <<must be on>>\n}\n",
        )
        .unwrap();
        let document = json!({"Resources": {
            "A": {"Type": "Q", "Properties": {"On": true}},
            "B": {"Type": "Q", "Properties": {"On": false}},
            "C": {"Type": "Q"},
            "D": {"Type": "Other"}
        }});
        let found = rules.violations(&Document::json(&document), |r| format!("stack-of-{r}"));
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "R in stack stack-of-B, resource B: must be on",
                "R in stack stack-of-C, resource C: must be on"
            ]
        );
        let none = json!({"Resources": {"D": {"Type": "Other"}}});
        assert!(rules
            .violations(&Document::json(&none), |_| String::new())
            .is_empty());
    }
}
