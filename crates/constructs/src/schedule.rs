//! An EventBridge Scheduler schedule that invokes one Lambda function, through a role
//! that may invoke only that function, with retries and a dead-letter queue.
use super::function::FunctionRef;
use super::grant::Grantable;
use super::role::Role;
use super::stack::Stack;
use cfn_core::iam::{actions, Statement};
use cfn_core::resources::{scheduler as sch, sqs};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: LogicalId,
    name: String,
    expression: String,
    description: String,
}

impl Schedule {
    /// `expression` is a scheduler expression, e.g. `rate(5 minutes)`.
    pub fn new(stack: &Stack, id: &str, expression: &str, description: &str) -> Schedule {
        Schedule {
            id: LogicalId::from_path(&[id, "schedule"]),
            name: stack.stage.physical_name(id),
            expression: expression.to_string(),
            description: description.to_string(),
        }
    }

    pub fn invoke(self, stack: &mut Stack, target: &FunctionRef) {
        let queue_id = self.id.child("DeadLetterQueue");
        stack.add(
            queue_id.clone(),
            &sqs::Queue {
                queue_name: Some(Expr::from(format!("{}-dlq", self.name))),
                sqs_managed_sse_enabled: Some(true),
                message_retention_period: Some(14 * 24 * 3600),
            },
        );
        let queue_arn = Expr::get_att(&queue_id, "Arn");
        let mut role = Role::for_service(
            self.id.child("Role"),
            "scheduler.amazonaws.com",
            &format!("Lets schedule {} invoke its target", self.name),
        )
        .require_source_account();
        role.grant(Statement::allow(
            &[actions::lambda::INVOKE_FUNCTION],
            vec![target.arn()],
        ));
        role.grant(Statement::allow(
            &[actions::sqs::SEND_MESSAGE],
            vec![queue_arn.clone()],
        ));
        let role_arn = role.arn();
        role.render(stack);
        stack.add(
            self.id.clone(),
            &sch::Schedule {
                name: Some(Expr::from(&self.name)),
                description: Some(self.description.clone()),
                schedule_expression: self.expression.clone(),
                flexible_time_window: sch::FlexibleTimeWindow { mode: "OFF".into() },
                state: "ENABLED".into(),
                target: sch::Target {
                    arn: target.arn(),
                    role_arn,
                    retry_policy: Some(sch::RetryPolicy {
                        // A run older than the interval is superseded by the next one.
                        maximum_event_age_in_seconds: 300,
                        maximum_retry_attempts: 2,
                    }),
                    dead_letter_config: Some(sch::DeadLetterConfig { arn: queue_arn }),
                },
            },
        );
    }
}
