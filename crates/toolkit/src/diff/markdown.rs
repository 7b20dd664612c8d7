//! The pull-request plan comment (GitHub-flavoured Markdown).
//!
//! Layout: hidden marker, title with stage and commit, red banner for destructive changes,
//! summary table (one row per stack), IAM section, collapsible per-stack details. The body
//! stays under GitHub's 65,536-character limit: per-stack property diffs are dropped first
//! (largest stack first), then the stack details, then the IAM rows are capped.
use std::fmt::Write;

use super::iam::IamStatement;
use super::text::{counts_line, resource_notes};
use super::values::{line_diff, LineKind};
use super::{PlanReport, StackDiff, StackStatus};

/// GitHub refuses comment bodies over 65,536 characters.
pub const GITHUB_LIMIT: usize = 65_536;

/// The hidden marker a CI job looks for to update its comment in place.
pub fn marker(stage: &str) -> String {
    format!("<!-- bubblebatch-plan:{stage} -->")
}

const MAX_IAM_ROWS: usize = 60;
/// Room kept for the truncation notes.
const RESERVE: usize = 1_024;

pub fn render(report: &PlanReport) -> String {
    render_with_limit(report, GITHUB_LIMIT)
}

/// Renders within `limit` bytes (bytes ≥ characters, so this also bounds characters).
pub fn render_with_limit(report: &PlanReport, limit: usize) -> String {
    let head = head(report) + &cost_section(report);
    let iam = iam_section(report);
    let foot = foot(report);
    let budget = limit.saturating_sub(head.len() + iam.len() + foot.len() + RESERVE);

    // Details per stack, with and without property diffs.
    let stacks: Vec<&StackDiff> = report.stacks.iter().filter(|s| s.has_changes()).collect();
    let full: Vec<String> = stacks.iter().map(|s| details(s, true)).collect();
    let brief: Vec<String> = stacks.iter().map(|s| details(s, false)).collect();
    let mut chosen: Vec<Option<&String>> = full.iter().map(Some).collect();
    let mut order: Vec<usize> = (0..stacks.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(full[*i].len()));
    let size = |c: &[Option<&String>]| c.iter().flatten().map(|s| s.len()).sum::<usize>();
    let mut truncated = false;
    for &i in &order {
        if size(&chosen) <= budget {
            break;
        }
        chosen[i] = Some(&brief[i]);
        truncated = true;
    }
    for &i in &order {
        if size(&chosen) <= budget {
            break;
        }
        chosen[i] = None;
        truncated = true;
    }

    let mut out = head;
    out.push_str(&iam);
    if !stacks.is_empty() {
        out.push_str("### Details\n\n");
    }
    for (i, s) in stacks.iter().enumerate() {
        match chosen[i] {
            Some(d) => out.push_str(d),
            None => {
                let _ = writeln!(
                    out,
                    "- **{}**: details omitted to fit GitHub's comment limit.\n",
                    s.name
                );
            }
        }
    }
    if truncated {
        out.push_str(
            "> [!NOTE]\n> This plan was shortened to fit GitHub's comment limit. \
             Run `cargo run -p infra -- diff --stage ",
        );
        let _ = writeln!(out, "{}` for the full diff.\n", report.stage);
    }
    out.push_str(&foot);
    if out.len() > limit {
        // Last resort (pathological IAM or summary): cut on a char boundary.
        let note = "\n\n…(truncated)\n";
        let mut cut = limit.saturating_sub(foot.len() + note.len());
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str(note);
        out.push_str(&foot);
    }
    out
}

fn head(report: &PlanReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", marker(&report.stage));
    let commit = report
        .commit
        .as_deref()
        .map(short_sha)
        .unwrap_or("working tree");
    let _ = writeln!(
        out,
        "## BubbleBatch plan for `{}` at `{commit}`\n",
        report.stage
    );
    if report.destructive() {
        out.push_str("> [!CAUTION]\n> 🛑 **Destructive changes.** ");
        out.push_str("Stateful resources would be replaced or deleted, and their data lost:\n");
        for s in &report.stacks {
            for r in s.destructive() {
                let _ = writeln!(
                    out,
                    "> - `{}` / `{}` ({}): {}",
                    s.name,
                    r.logical_id,
                    r.resource_type,
                    r.action.label()
                );
            }
        }
        out.push_str(">\n> Deploying needs `--allow-replace`.\n\n");
    }
    let refusals = report.name_conflicts();
    if !refusals.is_empty() {
        out.push_str("> [!CAUTION]\n> 🛑 **Refused: CloudFormation would fail.**\n");
        for refusal in &refusals {
            let _ = writeln!(out, "> - {refusal}");
        }
        out.push('\n');
    }
    let moves: Vec<_> = report.stacks.iter().flat_map(|s| &s.moves).collect();
    if !moves.is_empty() {
        out.push_str("> [!NOTE]\n> **Moved** (a stack refactoring before the change sets; ");
        out.push_str("same resource, same data):\n");
        for m in moves {
            let _ = writeln!(out, "> - `{}` ({})", m.describe(), m.resource_type);
        }
        out.push('\n');
    }
    if !report.has_changes() {
        let _ = writeln!(out, "No changes: every stack matches {}.\n", report.against);
    }
    out.push_str("| Stack | Status | Add | Modify | Replace | Remove | Code | IAM |\n");
    out.push_str("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for s in &report.stacks {
        let c = s.counts();
        let status = match s.status {
            StackStatus::New => "new",
            StackStatus::Removed => "removed",
            StackStatus::Changed => "changed",
            StackStatus::Unchanged => "no changes",
        };
        let code = s.code_changes.len() + s.resources.iter().filter(|r| r.code_only).count();
        let iam = if s.iam.broadening {
            "⚠️ broadens"
        } else if s.iam.is_empty() {
            "–"
        } else {
            "changes"
        };
        let _ = writeln!(
            out,
            "| {} | {status} | {} | {} | {} | {} | {code} | {iam} |",
            s.name, c.add, c.modify, c.replace, c.remove
        );
    }
    let _ = writeln!(out, "\nCompared with: {}.\n", report.against);
    out
}

