//! Terminal rendering: colours on a TTY unless `NO_COLOR` is set.
use std::fmt::Write;
use std::io::IsTerminal;

use console::Style;

use super::iam::IamStatement;
use super::values::{line_diff, LineKind};
use super::{
    Action, Counts, PlanReport, ReplacementSource, ResourceChange, StackDiff, StackStatus,
};
use crate::diff::Replacement;

/// Colours when stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` isn't dumb.
pub fn use_color() -> bool {
    color_allowed(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

/// The same rule for stderr (the engine's messages).
pub fn use_color_stderr() -> bool {
    color_allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

pub fn color_allowed(
    tty: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    tty && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

struct Palette {
    add: Style,
    remove: Style,
    modify: Style,
    bold: Style,
    dim: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
        let s = |st: Style| st.force_styling(color);
        Palette {
            add: s(Style::new().green()),
            remove: s(Style::new().red()),
            modify: s(Style::new().yellow()),
            bold: s(Style::new().bold()),
            dim: s(Style::new().dim()),
        }
    }
    fn action(&self, a: Action) -> &Style {
        match a {
            Action::Add => &self.add,
            Action::Modify => &self.modify,
            Action::Replace | Action::Remove => &self.remove,
        }
    }
}

pub fn counts_line(c: &Counts) -> String {
    format!(
        "{} to add, {} to modify, {} to replace, {} to remove",
        c.add, c.modify, c.replace, c.remove
    )
}

pub fn render(report: &PlanReport, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    for stack in &report.stacks {
        render_stack(&mut out, stack, &p);
    }
    let changed = report.stacks.iter().filter(|s| s.has_changes()).count();
    if changed == 0 {
        let _ = writeln!(out, "No changes: every stack matches {}.", report.against);
    } else {
        let _ = writeln!(
            out,
            "{changed} of {} stacks would change.",
            report.stacks.len()
        );
    }
    if let Some(cost) = &report.cost {
        out.push_str(&crate::cost::delta::text(cost));
    }
    if report.destructive() {
        let _ = writeln!(
            out,
            "{}",
            p.remove
                .apply_to("DESTRUCTIVE: stateful resources would be replaced or deleted.")
        );
    }
    if report.broadens_iam() {
        let _ = writeln!(
            out,
            "{}",
            p.modify.apply_to("IAM: permissions would broaden.")
        );
    }
    for refusal in report.name_conflicts() {
        let _ = writeln!(
            out,
            "{} {refusal}",
            p.remove.apply_to("REFUSED (CloudFormation would fail):")
        );
    }
    out
}

fn render_stack(out: &mut String, s: &StackDiff, p: &Palette) {
    let status = match s.status {
        StackStatus::New => " (new stack)",
        StackStatus::Removed => " (stack removed)",
        StackStatus::Changed | StackStatus::Unchanged => "",
    };
    let summary = if s.has_changes() {
        counts_line(&s.counts())
    } else {
        "no changes".to_string()
    };
    let _ = writeln!(
        out,
        "{} {}{}: {}",
        p.bold.apply_to(format!("Stack {}", s.name)),
        p.dim.apply_to(format!("({})", s.stack_name)),
        status,
        summary
    );
    for r in &s.resources {
        render_resource(out, r, p);
    }
    for m in &s.moves {
        let _ = writeln!(
            out,
            "  {} {} ({}): moved from {} (stack refactoring, not replaced)",
            p.modify.apply_to(">"),
            m.to,
            m.resource_type,
            if m.cross_stack() {
                format!("{} in {}", m.from, m.from_stack)
            } else {
                m.from.clone()
            }
        );
    }
    for c in &s.code_changes {
        let _ = writeln!(
            out,
            "  {} function {}: code changed",
            p.modify.apply_to("~"),
            c.function_name
        );
    }
    for c in &s.sections {
        let st = p.action(c.action);
        let _ = writeln!(
            out,
            "  {} {} {}",
            st.apply_to(c.action.symbol()),
            c.section,
            c.key
        );
    }
    if !s.iam.is_empty() {
        let _ = writeln!(out, "  IAM statements:");
        let added = s.iam.added.iter().map(|st| (p.add.apply_to("+"), st));
        let removed = s.iam.removed.iter().map(|st| (p.remove.apply_to("-"), st));
        for (sign, st) in added.chain(removed) {
            let mark = if s.iam.broadening_statements.contains(st) {
                " [broadens]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    {} {}{}",
                sign,
                statement_line(st),
                p.modify.apply_to(mark)
            );
        }
    }
}

pub fn statement_line(s: &IamStatement) -> String {
    let mut line = format!(
        "{} {} on {} for {}",
        s.effect,
        s.actions.join(","),
        s.resources.join(","),
        if s.principal.is_empty() {
            "-"
        } else {
            &s.principal
        }
    );
    if let Some(c) = &s.condition {
        let _ = write!(line, " when {c}");
    }
    line
}

/// Short notes after a resource line: code change, replacement, data loss.
pub fn resource_notes(r: &ResourceChange) -> Vec<String> {
    let mut notes = Vec::new();
    if r.code_only {
        notes.push("code changed".to_string());
    }
    if r.action == Action::Replace {
        let how = match (r.replacement, r.replacement_source) {
            (Replacement::Conditional, _) => "may be replaced",
            (_, ReplacementSource::ChangeSet) => "replaced (change set)",
            _ => "replaced",
        };
        notes.push(how.to_string());
    }
    if r.destructive() {
        notes.push("DATA LOSS".to_string());
    } else if r.stateful && r.action == Action::Remove && r.retained {
        notes.push("retained: data kept, resource orphaned".to_string());
    }
    notes
}

fn render_resource(out: &mut String, r: &ResourceChange, p: &Palette) {
    let st = p.action(r.action);
    let notes = resource_notes(r);
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    let _ = writeln!(
        out,
        "  {} {} {}{}",
        st.apply_to(r.action.symbol()),
        r.logical_id,
        p.dim.apply_to(&r.resource_type),
        st.apply_to(notes)
    );
    if r.code_only {
        return;
    }
    for prop in &r.properties {
        let repl = match prop.replacement {
            Replacement::Always => " (requires replacement)",
            Replacement::Conditional => " (may require replacement)",
            Replacement::Never => "",
        };
        let _ = writeln!(out, "      {}{}", prop.path, p.remove.apply_to(repl));
        for (kind, line) in line_diff(prop.old.as_ref(), prop.new.as_ref()) {
            let _ = match kind {
                LineKind::Context => writeln!(out, "          {line}"),
                LineKind::Removed => {
                    writeln!(out, "        {}", p.remove.apply_to(format!("- {line}")))
                }
                LineKind::Added => writeln!(out, "        {}", p.add.apply_to(format!("+ {line}"))),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_and_pipes_disable_colours() {
        assert!(color_allowed(true, None, Some(OsStr::new("xterm"))));
        assert!(!color_allowed(true, Some(OsStr::new("1")), None));
        assert!(color_allowed(true, Some(OsStr::new("")), None));
        assert!(!color_allowed(false, None, None));
        assert!(!color_allowed(true, None, Some(OsStr::new("dumb"))));
    }
}
