//! BubbleBatch's infrastructure: an app on the toolkit. Its stages and five stacks are
//! declared here; synth, plan, diff, deploy and the rest come from `cli` and `toolkit`.

pub mod declared;
pub mod stacks;
pub mod usage;

use stacks::stage::Stage;

/// BubbleBatch as the toolkit's CLI drives it.
pub const APP: toolkit::App = toolkit::App {
    name: stacks::stage::APP,
    package: "infra",
    stages: &STAGES,
    stacks: stacks_of,
    stacks_dir: "stacks",
    root: concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
    lambda_build: Some("app/scripts/build-lambdas.sh"),
    usage: Some(usage::of),
    declared: Some(declared::of),
};

const STAGES: [toolkit::Stage; 2] = [Stage::Dev.info(), Stage::Prod.info()];

/// The synthesized stacks of one BubbleBatch stage, in deployment order.
pub fn synth_stage(stage: Stage) -> anyhow::Result<Vec<toolkit::synth::SynthesizedStack>> {
    Ok(APP.synth(stage.info()))
}

fn stacks_of(stage: toolkit::Stage) -> Vec<constructs::Stack> {
    let stage: Stage = stage.name.parse().expect("a stage of STAGES");
    stacks::app(stage)
}
