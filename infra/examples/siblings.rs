//! Synthesizes the four sibling examples into `stacks/examples/<name>/` (templates and
//! `permissions.md`) after limits and policies pass.
//!
//!   cargo run -p infra --example siblings              # write
//!   cargo run -p infra --example siblings -- --check   # CI: fail if anything is stale
use infra::examples::{output, ALL};
use toolkit::policy::Policies;

fn main() {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: siblings [--check]   (unknown argument {other})");
            std::process::exit(2);
        }
    };
    std::process::exit(match run(check) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    });
}

fn run(check: bool) -> anyhow::Result<i32> {
    let policies = Policies::load(&infra::APP.policies_path())?;
    let out = output::default_dir();
    let mut exit = 0;
    for example in &ALL {
        let outcome = output::synth_example(example, &out, &policies, check)?;
        for warning in &outcome.warnings {
            eprintln!("warning: {}: {warning}", example.name);
        }
        if !outcome.problems.is_empty() {
            for problem in &outcome.problems {
                eprintln!("{}: {}", example.name, problem.trim_end());
            }
            exit = 1;
            continue;
        }
        if check {
            println!("{}: {} stacks current", example.name, outcome.stacks);
        } else {
            println!(
                "{}: {} stacks, {} files changed, policies passed → {}",
                example.name,
                outcome.stacks,
                outcome.written,
                out.join(example.name).display()
            );
        }
    }
    if exit != 0 && check {
        eprintln!("run `cargo run -p infra --example siblings` and commit stacks/examples/");
    }
    Ok(exit)
}
