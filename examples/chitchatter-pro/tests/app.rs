//! chitchatter-pro's infrastructure: every stage deterministic, within limits, policy-clean and
//! committed as synthesized; the per-function permissions of each stage as a snapshot.
use toolkit::conformance::check_app;
use toolkit::synth::report;

use chitchatter_pro::APP;

#[test]
fn every_stage_conforms() {
    let problems = check_app(&APP).expect("policies load");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn permissions_per_stage() {
    for &stage in APP.stages {
        let stacks = APP.synth(stage);
        let markdown = report::render_markdown(stage.name, &report::permissions(&stacks));
        insta::assert_snapshot!(format!("permissions_{}", stage.name), markdown);
    }
}
