//! Command line: `infra synth | diff | plan | deploy | ...`.
pub mod aws_commands;
pub fn run() -> i32 {
    0
}
