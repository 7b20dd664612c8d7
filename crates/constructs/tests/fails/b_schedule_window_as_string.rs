//! A Scheduler flexible-time-window mode as a string. The window is a `TimeWindow`,
//! whose `Flexible` variant carries the maximum the schema requires with it.
#[path = "../b_support/mod.rs"]
mod b_support;

use constructs::function::FunctionRef;
use constructs::schedule::Schedule;

fn main() {
    let mut stack = b_support::stack("Scheduler");
    Schedule::new(&stack, "nightly", "cron(0 3 * * ? *)", "Nightly cleanup")
        .time_window("FLEXIBLE")
        .invoke(&mut stack, &FunctionRef::from_name("demo-prod-processor"));
}
