//! Command line: `infra synth | diff | plan | deploy | ...`.
pub fn run() -> i32 {
    0
}
