//! Template-vs-template diff: what a deploy would change, for people and for machines.
//!
//! No AWS SDK here: the engine feeds deployed templates in, the offline `plan` feeds the
//! templates committed on a base git ref. Layout:
//! - [`stack`]: resource-level comparison of two templates,
//! - [`replacement`]: which property changes replace a resource, which types hold data,
//! - [`iam`]: IAM statement extraction and broadening detection,
//! - [`values`]: intrinsic rendering, canonical JSON, line diffs,
//! - [`text`] / [`markdown`]: terminal and pull-request renderings,
//! - [`base`]: templates committed on a git ref.
pub mod base;
pub mod iam;
pub mod markdown;
pub mod moves;
pub mod offline;
pub mod replacement;
pub mod stack;
pub mod text;
pub mod values;

use serde::Serialize;
use serde_json::Value;

pub use iam::{IamDiff, IamStatement};
pub use moves::ResourceMove;
pub use replacement::Replacement;
pub use stack::diff_stack;

/// Exit codes of `diff` and `plan`, like `terraform plan -detailed-exitcode`.
pub mod exit {
    /// Nothing would change.
    pub const NO_CHANGES: i32 = 0;
    /// The command failed.
    pub const ERROR: i32 = 1;
    /// Something would change (and, for `plan`, nothing destructive).
    pub const CHANGES: i32 = 2;
    /// `plan` only: a stateful resource would be replaced or deleted.
    pub const DESTRUCTIVE: i32 = 3;
}

/// One side of a stack comparison.
#[derive(Debug, Clone)]
pub struct StackTemplates {
    /// Display name: Auth, Data, Api, ...
    pub name: String,
    /// CloudFormation stack name.
    pub stack_name: String,
    /// Deployed (or base) template; `None` when the stack does not exist yet.
    pub old: Option<Value>,
    /// Synthesized template; `None` when the stack goes away.
    pub new: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StackStatus {
    New,
    Removed,
    Changed,
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Add,
    Modify,
    Replace,
    Remove,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Modify => "modify",
            Action::Replace => "replace",
            Action::Remove => "remove",
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Add => "+",
            Action::Modify => "~",
            Action::Replace => "±",
            Action::Remove => "-",
        }
    }
}

/// One changed property (a top-level key of `Properties`, or a resource attribute such
/// as `DeletionPolicy`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyChange {
    pub path: String,
    pub replacement: Replacement,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Where the replacement verdict came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplacementSource {
    /// Our table of CloudFormation property update behaviours.
    Property,
    /// The change set (AWS reports `Replacement` per resource).
    ChangeSet,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    pub logical_id: String,
    pub resource_type: String,
    pub action: Action,
    pub replacement: Replacement,
    pub replacement_source: ReplacementSource,
    /// Holds data that a replacement or deletion loses (table, bucket, user pool, logs).
    pub stateful: bool,
    /// `DeletionPolicy: Retain` (or `Snapshot`): a deletion keeps the data.
    pub retained: bool,
    /// A Lambda function whose only change is its code.
    pub code_only: bool,
    pub properties: Vec<PropertyChange>,
    /// The fixed physical name the resource keeps across this change (its type's name
    /// property, set and unchanged): a replacement of it cannot succeed.
    #[serde(skip)]
    pub fixed_name: Option<(String, String)>,
}

impl ResourceChange {
    /// A replacement CloudFormation would fail: the new resource needs the name the old
    /// one still holds.
    pub fn name_conflict(&self) -> bool {
        self.action == Action::Replace
            && self.replacement == Replacement::Always
            && self.fixed_name.is_some()
    }

    /// Why the replacement cannot succeed, and the ways out.
    pub fn name_conflict_message(&self, stack: &str) -> Option<String> {
        if !self.name_conflict() {
            return None;
        }
        let (property, name) = self.fixed_name.as_ref()?;
        let changed: Vec<&str> = self
            .properties
            .iter()
            .filter(|p| p.replacement == Replacement::Always)
            .map(|p| p.path.trim_start_matches("Properties."))
            .collect();
        Some(format!(
            "{stack}: {} ({}) would be replaced (changed: {}), but its {property} is fixed \
             to {name}: CloudFormation creates the replacement before deleting the old one, \
             the name is taken, and the update fails and rolls back. Ways out: give it a new \
             {property} in the same change (old and new then exist side by side; move the \
             data yourself), or in two deploys: first without the resource (retain or back \
             up its data), then with it back, changed.",
            self.logical_id,
            self.resource_type,
            changed.join(", ")
        ))
    }

    /// Loses data: a stateful resource replaced, or deleted without being retained.
    pub fn destructive(&self) -> bool {
        self.stateful
            && match self.action {
                Action::Replace => true,
                Action::Remove => !self.retained,
                Action::Add | Action::Modify => false,
            }
    }
}

/// A function whose code changes without a template change (its S3 key parameter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeChange {
    pub function_name: String,
    pub old_key: Option<String>,
    pub new_key: String,
}

