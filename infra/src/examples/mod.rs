//! The four sibling systems of `../shared/seeds/`, declared with the same constructs and
//! grants as BubbleBatch. They prove the construct library is general: each example is a
//! set of stacks for one environment of another app, synthesized into
//! `stacks/examples/<name>/` and held to the same policies and linters.
//!
//! Run `cargo run -p infra --example siblings` to write them, `-- --check` in CI.
pub mod chitchatter;
pub mod echomate;
pub mod guitar_collection;
pub mod mvp_checklist;
pub mod output;

use crate::stacks::stage::Stage;
use cfn_core::Expr;
use constructs::topic::AlertTopic;
use constructs::Stack;
use toolkit::synth::{report, SynthesizedStack};

/// One sibling system.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// Folder under `stacks/examples/` and app name of its physical names.
    pub name: &'static str,
    /// Seed file prefix in `../shared/seeds/` (e.g. `004`).
    pub seed: &'static str,
    /// Every example is declared as its production environment: the policies are
    /// strictest there (data retained), so passing them is the stronger claim.
    pub stage: Stage,
    pub stacks: fn() -> Vec<Stack>,
}

/// In delivery order.
pub const ALL: [Example; 4] = [
    Example {
        name: guitar_collection::APP,
        seed: "004",
        stage: Stage::Prod,
        stacks: guitar_collection::stacks,
    },
    Example {
        name: echomate::APP,
        seed: "000",
        stage: Stage::Prod,
        stacks: echomate::stacks,
    },
    Example {
        name: chitchatter::APP,
        seed: "003",
        stage: Stage::Prod,
        stacks: chitchatter::stacks,
    },
    Example {
        name: mvp_checklist::APP,
        seed: "001",
        stage: Stage::Prod,
        stacks: mvp_checklist::stacks,
    },
];

impl Example {
    pub fn synthesize(&self) -> Vec<SynthesizedStack> {
        (self.stacks)().iter().map(Stack::synthesize).collect()
    }

    /// The per-function permission report, read back from the templates.
    pub fn permissions_markdown(&self, stacks: &[SynthesizedStack]) -> String {
        report::render_markdown(self.name, &report::permissions(stacks))
    }
}

/// The alert topic every example uses: CloudWatch alarms and budgets may publish.
fn alert_topic(stack: &Stack, email: &str) -> AlertTopic {
    AlertTopic::new(stack, "alerts")
        .email(email)
        .allow_publish_from(
            "cloudwatch.amazonaws.com",
            Expr::sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"),
        )
        .allow_publish_from(
            "budgets.amazonaws.com",
            Expr::sub("arn:${AWS::Partition}:budgets::${AWS::AccountId}:*"),
        )
}
