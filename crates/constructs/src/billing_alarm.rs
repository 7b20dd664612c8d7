//! A CloudWatch billing alarm: estimated month-to-date charges above a threshold.
//! Billing metrics exist only in us-east-1 and only once "Receive Billing Alerts" is on
//! in the account's billing preferences; they update every few hours.
use super::stack::Stack;
use cfn::cloudwatch::alarm::{self as cw, ComparisonOperator, Statistic, TreatMissingData};
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
        let description = format!(
            "Estimated charges this month above {} USD",
            self.threshold_usd
        );
        stack.add(
            self.id,
            &cw::Alarm {
                alarm_name: Some(self.name.into()),
                alarm_description: Some(description.into()),
                namespace: Some("AWS/Billing".into()),
                metric_name: Some("EstimatedCharges".into()),
                dimensions: Some(vec![cw::Dimension::new("Currency", "USD")]),
                statistic: Some(Statistic::Maximum.into()),
                // The metric arrives about every 6 hours; shorter periods see gaps.
                period: Some(21_600.into()),
                evaluation_periods: Some(1.into()),
                threshold: Some(f64::from(self.threshold_usd).into()),
                comparison_operator: Some(ComparisonOperator::GreaterThanThreshold.into()),
                treat_missing_data: Some(TreatMissingData::NotBreaching.into()),
                alarm_actions: Some(vec![topic_arn.into()]),
                // Written out (and empty): charges falling back below the threshold
                // mid-month are not news.
                ok_actions: Some(Vec::new()),
                ..cw::Alarm::new()
            },
        );
    }
}
