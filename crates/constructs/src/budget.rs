//! A monthly cost budget with actual and forecast notifications.
use super::stack::Stack;
use cfn_core::resources::budgets as b;
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
            b::Subscriber {
                subscription_type: "SNS".into(),
                address: topic_arn.clone(),
            },
            b::Subscriber {
                subscription_type: "EMAIL".into(),
                address: Expr::from(email),
            },
        ];
        let notify = |kind: &str, percent: f64| b::NotificationWithSubscribers {
            notification: b::Notification {
                notification_type: kind.into(),
                comparison_operator: "GREATER_THAN".into(),
                threshold: percent,
                threshold_type: Some("PERCENTAGE".into()),
            },
            subscribers: subscribers.clone(),
        };
        stack.add(
            self.id,
            &b::Budget {
                budget: b::BudgetData {
                    budget_name: Expr::from(&self.name),
                    budget_type: "COST".into(),
                    time_unit: "MONTHLY".into(),
                    budget_limit: b::Spend {
                        amount: f64::from(self.amount_usd),
                        unit: "USD".into(),
                    },
                },
                notifications_with_subscribers: vec![
                    notify("ACTUAL", 80.0),
                    notify("FORECASTED", 100.0),
                ],
            },
        );
    }
}
