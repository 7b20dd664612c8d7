//! A monthly cost budget with actual and forecast notifications.
use super::stack::Stack;
use cfn::budgets::budget as b;
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct MonthlyBudget {
    pub id: LogicalId,
    name: String,
    amount_usd: u32,
}

impl MonthlyBudget {
    pub fn new(stack: &Stack, id: &str, amount_usd: u32) -> MonthlyBudget {
        MonthlyBudget {
            id: LogicalId::from_path(&[id, "budget"]),
            name: stack.stage.physical_name(id),
            amount_usd,
        }
    }

    /// Notifies at 80 % of actual spend and at 100 % of forecast spend.
    pub fn add_to(self, stack: &mut Stack, topic_arn: &Expr, email: &str) {
        let subscribers = vec![
            b::Subscriber::new(topic_arn, "SNS"),
            b::Subscriber::new(email, "EMAIL"),
        ];
        let notify = |kind: &str, percent: f64| {
            let notification = b::Notification {
                threshold_type: Some("PERCENTAGE".into()),
                ..b::Notification::new("GREATER_THAN", kind, percent)
            };
            b::NotificationWithSubscribers::new(notification, subscribers.clone())
        };
        let budget = b::BudgetData {
            budget_name: Some(self.name.into()),
            budget_limit: Some(b::Spend::new(f64::from(self.amount_usd), "USD")),
            ..b::BudgetData::new("COST", "MONTHLY")
        };
        stack.add(
            self.id,
            &b::Budget {
                notifications_with_subscribers: Some(vec![
                    notify("ACTUAL", 80.0),
                    notify("FORECASTED", 100.0),
                ]),
                ..b::Budget::new(budget)
            },
        );
    }
}
