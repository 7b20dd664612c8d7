//! Scheduler: every five minutes, the reminder processor sends due push notifications.
//! Its environment and grants come from the app↔infra contract.
use super::data::DataStack;
use super::from_contract::Resources;
use super::stage::StageConfig;
use constructs::function::{AsyncInvocation, FunctionRef};
use constructs::schedule::{Schedule, ScheduledRuns};
use constructs::Stack;

pub struct SchedulerStack {
    pub stack: Stack,
    pub processor: FunctionRef,
    pub runs: ScheduledRuns,
}

pub const EXPO_PUSH_URL: &str = "https://exp.host/--/api/v2/push/send";

pub fn stack(stage: &StageConfig, data: &DataStack) -> SchedulerStack {
    let mut stack = Stack::new("Scheduler", stage, "reminder schedule and processor");
    stack.depends_on(&data.stack);
    let resources = Resources {
        table: &data.table,
        photos: &data.photos,
        user_pool: None,
        expo_push_url: Some(EXPO_PUSH_URL),
    };
    let schedule = Schedule::new(
        &stack,
        "reminders",
        "rate(5 minutes)",
        "Runs the reminder processor",
    );
    let interval = schedule
        .interval_seconds()
        .expect("the reminder schedule is a rate");
    let processor = resources
        .function(&stack, contract::Function::ReminderProcessor)
        .timeout(60)
        // One retry, and never older than the interval: the next run picks up what a
        // failed one left (due reminders stay due), so a stale run would only repeat it.
        .asynchronous(AsyncInvocation {
            retries: 1,
            maximum_age_seconds: interval,
        });
    let processor = processor.add_to(&mut stack);
    let runs = schedule.invoke(&mut stack, &processor);
    SchedulerStack {
        stack,
        processor,
        runs,
    }
}
