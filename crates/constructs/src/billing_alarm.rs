//! A CloudWatch billing alarm: estimated month-to-date charges above a threshold.
//! Billing metrics exist only in us-east-1 and only once "Receive Billing Alerts" is on
//! in the account's billing preferences; they update every few hours.
use super::stack::Stack;
use cfn_core::resources::cloudwatch as cw;
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct BillingAlarm {
    pub id: LogicalId,
    name: String,
    threshold_usd: u32,
}

impl BillingAlarm {
    pub fn new(stack: &Stack, id: &str, threshold_usd: u32) -> BillingAlarm {
        assert_eq!(
            stack.stage.region, "us-east-1",
            "billing metrics are published only in us-east-1"
        );
        BillingAlarm {
            id: LogicalId::from_path(&[id, "billing", "alarm"]),
            name: stack.stage.physical_name(&format!("{id}-billing")),
            threshold_usd,
        }
    }

    pub fn add_to(self, stack: &mut Stack, topic_arn: &Expr) {
        stack.add(
            self.id,
            &cw::Alarm {
                alarm_name: Expr::from(&self.name),
                alarm_description: format!(
                    "Estimated charges this month above {} USD",
                    self.threshold_usd
                ),
                namespace: "AWS/Billing".into(),
                metric_name: "EstimatedCharges".into(),
                dimensions: vec![cw::Dimension {
                    name: "Currency".into(),
                    value: Expr::from("USD"),
                }],
                statistic: Some("Maximum".into()),
                extended_statistic: None,
                // The metric arrives about every 6 hours; shorter periods see gaps.
                period: 21_600,
                evaluation_periods: 1,
                datapoints_to_alarm: None,
                threshold: f64::from(self.threshold_usd),
                comparison_operator: "GreaterThanThreshold".into(),
                treat_missing_data: "notBreaching".into(),
                alarm_actions: vec![topic_arn.clone()],
                ok_actions: Vec::new(),
            },
        );
    }
}