/// A change outside `Resources`: a parameter, output, condition or mapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionChange {
    pub section: String,
    pub key: String,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackDiff {
    pub name: String,
    pub stack_name: String,
    pub status: StackStatus,
    pub resources: Vec<ResourceChange>,
    pub code_changes: Vec<CodeChange>,
    pub sections: Vec<SectionChange>,
    pub iam: IamDiff,
    /// Resources that keep their identity under a new logical ID or in another stack
    /// (`moved` declarations still to do), listed on the target stack.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<ResourceMove>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub add: usize,
    pub modify: usize,
    pub replace: usize,
    pub remove: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.add + self.modify + self.replace + self.remove
    }
}

impl StackDiff {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.resources {
            match r.action {
                Action::Add => c.add += 1,
                Action::Modify => c.modify += 1,
                Action::Replace => c.replace += 1,
                Action::Remove => c.remove += 1,
            }
        }
        c
    }

    pub fn has_changes(&self) -> bool {
        self.status != StackStatus::Unchanged
    }

    pub fn destructive(&self) -> Vec<&ResourceChange> {
        self.resources.iter().filter(|r| r.destructive()).collect()
    }

    /// Replacement verdicts reported by a change set override property knowledge.
    pub fn apply_change_set_replacements(
        &mut self,
        verdicts: &std::collections::BTreeMap<String, Replacement>,
    ) {
        for r in &mut self.resources {
            if r.action != Action::Modify && r.action != Action::Replace {
                continue;
            }
            if let Some(v) = verdicts.get(&r.logical_id) {
                r.replacement = *v;
                r.replacement_source = ReplacementSource::ChangeSet;
                r.action = if *v == Replacement::Never {
                    Action::Modify
                } else {
                    Action::Replace
                };
            }
        }
    }

    /// Adds the moves into this stack (compute the diff against the moved templates, so
    /// the resources show as moved, never as removed + added).
    pub fn add_moves(&mut self, moves: Vec<ResourceMove>) {
        if !moves.is_empty() && self.status == StackStatus::Unchanged {
            self.status = StackStatus::Changed;
        }
        self.moves.extend(moves);
    }

    /// Adds code changes from the functions' S3 key parameters.
    pub fn add_code_changes(&mut self, changes: Vec<CodeChange>) {
        if !changes.is_empty() && self.status == StackStatus::Unchanged {
            self.status = StackStatus::Changed;
        }
        self.code_changes.extend(changes);
    }
}

/// Every stack of a stage, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReport {
    pub stage: String,
    /// What the new templates were compared with: "deployed" or a git ref.
    pub against: String,
    pub commit: Option<String>,
    pub stacks: Vec<StackDiff>,
    /// The monthly cost before → after (`None` when not estimated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::cost::CostDelta>,
}

impl PlanReport {
    pub fn has_changes(&self) -> bool {
        self.stacks.iter().any(StackDiff::has_changes)
    }
    pub fn destructive(&self) -> bool {
        self.stacks.iter().any(|s| !s.destructive().is_empty())
    }
    /// The replacements CloudFormation would fail (fixed names), explained.
    pub fn name_conflicts(&self) -> Vec<String> {
        self.stacks
            .iter()
            .flat_map(|s| {
                s.resources
                    .iter()
                    .filter_map(|r| r.name_conflict_message(&s.name))
            })
            .collect()
    }
    pub fn broadens_iam(&self) -> bool {
        self.stacks.iter().any(|s| s.iam.broadening)
    }
    /// `diff` exit code: 0 no changes, 2 changes.
    pub fn diff_exit_code(&self) -> i32 {
        if self.has_changes() {
            exit::CHANGES
        } else {
            exit::NO_CHANGES
        }
    }
    /// `plan` exit code: 0 no changes, 2 changes, 3 destructive changes, 1 a change
    /// CloudFormation would fail (a replacement that keeps a fixed name).
    pub fn plan_exit_code(&self) -> i32 {
        if !self.name_conflicts().is_empty() {
            exit::ERROR
        } else if self.destructive() {
            exit::DESTRUCTIVE
        } else {
            self.diff_exit_code()
        }
    }
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plan report serializes") + "\n"
    }
}

/// Compares every stack; stacks keep the order given (deploy order).
pub fn diff_all(
    stage: &str,
    against: &str,
    commit: Option<String>,
    stacks: &[StackTemplates],
) -> PlanReport {
    PlanReport {
        stage: stage.to_string(),
        against: against.to_string(),
        commit,
        stacks: stacks.iter().map(diff_stack).collect(),
        cost: None,
    }
}

/// [`diff_all`] with the `moved` declarations of the new templates applied: a moved
/// resource shows as moved (on its target stack), never as removed + added. `Err` when a
/// declaration cannot apply (its old ID is not in the old template, ...).
pub fn diff_all_with_moves(
    stage: &str,
    against: &str,
    commit: Option<String>,
    stacks: &[StackTemplates],
) -> Result<PlanReport, String> {
    let (stacks, moves) = moves::with_moves(stacks)?;
    let mut report = diff_all(stage, against, commit, &stacks);
    for s in &mut report.stacks {
        s.add_moves(
            moves
                .iter()
                .filter(|m| m.to_stack == s.stack_name)
                .cloned()
                .collect(),
        );
    }
    Ok(report)
}
