//! `infra` with the AWS engine compiled in: what `infra deploy` (and the other AWS
//! commands) run, built on first use so that synth never waits for the AWS SDK.
fn main() {
    std::process::exit(cli::run(&infra::APP));
}
