//! Monitoring: alert topic, alarms for every function, the API and the table, and a budget.
use super::api::ApiStack;
use super::data::DataStack;
use super::published;
use super::scheduler::SchedulerStack;
use super::stage::StageConfig;
use cfn_core::LogicalId;
use constructs::alarm::{Alarm, DynamoDbThrottles};
use constructs::budget::MonthlyBudget;
use constructs::topic::AlertTopic;
use constructs::Stack;

/// Errors per minute above which an API function alarms (seed 002: "Lambda errors >
/// 10/min"). The scheduled processor alarms on any error in its interval instead.
const LAMBDA_ERRORS_PER_MINUTE: f64 = 10.0;
/// Share of 5xx responses (percent, over 5 minutes) above which the API alarms.
const API_5XX_PERCENT: f64 = 5.0;

pub fn stack(
    stage: &StageConfig,
    data: &DataStack,
    api: &ApiStack,
    scheduler: &SchedulerStack,
) -> Stack {
    let mut stack = Stack::new("Monitoring", stage, "alarms, alert topic and budget");
    stack.depends_on(&api.stack);
    stack.depends_on(&scheduler.stack);
    let topic =
        AlertTopic::for_alarms_and_budgets(&stack, "alerts", stage.alarm_email).add_to(&mut stack);

    for function in &api.functions {
        Alarm::lambda_errors(&function.name, LAMBDA_ERRORS_PER_MINUTE).add_to(&mut stack, &topic);
        Alarm::lambda_throttles(&function.name).add_to(&mut stack, &topic);
    }
    let processor = &scheduler.processor.name;
    let interval = scheduler
        .runs
        .interval_seconds
        .expect("the reminder schedule is a rate");
    Alarm::scheduled_lambda_errors(processor, interval).add_to(&mut stack, &topic);
    Alarm::lambda_runs_dropped(processor, interval).add_to(&mut stack, &topic);
    Alarm::lambda_throttles(processor).add_to(&mut stack, &topic);
    Alarm::dead_letter_queue(&scheduler.runs.dead_letter_queue).add_to(&mut stack, &topic);
    let api_id = stack.import(
        LogicalId::new("ApiId").unwrap(),
        published::API_ID,
        "HTTP API ID",
    );
    Alarm::api_server_error_rate(&api.api_name, api_id.clone(), API_5XX_PERCENT)
        .add_to(&mut stack, &topic);
    Alarm::api_latency(&api.api_name, api_id, 2000.0).add_to(&mut stack, &topic);
    for throttles in [DynamoDbThrottles::Read, DynamoDbThrottles::Write] {
        Alarm::dynamodb_throttles(&data.table.name, throttles).add_to(&mut stack, &topic);
    }
    MonthlyBudget::new(&stack, "monthly", stage.monthly_budget_usd).add_to(
        &mut stack,
        &topic,
        stage.alarm_email,
    );
    stack
}