/// The monthly cost before → after, when the plan was estimated.
fn cost_section(report: &PlanReport) -> String {
    report.cost.as_ref().map_or_else(String::new, |cost| {
        crate::cost::delta::markdown(cost, &format!("cost --stage {}", report.stage))
    })
}

fn cell(text: &str) -> String {
    let t = text.replace('|', "\\|").replace('\n', " ");
    if t.len() > 300 {
        let mut cut = 300;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &t[..cut])
    } else {
        t
    }
}

fn iam_row(out: &mut String, stack: &str, change: &str, s: &IamStatement, broadens: bool) {
    let _ = writeln!(
        out,
        "| {}{change} | {stack} / {} | {} | {} | {} | {} |",
        if broadens { "⚠️ " } else { "" },
        cell(&s.source),
        cell(&s.effect),
        cell(&s.actions.join(", ")),
        cell(&s.resources.join(", ")),
        cell(&match &s.condition {
            Some(c) => format!("{} when {c}", s.principal),
            None => s.principal.clone(),
        }),
    );
}

fn iam_section(report: &PlanReport) -> String {
    let rows: usize = report
        .stacks
        .iter()
        .map(|s| s.iam.added.len() + s.iam.removed.len())
        .sum();
    if rows == 0 {
        return String::new();
    }
    let mut out = String::from("### IAM\n\n");
    if report.broadens_iam() {
        out.push_str("> [!WARNING]\n> ⚠️ **These changes broaden IAM permissions.** Review the rows marked ⚠️.\n\n");
    }
    out.push_str("| Change | Source | Effect | Actions | Resources | Principal |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    let mut shown = 0;
    for s in &report.stacks {
        for (change, list) in [("added", &s.iam.added), ("removed", &s.iam.removed)] {
            for st in list {
                if shown < MAX_IAM_ROWS {
                    iam_row(
                        &mut out,
                        &s.name,
                        change,
                        st,
                        s.iam.broadening_statements.contains(st),
                    );
                }
                shown += 1;
            }
        }
    }
    if shown > MAX_IAM_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more IAM statement changes.",
            shown - MAX_IAM_ROWS
        );
    }
    out.push('\n');
    out
}

fn details(s: &StackDiff, with_properties: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<details><summary><b>{}</b> (<code>{}</code>): {}</summary>\n",
        s.name,
        s.stack_name,
        counts_line(&s.counts())
    );
    for r in &s.resources {
        let notes = resource_notes(r);
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" — **{}**", notes.join(", "))
        };
        let _ = writeln!(
            out,
            "- **{}** `{}` ({}){notes}",
            r.action.label(),
            r.logical_id,
            r.resource_type
        );
    }
    for m in &s.moves {
        let from = if m.cross_stack() {
            format!("`{}` in `{}`", m.from, m.from_stack)
        } else {
            format!("`{}`", m.from)
        };
        let _ = writeln!(
            out,
            "- **moved** `{}` ({}) from {from}: stack refactoring, not replaced",
            m.to, m.resource_type
        );
    }
    for c in &s.code_changes {
        let _ = writeln!(
            out,
            "- **code** function `{}`: code changed",
            c.function_name
        );
    }
    for c in &s.sections {
        let _ = writeln!(out, "- **{}** {} `{}`", c.action.label(), c.section, c.key);
    }
    out.push('\n');
    if with_properties {
        let mut body = String::new();
        for r in s
            .resources
            .iter()
            .filter(|r| !r.properties.is_empty() && !r.code_only)
        {
            for p in &r.properties {
                let _ = writeln!(body, "# {}.{}", r.logical_id, p.path);
                for (kind, line) in line_diff(p.old.as_ref(), p.new.as_ref()) {
                    let sign = match kind {
                        LineKind::Context => ' ',
                        LineKind::Removed => '-',
                        LineKind::Added => '+',
                    };
                    let _ = writeln!(body, "{sign} {line}");
                }
            }
        }
        if !body.is_empty() {
            // A fence longer than any backtick run inside keeps the block intact.
            let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
            let _ = write!(out, "{fence}diff\n{body}{fence}\n\n");
        }
    }
    out.push_str("</details>\n\n");
    out
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn foot(report: &PlanReport) -> String {
    match &report.commit {
        Some(sha) => format!(
            "<sub>Commit {sha} · `infra plan --stage {}`</sub>\n",
            report.stage
        ),
        None => format!("<sub>`infra plan --stage {}`</sub>\n", report.stage),
    }
}

fn short_sha(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}
