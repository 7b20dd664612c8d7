//! Scheduler: every five minutes, the reminder processor sends due push notifications.
//! Its environment and grants come from the app↔infra contract.
use super::data::DataStack;
use super::from_contract::Resources;
use super::stage::StageConfig;
use constructs::function::FunctionRef;
use constructs::schedule::Schedule;
use constructs::Stack;

pub struct SchedulerStack {
    pub stack: Stack,
    pub processor: FunctionRef,
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
    let processor = resources
        .function(&stack, contract::Function::ReminderProcessor)
        .timeout(60);
    let processor = processor.add_to(&mut stack);
    Schedule::new(
        &stack,
        "reminders",
        "rate(5 minutes)",
        "Runs the reminder processor",
    )
    .invoke(&mut stack, &processor);
    SchedulerStack { stack, processor }
}
