//! Scheduler: every five minutes, the reminder processor sends due push notifications.
use super::data::{DataStack, GSI1};
use super::stage::StageConfig;
use cfn_core::iam::actions::dynamodb;
use constructs::function::{Function, FunctionRef};
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
    let mut processor = Function::new(
        &stack,
        "reminder-processor",
        "Sends due reminders as Expo push notifications, exactly once",
    )
    .env("TABLE_NAME", data.table.name.as_str())
    .env("BUCKET_NAME", data.photos.name())
    .env("EXPO_PUSH_URL", EXPO_PUSH_URL)
    .timeout(60);
    data.table
        .grant_index(&mut processor, GSI1, &[dynamodb::QUERY]);
    data.table.grant(
        &mut processor,
        &[
            dynamodb::QUERY,
            dynamodb::UPDATE_ITEM,
            dynamodb::DELETE_ITEM,
        ],
    );
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
