//! cfn-guard itself, behind the `guard-reference` feature: the tests check that the
//! built-in evaluator reports exactly what cfn-guard reports.
#[path = "reference_report.rs"]
mod report;

use anyhow::{Context, Result};

use super::guard::{Document, RulesFile};
use super::Violation;

pub fn violations(
    rules: &RulesFile,
    document: &Document,
    stack_of: &dyn Fn(&str) -> String,
) -> Result<Vec<Violation>> {
    let document = serde_json::to_string(document.whole())?;
    let report = cfn_guard::run_checks(
        cfn_guard::ValidateInput {
            content: &document,
            file_name: "template.json",
        },
        cfn_guard::ValidateInput {
            content: &rules.text,
            file_name: &rules.name,
        },
        false,
    )
    .map_err(|e| anyhow::anyhow!("policy file {} failed to evaluate: {e}", rules.name))?;
    report::violations(&report, &rules.text, stack_of)
        .with_context(|| format!("cannot read the cfn-guard report for {}", rules.name))
}
