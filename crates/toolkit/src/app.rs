//! An app as the toolkit sees it: a name, its stages, and a function from stage to stacks.
//! Everything else (synth, plan, diff, deploy, destroy, drift) is the toolkit's.
use std::fmt;

use constructs::{Stack, SynthesizedStack};

/// A stage of an app: what the engine needs to name, place and protect its stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stage {
    /// The app's physical-name prefix, e.g. `bubblebatch`.
    pub app: &'static str,
    /// e.g. `dev`.
    pub name: &'static str,
    /// Home region, used when neither flag, environment nor profile names one.
    pub region: &'static str,
    /// Stricter rules: typed confirmations, no `--yes` for IAM, no hotswap.
    pub production: bool,
    /// The `cost-center` tag of every stack (see [`Stage::tags`]).
    pub cost_center: &'static str,
    /// How long CloudFormation keeps watching a stack's alarms after an update before it
    /// is final (its rollback monitoring time, at most 180). 0: only during the update.
    pub bake_minutes: u32,
    /// The user `deploy --smoke` signs in as to call one authenticated route.
    pub smoke_user: Option<SmokeUser>,
}

/// A test user of the stage's user pool. Its refresh token (REFRESH_TOKEN_AUTH, so it
/// works with passwordless sign-in too) is read from an SSM SecureString parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SmokeUser {
    /// The user's name in the pool, for messages.
    pub username: &'static str,
    /// SSM parameter (SecureString) holding the user's refresh token.
    pub refresh_token_parameter: &'static str,
}

impl Stage {
    /// The toolkit's view of an app's stage configuration (no bake, no smoke user).
    pub const fn of(config: &constructs::StageConfig) -> Stage {
        Stage {
            app: config.app,
            name: config.stage,
            region: config.region,
            production: config.production,
            cost_center: config.cost_center,
            bake_minutes: 0,
            smoke_user: None,
        }
    }

    pub const fn with_bake_minutes(mut self, minutes: u32) -> Stage {
        self.bake_minutes = minutes;
        self
    }

    pub const fn with_smoke_user(mut self, user: SmokeUser) -> Stage {
        self.smoke_user = Some(user);
        self
    }

    pub fn name(self) -> &'static str {
        self.name
    }

    /// The stack tags every deploy sets: `app`, `stage`, `cost-center`. CloudFormation
    /// copies them onto the resources that take tags.
    pub fn tags(self) -> [(&'static str, &'static str); 3] {
        constructs::cost_tags::of(self.app, self.name, self.cost_center)
    }

    /// `<app>-<stage>-<name>`, the CloudFormation stack name of a stack known by its file name.
    pub fn stack_name(self, stack: &str) -> String {
        format!("{}-{}-{}", self.app, self.name, stack.to_lowercase())
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage '{given}': expected one of: {expected}")]
pub struct UnknownStage {
    pub given: String,
    pub expected: String,
}

/// An app the toolkit's CLI drives.
#[derive(Clone, Copy)]
pub struct App {
    /// Physical-name prefix, e.g. `bubblebatch`.
    pub name: &'static str,
    /// The app's cargo package, for messages (`cargo run -p infra -- ...`).
    pub package: &'static str,
    pub stages: &'static [Stage],
    /// The stacks of a stage, in deployment order.
    pub stacks: fn(Stage) -> Vec<Stack>,
    /// Where templates are written, relative to the repository root (`stacks` → `stacks/<stage>/`).
    pub stacks_dir: &'static str,
    /// The repository root (for `stacks_dir`, `policies/` and the Lambda build).
    pub root: &'static str,
    /// Builds the Lambda zips into a folder: a script relative to `root`, called with
    /// `--lambda-dir DIR`. `None`: the app has no Lambda code of its own.
    pub lambda_build: Option<&'static str>,
    /// What a stage is assumed to use in a month (users, requests, sizes), for `cost`
    /// and the plan's cost delta. `None`: only the costs the templates fix are priced.
    pub usage: Option<fn(Stage) -> crate::cost::Usage>,
    /// The routes and per-function AWS actions the app's code expects, which a deploy
    /// verifies the deployed stage against. `None`: verified against the templates.
    pub declared: Option<fn(Stage) -> crate::declared::Declared>,
}

impl App {
    pub fn stage(&self, name: &str) -> Result<Stage, UnknownStage> {
        self.stages
            .iter()
            .find(|s| s.name == name)
            .copied()
            .ok_or_else(|| UnknownStage {
                given: name.to_string(),
                expected: self.stage_names().join(", "),
            })
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name).collect()
    }

    /// The stacks of one stage in deployment order. Pure: no I/O, no checks.
    pub fn synth(&self, stage: Stage) -> Vec<SynthesizedStack> {
        (self.stacks)(stage).iter().map(Stack::synthesize).collect()
    }

    /// The stage's delivery stack (CI roles), derived from its stacks.
    pub fn delivery(
        &self,
        stage: Stage,
    ) -> Result<SynthesizedStack, constructs::delivery::DeliveryError> {
        constructs::delivery::delivery_stack(&(self.stacks)(stage)).map(|s| s.synthesize())
    }

    /// How users run this app's CLI: `cargo run -p infra --`.
    pub fn command(&self) -> String {
        format!("cargo run -p {} --", self.package)
    }

    pub fn root(&self) -> &std::path::Path {
        std::path::Path::new(self.root)
    }

    /// `<root>/<stacks_dir>`: the parent of `<stage>/<Stack>.json`.
    pub fn stacks_path(&self) -> std::path::PathBuf {
        self.root().join(self.stacks_dir)
    }

    pub fn policies_path(&self) -> std::path::PathBuf {
        self.root().join("policies")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const DEV: Stage = Stage {
        app: "bubblebatch",
        name: "dev",
        region: "us-east-1",
        production: false,
        cost_center: "bubblebatch",
        bake_minutes: 0,
        smoke_user: None,
    };

    #[test]
    fn stack_names_follow_the_physical_name_convention() {
        assert_eq!(DEV.stack_name("Api"), "bubblebatch-dev-api");
        assert_eq!(DEV.to_string(), "dev");
    }
}
